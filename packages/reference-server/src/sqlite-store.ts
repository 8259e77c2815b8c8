import { closeSync, existsSync, fdatasync, fsyncSync, lstatSync, openSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { type ConnectionRow, fromRow, toRow } from "./connection-rows.js";
import { migrations, openDatabase, storeError } from "./sqlite/schema.js";
import {
  CONNECTION_WRITES,
  createBatchWriter,
  seedOp,
  type WriteOp,
  type WriteOutcome,
} from "./sqlite/writes.js";
import {
  type ConnectionList,
  NameTakenError,
  type Slice,
  type Store,
  StoreOpenError,
  StoreUnavailableError,
  type UserFilter,
  type UserRecord,
} from "./storage.js";

export { migrations };

/** When a committed transaction counts as durable, hence when the write is acknowledged. */
interface Durability {
  /** Called once a transaction committed; resolves when it is on disk. */
  committed(): Promise<void>;
  /** Resolves when every transaction committed so far is on disk; undefined when they already are. */
  settled(): Promise<void> | undefined;
  /** Why nothing more can be promised durable (a sync failed), if that happened. */
  failure(): Error | undefined;
  /** Waits for the syncs still owed, then lets go of the log. */
  close(): Promise<void>;
}

/**
 * `synchronous: "full"`. The database commits with `synchronous = NORMAL`, which writes a
 * transaction's log frames but leaves syncing them to the next checkpoint; the log is synced here
 * instead (`fdatasync`, what `synchronous = FULL` does inside every commit), on a thread of the libuv
 * pool. Meanwhile the event loop goes on serving and committing, and one sync covers every
 * transaction committed before it started: a group commit that never blocks the server.
 */
function syncedLog(db: Database.Database): Durability {
  const main = (db.pragma("database_list") as { name: string; file: string }[]).find(
    (d) => d.name === "main",
  );
  if (!main?.file) throw new StoreOpenError("The database has no file to sync.");
  let log: number;
  try {
    // The log exists once the database has been read. Its directory entry is synced once, so that
    // a new log survives a power loss as well.
    const directory = openSync(dirname(main.file), "r");
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    log = openSync(`${main.file}-wal`, "r");
  } catch (error) {
    throw new StoreOpenError(
      `Cannot open the log of the database ${main.file} (${(error as NodeJS.ErrnoException).code}).`,
      { cause: error },
    );
  }
  let committed = 0;
  let synced = 0;
  let syncing = false;
  let failed: Error | undefined;
  let waiters: { upTo: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  const sync = () => {
    if (syncing || failed || synced >= committed) return;
    syncing = true;
    const upTo = committed;
    fdatasync(log, (error) => {
      syncing = false;
      if (error) {
        // After a failed sync the kernel may have dropped the pages: nothing more is promised.
        failed = new Error(`The database log could not be synced to disk (${error.code}).`);
      } else {
        synced = upTo;
      }
      const waiting = waiters;
      waiters = [];
      for (const w of waiting) {
        if (w.upTo <= synced) w.resolve();
        else if (failed) w.reject(failed);
        else waiters.push(w);
      }
      sync();
    });
  };
  const until = (upTo: number) =>
    new Promise<void>((resolve, reject) => {
      waiters.push({ upTo, resolve, reject });
      sync();
    });

  return {
    committed() {
      committed++;
      return failed ? Promise.reject(failed) : until(committed);
    },
    settled() {
      if (synced >= committed) return undefined;
      return failed ? Promise.reject(failed) : until(committed);
    },
    failure: () => failed,
    async close() {
      await this.settled()?.catch(() => {});
      closeSync(log);
    },
  };
}

/**
 * `synchronous: "normal"`, and an in-memory database. A committed transaction has written its log
 * frames to the operating system, so the write survives the process being killed; the log reaches
 * the disk at the next checkpoint.
 */
const committedIsDurable: Durability = {
  committed: () => Promise.resolve(),
  settled: () => undefined,
  failure: () => undefined,
  close: async () => {},
};

interface PendingWrite {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface SqliteStoreOptions {
  /**
   * What an acknowledged write survives. `"normal"`: the server process being killed (`kill -9`),
   * as a write is acknowledged once its transaction committed to the log. `"full"`: also a power
   * loss or an operating-system crash, as a write is acknowledged once the log is synced to disk,
   * which costs throughput. Default `"normal"`. A `:memory:` database survives neither.
   */
  synchronous?: "normal" | "full";
}

/**
 * Refuses a database path that is a symbolic link to nothing. SQLite would follow it and create the
 * database, and its log, wherever it points, with the process's default mode rather than the
 * owner-only one a new database gets: a link planted in a shared folder would collect the client
 * secrets. Creating through it safely cannot be done from here, so the link's owner decides.
 */
function refuseDanglingLink(location: string): void {
  let isLink: boolean;
  try {
    isLink = lstatSync(location).isSymbolicLink();
  } catch {
    return;
  }
  // existsSync follows the link (and is false for a loop).
  if (isLink && !existsSync(location)) {
    throw new StoreOpenError(
      `The database path ${location} is a symbolic link to a file that does not exist; give the real path, or create the file first.`,
    );
  }
}

/**
 * Opens (creating and migrating when needed) a SQLite store: `:memory:` or a file. A write resolves
 * once it is durable (see `SqliteStoreOptions.synchronous`); with `"full"`, a read that may see a
 * write not yet synced waits for that sync too. Writes that arrive in the same round of I/O share
 * one transaction (see `createBatchWriter`), and with `"full"` transactions share syncs. A path
 * that is a symbolic link to nothing is refused with a `StoreOpenError` (see `refuseDanglingLink`).
 */
export function openSqliteStore(location: string, options: SqliteStoreOptions = {}): Store {
  const synchronous = options.synchronous ?? "normal";
  if (synchronous !== "normal" && synchronous !== "full") {
    throw new StoreOpenError(`synchronous must be "normal" or "full", not ${String(synchronous)}.`);
  }
  const inMemory = location === ":memory:" || location === "";
  if (!inMemory) refuseDanglingLink(location);
  const db = openDatabase(location);
  let durability: Durability;
  let applyBatch: (ops: WriteOp[]) => WriteOutcome[];
  try {
    durability = inMemory || synchronous === "normal" ? committedIsDurable : syncedLog(db);
    applyBatch = createBatchWriter(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const statements = {
    list: db.prepare<[], ConnectionRow>("SELECT * FROM connections ORDER BY seq"),
    get: db.prepare<[string], ConnectionRow>("SELECT * FROM connections WHERE name = ?"),
    findToken: db.prepare<
      [string],
      { hash: string; client_id: string; issued_at: number; expires_at: number }
    >("SELECT * FROM tokens WHERE hash = ?"),
    check: db.prepare("SELECT 1").pluck(),
    // Changes whenever another connection (another process sharing the file) commits to it.
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
  };

  const userQueries = new Map<string, Database.Statement>();
  function userQuery(filter: UserFilter, sliced: boolean, count: boolean): Database.Statement {
    const where: string[] = [];
    if (filter.connectionId !== undefined) where.push("connection_id = ?");
    if (filter.strategies !== undefined) {
      where.push(`strategy IN (${filter.strategies.map(() => "?").join(", ") || "NULL"})`);
    }
    if (filter.enabledOnly) {
      where.push("connection_id IN (SELECT id FROM connections WHERE status = 1)");
    }
    const sql = `SELECT ${count ? "count(*) AS total" : "connection_id, body"} FROM users${
      where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""
    }${count ? "" : " ORDER BY seq"}${sliced && !count ? " LIMIT ? OFFSET ?" : ""}`;
    let statement = userQueries.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      userQueries.set(sql, statement);
    }
    return statement;
  }

  // The list of connections is read far more often than written: it is kept until a write
  // commits, whether through this store or through another process sharing the file. Its version
  // counts this store's own commits and carries the file's data_version, which changes on commits
  // of other processes; `ConnectionList` promises callers nothing more.
  let listCache: ConnectionList | undefined;
  let ownCommits = 0;

  // Read once per turn of the event loop: a commit by another process is seen from the next turn,
  // just as if the read had come a moment earlier.
  let dataVersion: number | undefined;
  const currentDataVersion = (): number => {
    if (dataVersion === undefined) {
      dataVersion = statements.dataVersion.get() as number;
      setImmediate(() => {
        dataVersion = undefined;
      });
    }
    return dataVersion;
  };

  let queue: PendingWrite[] = [];
  let scheduled = false;
  let closed = false;

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    // Once a sync failed, nothing is written that could not be acknowledged.
    const failure = durability.failure();
    if (failure) {
      for (const pending of batch) pending.reject(failure);
      return;
    }
    let outcomes: WriteOutcome[];
    try {
      outcomes = applyBatch(batch.map((p) => p.op));
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the batch was written.
      for (const pending of batch) pending.reject(storeError(error));
      return;
    }
    // A token's save or pruning leaves the list as it was, and its cache with it.
    if (batch.some((pending) => CONNECTION_WRITES.has(pending.op.kind))) ownCommits++;
    durability.committed().then(
      () =>
        batch.forEach((pending, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) pending.resolve(outcome.value);
          else if (outcome?.nameTaken && "row" in pending.op)
            pending.reject(new NameTakenError(pending.op.row.name));
          else pending.reject(storeError(outcome?.error ?? new Error("The write failed.")));
        }),
      (error: unknown) => {
        for (const pending of batch) pending.reject(error);
      },
    );
  };

  const write = <T>(op: WriteOp): Promise<T> => {
    if (closed) return Promise.reject(new Error("The store is closed."));
    return new Promise<T>((resolve, reject) => {
      queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      // Writes that arrive in the same round of I/O join one transaction.
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };

  /** Answers `value` once nothing it may have seen can still be lost. */
  const durable = async <T>(value: T): Promise<T> => {
    const wait = durability.settled();
    if (wait) await wait;
    return value;
  };

  return {
    async listConnections() {
      const version = `${ownCommits}.${currentDataVersion()}`;
      if (listCache?.version !== version) {
        listCache = { version, records: Object.freeze(statements.list.all().map(fromRow)) };
      }
      return durable(listCache);
    },
    async getConnection(name) {
      const row = statements.get.get(name);
      return durable(row ? fromRow(row) : undefined);
    },
    insertConnection: (c) => write<void>({ kind: "insertConnection", row: toRow(c) }),
    replaceConnection: (c) => write<boolean>({ kind: "replaceConnection", row: toRow(c) }),
    deleteConnection: (name) => write<string | undefined>({ kind: "deleteConnection", name }),
    async listUsers(filter, slice?: Slice) {
      const params: unknown[] = [];
      if (filter.connectionId !== undefined) params.push(filter.connectionId);
      if (filter.strategies !== undefined) params.push(...filter.strategies);
      const rows = userQuery(filter, slice !== undefined, false).all(
        ...params,
        ...(slice ? [slice.limit, slice.offset] : []),
      ) as { connection_id: string; body: string }[];
      const users = rows.map((r) => ({
        connectionId: r.connection_id,
        user: JSON.parse(r.body) as UserRecord["user"],
      }));
      const total = slice
        ? (userQuery(filter, true, true).get(...params) as { total: number }).total
        : users.length;
      return durable({ users, total });
    },
    seedOnce: (connections, users) => write<boolean>(seedOp(connections, users)),
    saveToken: (token) => write<void>({ kind: "saveToken", token: { ...token } }),
    async findToken(hash) {
      const row = statements.findToken.get(hash);
      return durable(
        row
          ? {
              hash: row.hash,
              clientId: row.client_id,
              issuedAt: row.issued_at,
              expiresAt: row.expires_at,
            }
          : undefined,
      );
    },
    pruneTokens: (pruning) => write<number>({ kind: "pruneTokens", pruning: { ...pruning } }),
    async check() {
      const failure = durability.failure();
      if (closed || failure) {
        throw new StoreUnavailableError(
          closed ? "The store is closed." : `${failure?.message} Restart the server.`,
        );
      }
      statements.check.get();
    },
    async close() {
      if (closed) return;
      closed = true;
      // Every write already accepted is committed and synced before the database closes.
      flush();
      await durability.close();
      db.close();
    },
  };
}
