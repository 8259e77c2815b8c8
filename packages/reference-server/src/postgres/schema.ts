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
  // Instances cache the connections and the tokens they checked; every committed change is
  // announced on the channel \`mgmtkit_changes\` as "<table>:<transaction id>", whoever made it (a
  // statement in psql too). Statement-level triggers fire once per statement; those that can
  // change nothing (a delete of a name that does not exist) stay silent, since each NOTIFY takes a
  // database-wide lock at commit. Inserts into \`tokens\` are not announced: instances never cache
  // a token they did not find. A provisioning ticket is found through its own index.
  `
  CREATE FUNCTION mgmtkit_announce() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('mgmtkit_changes', TG_TABLE_NAME || ':' || txid_current()::text);
    RETURN NULL;
  END $$;
  CREATE FUNCTION mgmtkit_announce_rows() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT FROM changed) THEN
      PERFORM pg_notify('mgmtkit_changes', TG_TABLE_NAME || ':' || txid_current()::text);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER connections_inserted AFTER INSERT ON connections
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_rows();
  CREATE TRIGGER connections_updated AFTER UPDATE ON connections
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_rows();
  CREATE TRIGGER connections_deleted AFTER DELETE ON connections
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_rows();
  CREATE TRIGGER connections_truncated AFTER TRUNCATE ON connections
    FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce();
  CREATE TRIGGER tokens_updated AFTER UPDATE ON tokens
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_rows();
  CREATE TRIGGER tokens_deleted AFTER DELETE ON tokens
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_rows();
  CREATE TRIGGER tokens_truncated AFTER TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce();
  CREATE INDEX connections_by_ticket ON connections (provisioning_ticket)
    WHERE provisioning_ticket IS NOT NULL;
  `,
  // A change to the connections is announced with the rows it made, so that an instance applies it
  // to the list it holds instead of reading the whole list again: "connections:<xid>:<changes>",
  // the changes a JSON array of ["d", id] (a row gone) and ["u", seq, id, name, client_id, status,
  // strategy, options, provisioning_ticket] (a row as it now is). A payload that would not fit a
  // notification (8000 bytes) is announced as before, without its changes: instances read again.
  // An update announces its old rows gone first, in case it changed an id.
  `
  CREATE FUNCTION mgmtkit_announce_connections() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    changes text;
    prefix text := 'connections:' || txid_current()::text;
  BEGIN
    IF TG_OP = 'DELETE' THEN
      SELECT json_agg(json_build_array('d', id))::text INTO changes FROM gone;
    ELSIF TG_OP = 'UPDATE' THEN
      SELECT json_agg(c)::text INTO changes FROM (
        SELECT json_build_array('d', id) AS c, 0 AS part, seq FROM gone
        UNION ALL
        SELECT json_build_array('u', seq, id, name, client_id, status, strategy, options,
                                provisioning_ticket), 1, seq FROM changed
        ORDER BY part, seq) rows;
    ELSE
      SELECT json_agg(json_build_array('u', seq, id, name, client_id, status, strategy, options,
                                       provisioning_ticket) ORDER BY seq)::text
        INTO changes FROM changed;
    END IF;
    IF changes IS NULL THEN
      RETURN NULL;
    END IF;
    IF octet_length(prefix) + 1 + octet_length(changes) < 7900 THEN
      PERFORM pg_notify('mgmtkit_changes', prefix || ':' || changes);
    ELSE
      PERFORM pg_notify('mgmtkit_changes', prefix);
    END IF;
    RETURN NULL;
  END $$;
  DROP TRIGGER connections_inserted ON connections;
  DROP TRIGGER connections_updated ON connections;
  DROP TRIGGER connections_deleted ON connections;
  CREATE TRIGGER connections_inserted AFTER INSERT ON connections
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_connections();
  CREATE TRIGGER connections_updated AFTER UPDATE ON connections
    REFERENCING OLD TABLE AS gone NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_connections();
  CREATE TRIGGER connections_deleted AFTER DELETE ON connections
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION mgmtkit_announce_connections();
  `,
];

/** The channel the triggers of migration 2 announce committed changes on. */
export const CHANGES_CHANNEL = "mgmtkit_changes";

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
