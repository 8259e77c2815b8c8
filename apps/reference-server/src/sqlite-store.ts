import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { type ConnectionRow, fromRow, openDatabase, toRow } from "./sqlite/schema.js";
import { createBatchWriter, seedOp, type WriteOp, type WriteOutcome } from "./sqlite/writes.js";
import {
  NameTakenError,
  type Slice,
  type Store,
  type UserFilter,
  type UserRecord,
} from "./storage.js";

export { migrations, StoreOpenError } from "./sqlite/schema.js";

/** Applies batches of writes somewhere: on this thread, or on a writer thread. */
interface BatchExecutor {
  run(ops: WriteOp[]): Promise<WriteOutcome[]>;
  close(): Promise<void>;
}

function inThreadExecutor(db: Database.Database): BatchExecutor {
  const write = createBatchWriter(db);
  return {
    run: async (ops) => write(ops),
    close: async () => {},
  };
}

/**
 * A writer thread with its own connection to the file. While it syncs one batch to disk, the main
 * thread keeps serving reads and collects the next batch, so durable writes do not stall the server.
 */
function workerExecutor(location: string): BatchExecutor {
  const worker = new Worker(new URL("./sqlite-write-worker.js", import.meta.url), {
    workerData: { location },
  });
  worker.unref();
  let current: { resolve: (o: WriteOutcome[]) => void; reject: (e: Error) => void } | undefined;
  let broken: Error | undefined;
  const settle = (fn: (c: NonNullable<typeof current>) => void) => {
    const c = current;
    current = undefined;
    worker.unref();
    if (c) fn(c);
  };
  worker.on("message", (m: { outcomes: WriteOutcome[] } | { failed: string }) =>
    settle((c) => ("outcomes" in m ? c.resolve(m.outcomes) : c.reject(new Error(m.failed)))),
  );
  worker.on("error", (error) => {
    broken = error;
    settle((c) => c.reject(error));
  });
  worker.on("exit", () => {
    broken ??= new Error("The database writer stopped.");
    settle((c) => c.reject(broken as Error));
  });
  return {
    run(ops) {
      if (broken) return Promise.reject(broken);
      return new Promise((resolve, reject) => {
        current = { resolve, reject };
        worker.ref();
        worker.postMessage({ ops });
      });
    },
    async close() {
      if (broken) return;
      const exited = once(worker, "exit");
      worker.postMessage({ close: true });
      await exited;
    },
  };
}

interface PendingWrite {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Opens (creating and migrating when needed) a SQLite store: `:memory:` or a file. A write resolves
 * only after its transaction committed with WAL and `synchronous = FULL`, so an acknowledged write
 * survives `kill -9` and a power loss. Writes are group-committed: those that arrive while a batch
 * is being written go together in the next one, one sync of the log for all.
 */
export function openSqliteStore(location: string): Store {
  const db = openDatabase(location);
  const inMemory = location === ":memory:" || location === "";
  let executor: BatchExecutor;
  try {
    executor = inMemory ? inThreadExecutor(db) : workerExecutor(location);
  } catch (error) {
    db.close();
    throw error;
  }

  const statements = {
    list: db.prepare<[], ConnectionRow>("SELECT * FROM connections ORDER BY seq"),
    get: db.prepare<[string], ConnectionRow>("SELECT * FROM connections WHERE name = ?"),
    findToken: db.prepare<[string], { hash: string; client_id: string; expires_at: number }>(
      "SELECT * FROM tokens WHERE hash = ?",
    ),
    // Changes whenever another connection (the writer thread) commits to the file.
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
  };

  const userQueries = new Map<string, Database.Statement>();
  function userQuery(filter: UserFilter, sliced: boolean, count: boolean): Database.Statement {
    const where: string[] = [];
    if (filter.connectionId !== undefined) where.push("connection_id = ?");
    if (filter.strategies !== undefined) {
      where.push(`strategy IN (${filter.strategies.map(() => "?").join(", ") || "NULL"})`);
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
  // commits, whether through this store or through another process sharing the file.
  let listCache: { version: number; records: ReturnType<typeof fromRow>[] } | undefined;

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
  let inFlight = false;
  let scheduled = false;
  let closed = false;
  let drained: (() => void) | undefined;

  const pump = () => {
    scheduled = false;
    if (inFlight || queue.length === 0) {
      if (!inFlight) drained?.();
      return;
    }
    const batch = queue;
    queue = [];
    inFlight = true;
    executor
      .run(batch.map((p) => p.op))
      .then(
        (outcomes) => {
          listCache = undefined;
          batch.forEach((pending, i) => {
            const outcome = outcomes[i];
            if (outcome?.ok) pending.resolve(outcome.value);
            else if (outcome?.nameTaken && "row" in pending.op)
              pending.reject(new NameTakenError(pending.op.row.name));
            else pending.reject(new Error(outcome?.message ?? "The write failed."));
          });
        },
        (error: unknown) => {
          listCache = undefined;
          for (const pending of batch) pending.reject(error);
        },
      )
      .finally(() => {
        inFlight = false;
        pump();
      });
  };

  const write = <T>(op: WriteOp): Promise<T> => {
    if (closed) return Promise.reject(new Error("The store is closed."));
    return new Promise<T>((resolve, reject) => {
      queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      // Writes that arrive in the same round of I/O join one batch.
      if (!scheduled && !inFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
  };

  return {
    async listConnections() {
      const version = currentDataVersion();
      if (listCache?.version !== version) {
        listCache = { version, records: statements.list.all().map(fromRow) };
      }
      return listCache.records;
    },
    async getConnection(name) {
      const row = statements.get.get(name);
      return row ? fromRow(row) : undefined;
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
      return { users, total };
    },
    seedOnce: (connections, users) => write<boolean>(seedOp(connections, users)),
    saveToken: (t) =>
      write<void>({
        kind: "saveToken",
        hash: t.hash,
        clientId: t.clientId,
        expiresAt: t.expiresAt,
      }),
    async findToken(hash) {
      const row = statements.findToken.get(hash);
      return row
        ? { hash: row.hash, clientId: row.client_id, expiresAt: row.expires_at }
        : undefined;
    },
    deleteExpiredTokens: (now) => write<void>({ kind: "expireTokens", now }),
    async close() {
      if (closed) return;
      closed = true;
      // Every write already accepted is finished before the database closes.
      if (inFlight || queue.length > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          if (!scheduled && !inFlight) pump();
        });
      }
      await executor.close();
      db.close();
    },
  };
}
