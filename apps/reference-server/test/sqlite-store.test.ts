import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionRecord } from "@mgmtkit/reference-server";
import {
  migrations,
  NameTakenError,
  openSqliteStore,
  StoreOpenError,
} from "@mgmtkit/reference-server";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const connection = (name: string, strategy = "adfs"): ConnectionRecord => ({
  id: `con_${name}`,
  name,
  client_id: "c",
  status: 1,
  strategy,
  options: { tenant_domain: "x" },
});

describe("SQLite store", () => {
  it("migrates a new file to the latest version, in WAL mode", async () => {
    const file = join(dir, "new.sqlite");
    const store = openSqliteStore(file);
    await store.close();
    const db = new Database(file);
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses a database written by a newer schema", () => {
    const file = join(dir, "newer.sqlite");
    const db = new Database(file);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(file)).toThrow(/newer than this server knows/);
  });

  it("keeps data across reopening, seeds once, and cascades users with their connection", async () => {
    const file = join(dir, "data.sqlite");
    let store = openSqliteStore(file);
    const social = connection("social", "google-oauth2");
    expect(
      await store.seedOnce(
        [connection("a"), social],
        [
          { connectionId: "con_a", user: { user_id: "adfs|1" } },
          { connectionId: "con_social", user: { user_id: "google-oauth2|2" } },
        ],
      ),
    ).toBe(true);
    await expect(store.insertConnection(connection("a"))).rejects.toThrow(NameTakenError);
    await store.close();

    store = openSqliteStore(file);
    expect(await store.seedOnce([connection("b")], [])).toBe(false);
    expect((await store.listConnections()).map((c) => c.name)).toEqual(["a", "social"]);
    expect(
      (await store.listUsers({ strategies: ["google-oauth2"] })).users.map((u) => u.user.user_id),
    ).toEqual(["google-oauth2|2"]);
    expect(await store.listUsers({}, { limit: 1, offset: 1 })).toMatchObject({
      total: 2,
      users: [{ user: { user_id: "google-oauth2|2" } }],
    });
    // A replacement that changes the strategy moves the users to the new one.
    expect(await store.replaceConnection({ ...social, strategy: "windowslive" })).toBe(true);
    expect((await store.listUsers({ strategies: ["windowslive"] })).users).toHaveLength(1);
    expect(await store.deleteConnection("social")).toBe("con_social");
    expect((await store.listUsers({})).users.map((u) => u.user.user_id)).toEqual(["adfs|1"]);
    expect(await store.replaceConnection(connection("gone"))).toBe(false);
    await store.close();
  });

  it("sees the writes of another process sharing the file", async () => {
    const file = join(dir, "shared.sqlite");
    const a = openSqliteStore(file);
    const b = openSqliteStore(file);
    try {
      expect(await b.listConnections()).toEqual([]);
      await a.insertConnection(connection("from-a"));
      await new Promise((r) => setImmediate(r));
      expect((await b.listConnections()).map((c) => c.name)).toEqual(["from-a"]);
      await expect(b.insertConnection(connection("from-a"))).rejects.toThrow(NameTakenError);
      expect(await b.deleteConnection("from-a")).toBe("con_from-a");
      await new Promise((r) => setImmediate(r));
      expect(await a.listConnections()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("forgets expired tokens", async () => {
    const store = openSqliteStore(":memory:");
    await store.saveToken({ hash: "old", clientId: "c", expiresAt: 1000 });
    await store.saveToken({ hash: "new", clientId: "c", expiresAt: 3000 });
    await store.deleteExpiredTokens(2000);
    expect(await store.findToken("old")).toBeUndefined();
    expect(await store.findToken("new")).toEqual({ hash: "new", clientId: "c", expiresAt: 3000 });
    await store.close();
  });
});
