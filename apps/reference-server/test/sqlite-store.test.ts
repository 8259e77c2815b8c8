import fs, { mkdtempSync, rmSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
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
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";

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

  it("keeps the other writes of a batch when one of them fails", async () => {
    const store = openSqliteStore(":memory:");
    try {
      // Writes made in the same turn of the event loop are applied in one transaction.
      const [first, taken, other, replaced, missing] = await Promise.allSettled([
        store.insertConnection(connection("x")),
        store.insertConnection({ ...connection("x"), id: "con_x2" }),
        store.insertConnection(connection("y")),
        store.replaceConnection({ ...connection("x"), status: 0 }),
        store.deleteConnection("none"),
      ]);
      expect(first.status).toBe("fulfilled");
      expect(taken).toMatchObject({ status: "rejected", reason: expect.any(NameTakenError) });
      expect(other.status).toBe("fulfilled");
      expect(replaced).toEqual({ status: "fulfilled", value: true });
      expect(missing).toEqual({ status: "fulfilled", value: undefined });
      expect((await store.listConnections()).map((c) => [c.id, c.name, c.status])).toEqual([
        ["con_x", "x", 0],
        ["con_y", "y", 1],
      ]);
    } finally {
      await store.close();
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

  describe("synchronous", () => {
    // Every fdatasync the store asks of Node, and how many have finished; `fail` makes them fail.
    const real = fs.fdatasync;
    const syncs = { started: 0, finished: 0, fail: false };
    beforeEach(() => {
      Object.assign(syncs, { started: 0, finished: 0, fail: false });
      fs.fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        syncs.started++;
        real(fd, (error) => {
          syncs.finished++;
          callback(syncs.fail ? Object.assign(new Error("i/o error"), { code: "EIO" }) : error);
        });
      }) as typeof fs.fdatasync;
      syncBuiltinESMExports();
    });
    afterEach(() => {
      fs.fdatasync = real;
      syncBuiltinESMExports();
    });

    it('"normal" acknowledges a write once committed, without syncing the log', async () => {
      const store = openSqliteStore(join(dir, "normal.sqlite"), { synchronous: "normal" });
      try {
        await store.insertConnection(connection("n"));
        expect(await store.deleteConnection("n")).toBe("con_n");
        expect(syncs.started).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('"full" acknowledges writes only after a sync of the log, one sync for many writes', async () => {
      const store = openSqliteStore(join(dir, "full.sqlite"), { synchronous: "full" });
      try {
        const finishedAtAck: number[] = [];
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store
              .insertConnection(connection(`f${i}`))
              .then(() => finishedAtAck.push(syncs.finished)),
          ),
        );
        expect(finishedAtAck).toHaveLength(50);
        expect(Math.min(...finishedAtAck)).toBeGreaterThanOrEqual(1);
        // The 50 writes arrived together: one transaction, one sync.
        expect(syncs.started).toBe(1);

        // A read that sees a committed write waits for its sync as well.
        const pending = store.insertConnection(connection("late"));
        await new Promise((r) => setImmediate(r));
        const before = syncs.finished;
        expect((await store.listConnections()).map((c) => c.name)).toContain("late");
        expect(syncs.finished).toBeGreaterThan(before);
        await pending;
      } finally {
        await store.close();
      }
    });

    it('"full" refuses writes once a sync failed, saying so', async () => {
      const store = openSqliteStore(join(dir, "failing.sqlite"), { synchronous: "full" });
      try {
        syncs.fail = true;
        await expect(store.insertConnection(connection("x"))).rejects.toThrow(
          "The database log could not be synced to disk (EIO).",
        );
        syncs.fail = false;
        await expect(store.insertConnection(connection("y"))).rejects.toThrow(
          /could not be synced/,
        );
        expect(syncs.started).toBe(1);
      } finally {
        await store.close();
      }
      // The refused write never reached the database.
      const db = new Database(join(dir, "failing.sqlite"), { readonly: true });
      expect(db.prepare("SELECT name FROM connections").pluck().all()).toEqual(["x"]);
      db.close();
    });

    it('"full" syncs the log of a database opened again', async () => {
      const file = join(dir, "reopened.sqlite");
      await openSqliteStore(file, { synchronous: "full" }).close();
      const store = openSqliteStore(file, { synchronous: "full" });
      try {
        await store.insertConnection(connection("again"));
        expect(syncs.started).toBe(1);
      } finally {
        await store.close();
      }
    });

    it("refuses an unknown mode", () => {
      expect(() => openSqliteStore(":memory:", { synchronous: "sometimes" as "full" })).toThrow(
        'synchronous must be "normal" or "full", not sometimes.',
      );
    });
  });
});
