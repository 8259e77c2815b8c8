import Database from "better-sqlite3";
import type { ConnectionRecord } from "../storage.js";

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

export interface ConnectionRow {
  id: string;
  name: string;
  client_id: string;
  status: number;
  strategy: string;
  options: string;
  provisioning_ticket: string | null;
}

export function fromRow(row: ConnectionRow): ConnectionRecord {
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

export function toRow(c: ConnectionRecord): ConnectionRow {
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

export function isUniqueViolation(error: unknown): boolean {
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
 * Opens a database file (or `:memory:`), creating and migrating it when needed. In WAL mode with
 * `synchronous = NORMAL` a commit has written its log frames, so it survives the process being
 * killed, and checkpoints sync what they copy. Syncing the log after commits, for writes that must
 * survive a power loss, is left to the store, which does it off the event loop.
 */
export function openDatabase(location: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(location);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    migrate(db, location);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(
      `Cannot open the database ${location}: ${(error as Error).message}.`.replace(/\.\.$/, "."),
      { cause: error },
    );
  }
}
