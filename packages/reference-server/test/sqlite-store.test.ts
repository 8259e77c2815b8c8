import { execFileSync } from "node:child_process";
import fs, {
  chmodSync,
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConnectionRecord } from "@mgmtkit/reference-server";
import {
  migrations,
  openSqliteStore,
  StoreFullError,
  StoreOpenError,
} from "@mgmtkit/reference-server";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { NEEDS_ROOT, ROOT } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-store-"));
const storeModule = fileURLToPath(new URL("../dist/index.js", import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const connection = (name: string, strategy = "adfs"): ConnectionRecord => ({
  id: `con_${name}`,
  name,
  client_id: "c",
  status: 1,
  strategy,
  options: { tenant_domain: "x" },
});

// What only the SQLite store does; what every store does is in store-contract.test.ts.
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

  it("keeps its list of connections cached across token writes, and only those", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const first = await store.listConnections();
      await store.saveToken({ hash: "h", clientId: "c", issuedAt: 1, expiresAt: 9e12 });
      await store.pruneTokens({ clientId: "c", keep: 0, now: 2, limit: 10 });
      expect(await store.listConnections()).toBe(first);
      await store.insertConnection({
        id: "con_1",
        name: "cached",
        client_id: "c",
        status: 1,
        strategy: "adfs",
        options: {},
      });
      const after = await store.listConnections();
      expect(after.version).not.toBe(first.version);
      expect(after.records.map((c) => c.name)).toEqual(["cached"]);
    } finally {
      await store.close();
    }
  });

  it("refuses a database written by a newer schema", () => {
    const file = join(dir, "newer.sqlite");
    const db = new Database(file);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(file)).toThrow(/newer than this server knows/);
  });

  it("creates the database, its log and shared-memory files readable by their owner only", async () => {
    const file = join(dir, "private.sqlite");
    const store = openSqliteStore(file);
    try {
      await store.insertConnection(connection("secretive"));
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        expect((statSync(f).mode & 0o777).toString(8), f).toBe("600");
      }
    } finally {
      await store.close();
    }
  });

  it("refuses at start a damaged file, saying so in one sentence", () => {
    const file = join(dir, "damaged.sqlite");
    const db = new Database(file);
    db.exec("CREATE TABLE filler (x TEXT)");
    const insert = db.prepare("INSERT INTO filler VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`${i}`.padEnd(200, "x"));
    })();
    db.close();
    // Overwrite a page in the middle of the table with garbage; the header stays intact.
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, 4096 * 40);
    closeSync(fd);
    expect(() => openSqliteStore(file)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(file)).toThrow(
      /^The database \S+damaged\.sqlite is damaged \([^)]+\); restore it from a backup or start on another file\.$/,
    );
  });

  it("refuses at start a file it may read but not write", async () => {
    const file = join(dir, "read-only.sqlite");
    await openSqliteStore(file).close();
    chmodSync(file, 0o444);
    const script = `
      import { openSqliteStore } from ${JSON.stringify(storeModule)};
      try { openSqliteStore(${JSON.stringify(file)}); console.log("opened"); }
      catch (error) { console.log(error.name + ": " + error.message); }`;
    // Root may write any file: the check is made as an unprivileged user then.
    const [command, args] = ROOT
      ? ["runuser", ["-u", "nobody", "--", process.execPath, "--input-type=module", "-e", script]]
      : [process.execPath, ["--input-type=module", "-e", script]];
    chmodSync(dir, 0o777);
    const out = execFileSync(command, args, { encoding: "utf8" }).trim();
    expect(out).toMatch(
      /^StoreOpenError: The database \S+read-only\.sqlite cannot be written \(attempt to write a readonly database\); check the permissions of the file and its folder\.$/,
    );
  });

  it("upgrades a version 1 file: connections stay, tokens of the old hashing go", async () => {
    const file = join(dir, "v1.sqlite");
    const db = new Database(file);
    db.exec(migrations[0] as string);
    db.pragma("user_version = 1");
    db.prepare(
      "INSERT INTO connections (id, name, client_id, status, strategy, options) VALUES ('con_old', 'old', 'c', 1, 'adfs', '{}')",
    ).run();
    db.prepare("INSERT INTO tokens (hash, client_id, expires_at) VALUES ('h', 'c', 9e12)").run();
    db.close();
    const store = openSqliteStore(file);
    try {
      expect((await store.getConnection("old"))?.id).toBe("con_old");
      expect(await store.findToken("h")).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it.skipIf(!ROOT)(
    `answers a full disk with a StoreFullError, and writes again once there is space (${NEEDS_ROOT})`,
    async () => {
      // A small tmpfs stands for the full disk.
      const mount = mkdtempSync(join(tmpdir(), "mgmtkit-full-"));
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount]);
      try {
        const store = openSqliteStore(join(mount, "db.sqlite"));
        try {
          await store.insertConnection(connection("before"));
          const filler = join(mount, "filler");
          const fd = openSync(filler, "w");
          try {
            for (;;) writeSync(fd, Buffer.alloc(16 * 1024));
          } catch (error) {
            expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
          } finally {
            closeSync(fd);
          }
          const big = { ...connection("after"), options: { blob: "x".repeat(64 * 1024) } };
          await expect(store.insertConnection(big)).rejects.toThrow(StoreFullError);
          await expect(
            store.saveToken({ hash: "t".repeat(64), clientId: "c", issuedAt: 1, expiresAt: 2 }),
          ).rejects.toThrow(
            "The disk holding the database is full; nothing was written. Free some space and retry.",
          );
          expect(await store.getConnection("before")).toEqual(connection("before"));
          rmSync(filler);
          await store.insertConnection(big);
          expect((await store.getConnection("after"))?.options).toEqual(big.options);
        } finally {
          await store.close();
        }
      } finally {
        execFileSync("umount", [mount]);
        rmSync(mount, { recursive: true, force: true });
      }
    },
  );

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
        expect((await store.listConnections()).records.map((c) => c.name)).toContain("late");
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
