// @ts-nocheck
import { closeSync, existsSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { type ConnectionRecord, StoreFullError, StoreOpenError } from "../storage.js";

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
  // Tokens are now stored under a hash keyed by the client credentials, so the rows of version 1
  // can never match again: the table is recreated rather than altered. Both indexes keep pruning
  // off full scans: expired tokens by expiry, and a client's oldest tokens beyond its cap.
  `
  DROP TABLE tokens;
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX tokens_by_expiry ON tokens(expires_at);
  CREATE INDEX tokens_by_client ON tokens(client_id, issued_at);
  `,
];

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

/** The error to throw for a failed statement: a full disk is said so, anything else is kept. */
export function storeError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === "SQLITE_FULL") {
    return new StoreFullError(
      "The disk holding the database is full; nothing was written. Free some space and retry.",
      { cause: error },
    );
  }
  return error;
}

function isFile(location: string): boolean {
  return location !== ":memory:" && location !== "" && !location.startsWith("file:");
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
 * Refuses, at start rather than at the first request, a database that is damaged or cannot be
 * written: `PRAGMA quick_check` reads every page (O(size), once), and a real write proves the file,
 * its directory and its log writable (SQLite opens a read-only file without complaint and begins
 * transactions on it; only a write fails).
 */
function checkUsable(db: Database.Database, location: string): void {
  let problems: string[];
  try {
    problems = (db.pragma("quick_check") as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (error) {
    problems = [(error as Error).message];
  }
  if (problems[0] !== "ok") {
    throw new StoreOpenError(
      `The database ${location} is damaged (${(problems[0] ?? "unknown").replace(/\.$/, "")}); restore it from a backup or start on another file.`,
    );
  }
  try {
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('opened_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(new Date().toISOString());
  } catch (error) {
    throw unwritable(error, location) ?? error;
  }
}

function unwritable(error: unknown, location: string): StoreOpenError | undefined {
  const code = (error as { code?: string }).code ?? "";
  if (code.startsWith("SQLITE_READONLY")) {
    return new StoreOpenError(
      `The database ${location} cannot be written (${(error as Error).message}); check the permissions of the file and its folder.`,
      { cause: error },
    );
  }
  if (code === "SQLITE_FULL") {
    return new StoreOpenError(`The database ${location} cannot be written: the disk is full.`, {
      cause: error,
    });
  }
  return undefined;
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
    // The file holds connection options, client secrets among them: a new one is readable by its
    // owner only, and SQLite gives its -wal and -shm files the mode of the database file.
    if (isFile(location) && !existsSync(location)) {
      try {
        closeSync(openSync(location, "wx", 0o600));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    db = new Database(location);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    migrate(db, location);
    checkUsable(db, location);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreOpenError) throw error;
    const refused = unwritable(error, location);
    if (refused) throw refused;
    throw new StoreOpenError(
      `Cannot open the database ${location}: ${(error as Error).message}.`.replace(/\.\.$/, "."),
      { cause: error },
    );
  }
}
