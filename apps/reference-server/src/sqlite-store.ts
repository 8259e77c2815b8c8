import Database from "better-sqlite3";
import {
  type ConnectionRecord,
  NameTakenError,
  type Slice,
  type Store,
  type TokenRecord,
  type UserFilter,
  type UserRecord,
} from "./storage.js";

/**
 * Versioned schema migrations. The database's `user_version` records how many have run; a new
 * version appends to this list and never edits an applied one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE connections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    status INTEGER NOT NULL,
    strategy TEXT NOT NULL,
    options TEXT NOT NULL,
    provisioning_ticket TEXT
  );
  CREATE TABLE users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL UNIQUE,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    strategy TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX users_by_connection ON users(connection_id, seq);
  CREATE INDEX users_by_strategy ON users(strategy, seq);
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];

/** Raised when the database cannot be opened or was written by a newer version of the server. */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreOpenError";
  }
}

interface ConnectionRow {
  id: string;
  name: string;
  client_id: string;
  status: number;
  strategy: string;
  options: string;
  provisioning_ticket: string | null;
}

function fromRow(row: ConnectionRow): ConnectionRecord {
  const record: ConnectionRecord = {
    id: row.id,
    client_id: row.client_id,
    name: row.name,
    status: row.status,
    strategy: row.strategy,
    options: JSON.parse(row.options) as Record<string, unknown>,
  };
  if (row.provisioning_ticket !== null) record.provisioning_ticket = row.provisioning_ticket;
  return record;
}

function toRow(c: ConnectionRecord): ConnectionRow {
  return {
    id: c.id,
    name: c.name,
    client_id: c.client_id,
    status: c.status,
    strategy: c.strategy,
    options: JSON.stringify(c.options),
    provisioning_ticket: c.provisioning_ticket ?? null,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

function migrate(db: Database.Database, location: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > migrations.length) {
    throw new StoreOpenError(
      `The database ${location} has schema version ${current}, newer than this server knows (${migrations.length}); use a newer mgmtkit-server.`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/**
 * Opens (creating and migrating when needed) a SQLite store. Writes use WAL with
 * `synchronous = FULL`: once a write returns, it survives the process being killed and a power loss.
 */
export function openSqliteStore(location: string): Store {
  let db: Database.Database;
  try {
    db = new Database(location);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    migrate(db, location);
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(
      `Cannot open the database ${location}: ${(error as Error).message}.`.replace(/\.\.$/, "."),
      { cause: error },
    );
  }

  const statements = {
    list: db.prepare<[], ConnectionRow>("SELECT * FROM connections ORDER BY seq"),
    get: db.prepare<[string], ConnectionRow>("SELECT * FROM connections WHERE name = ?"),
    insert: db.prepare(
      `INSERT INTO connections (id, name, client_id, status, strategy, options, provisioning_ticket)
       VALUES (@id, @name, @client_id, @status, @strategy, @options, @provisioning_ticket)`,
    ),
    replace: db.prepare(
      `UPDATE connections SET name = @name, client_id = @client_id, status = @status, strategy = @strategy,
       options = @options, provisioning_ticket = @provisioning_ticket
       WHERE id = @id`,
    ),
    restrategizeUsers: db.prepare("UPDATE users SET strategy = ? WHERE connection_id = ?"),
    remove: db.prepare<[string], { id: string }>(
      "DELETE FROM connections WHERE name = ? RETURNING id",
    ),
    insertUser: db.prepare(
      "INSERT INTO users (user_id, connection_id, strategy, body) VALUES (?, ?, (SELECT strategy FROM connections WHERE id = ?), ?)",
    ),
    saveToken: db.prepare(
      "INSERT OR REPLACE INTO tokens (hash, client_id, expires_at) VALUES (?, ?, ?)",
    ),
    findToken: db.prepare<[string], { hash: string; client_id: string; expires_at: number }>(
      "SELECT * FROM tokens WHERE hash = ?",
    ),
    expireTokens: db.prepare("DELETE FROM tokens WHERE expires_at < ?"),
    seeded: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'seeded'"),
    markSeeded: db.prepare("INSERT INTO meta (key, value) VALUES ('seeded', ?)"),
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

  const insertConnection = (c: ConnectionRecord): void => {
    try {
      statements.insert.run(toRow(c));
    } catch (error) {
      if (isUniqueViolation(error)) throw new NameTakenError(c.name);
      throw error;
    }
  };

  // A user's strategy follows its connection's, which a replacement may change.
  const replace = db.transaction((c: ConnectionRecord): boolean => {
    if (statements.replace.run(toRow(c)).changes !== 1) return false;
    statements.restrategizeUsers.run(c.strategy, c.id);
    return true;
  });

  const seed = db.transaction((connections: ConnectionRecord[], users: UserRecord[]): boolean => {
    if (statements.seeded.get()) return false;
    for (const c of connections) insertConnection(c);
    for (const u of users) {
      statements.insertUser.run(
        u.user.user_id,
        u.connectionId,
        u.connectionId,
        JSON.stringify(u.user),
      );
    }
    statements.markSeeded.run(new Date().toISOString());
    return true;
  });

  // Group commit: the writes that arrive while the event loop handles one round of I/O run in one
  // transaction, each in its own savepoint (so one failing write does not undo the others), and
  // are all acknowledged after its single commit, that is after one fsync instead of one each.
  interface PendingWrite {
    run: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
    outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
  }
  let queue: PendingWrite[] = [];
  let flushScheduled = false;
  const inSavepoint = db.transaction((run: () => unknown) => run());
  const commitBatch = db.transaction((batch: PendingWrite[]) => {
    for (const write of batch) {
      try {
        write.outcome = { ok: true, value: inSavepoint(write.run) };
      } catch (error) {
        write.outcome = { ok: false, error };
      }
    }
  });
  const flush = () => {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      commitBatch.immediate(batch);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    } finally {
      listCache = undefined;
    }
    for (const write of batch) {
      const outcome = write.outcome;
      if (outcome?.ok) write.resolve(outcome.value);
      else write.reject(outcome?.error);
    }
  };
  const write = <T>(run: () => T): Promise<T> => {
    if (closed) return Promise.reject(new Error("The store is closed."));
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });
  };

  // The list of connections is read far more often than written; it is kept until this
  // connection writes or another connection to the same file commits (data_version changes).
  const dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
  let listCache: { version: number; records: ConnectionRecord[] } | undefined;

  let closed = false;
  return {
    async listConnections() {
      const version = dataVersion.get() as number;
      if (listCache?.version !== version) {
        listCache = { version, records: statements.list.all().map(fromRow) };
      }
      return listCache.records;
    },
    async getConnection(name) {
      const row = statements.get.get(name);
      return row ? fromRow(row) : undefined;
    },
    insertConnection(c) {
      return write(() => insertConnection(c));
    },
    replaceConnection(c) {
      return write(() => {
        try {
          return replace(c);
        } catch (error) {
          if (isUniqueViolation(error)) throw new NameTakenError(c.name);
          throw error;
        }
      });
    },
    deleteConnection(name) {
      return write(() => statements.remove.get(name)?.id);
    },
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
    async seedOnce(connections, users) {
      flush();
      listCache = undefined;
      return seed.immediate(connections, users);
    },
    saveToken(token: TokenRecord) {
      return write(() => {
        statements.saveToken.run(token.hash, token.clientId, token.expiresAt);
      });
    },
    async findToken(hash) {
      const row = statements.findToken.get(hash);
      return row
        ? { hash: row.hash, clientId: row.client_id, expiresAt: row.expires_at }
        : undefined;
    },
    deleteExpiredTokens(now) {
      return write(() => {
        statements.expireTokens.run(now);
      });
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
      db.close();
    },
  };
}
