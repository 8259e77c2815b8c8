// @ts-nocheck
import type postgres from "postgres";
import { StoreOpenError } from "../storage.js";

/**
 * Versioned schema migrations of the PostgreSQL store. `mgmtkit_migrations` records the versions
 * applied; a new version appends to this list and never edits an applied one. The tables mirror the
 * SQLite store's; `options` and user bodies stay JSON text so that they come back exactly as sent
 * (`jsonb` would reorder keys and drop duplicates), and client ids are JSON strings too, since a
 * text column cannot hold the NUL character a client id may contain.
 */
export const postgresMigrations: readonly string[] = [
  `
  CREATE TABLE connections (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    name text NOT NULL CONSTRAINT connections_name_key UNIQUE,
    client_id text NOT NULL,
    status integer NOT NULL,
    strategy text NOT NULL,
    options text NOT NULL,
    provisioning_ticket text
  );
  CREATE TABLE users (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id text NOT NULL UNIQUE,
    connection_id text NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    strategy text NOT NULL,
    body text NOT NULL
  );
  CREATE INDEX users_by_connection ON users(connection_id, seq);
  CREATE INDEX users_by_strategy ON users(strategy, seq);
  CREATE TABLE tokens (
    hash text PRIMARY KEY,
    client_id text NOT NULL,
    issued_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX tokens_by_expiry ON tokens(expires_at);
  CREATE INDEX tokens_by_client ON tokens(client_id, issued_at);
  CREATE TABLE meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );
  `,
];

/** The advisory lock every instance takes to migrate: "mgmt" "kit " as two 32-bit keys. */
const LOCK = [0x6d676d74, 0x6b697420] as const;

/**
 * Brings the schema to the latest version, in one transaction under a transaction-level advisory
 * lock: instances starting together queue on the lock, the first migrates, the others find nothing
 * left to do. A failure rolls the whole migration back. Answers the versions this call applied.
 */
export async function migratePostgres(sql: postgres.Sql, where: string): Promise<number[]> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK[0]}, ${LOCK[1]})`;
    await tx.unsafe(
      `CREATE TABLE IF NOT EXISTS mgmtkit_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const [row] = await tx<{ version: number }[]>`
      SELECT coalesce(max(version), 0)::integer AS version FROM mgmtkit_migrations`;
    const current = row?.version ?? 0;
    if (current > postgresMigrations.length) {
      throw new StoreOpenError(
        `The database ${where} has schema version ${current}, newer than this server knows (${postgresMigrations.length}); use a newer mgmtkit-server.`,
      );
    }
    const applied: number[] = [];
    for (let version = current; version < postgresMigrations.length; version++) {
      await tx.unsafe(postgresMigrations[version] as string);
      await tx`INSERT INTO mgmtkit_migrations (version) VALUES (${version + 1})`;
      applied.push(version + 1);
    }
    return applied;
  });
}
