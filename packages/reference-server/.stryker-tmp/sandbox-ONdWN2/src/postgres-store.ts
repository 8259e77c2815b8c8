/**
 * The PostgreSQL store: several server instances on one database, each instance stateless.
 *
 * Driver: `postgres` (porsager's postgres.js) rather than `pg`. It has no dependencies, pools and
 * pipelines queries on its own (several statements in flight per connection, which is what a busy
 * server on a few connections needs), builds parameters from tagged templates so that no value is
 * ever spliced into SQL text, reconnects by itself after the database comes back, lets a query that
 * still waits for a connection be cancelled (so a deadline never leaves a write to run later), and
 * ships its own types.
 *
 * Every write is one statement or one transaction, acknowledged once PostgreSQL committed it (with
 * the server's `synchronous_commit`, on by default: the commit is on disk). Uniqueness of names is
 * the `connections_name_key` constraint, so concurrent creates of one name on any number of
 * instances give one success. Reads go to the database every time: no instance holds state another
 * could make stale.
 */
// @ts-nocheck

import postgres from "postgres";
import { migratePostgres } from "./postgres/schema.js";
import { type ConnectionRow, fromRow, toRow } from "./sqlite/schema.js";
import {
  type ConnectionRecord,
  NameTakenError,
  type Store,
  StoreFullError,
  StoreOpenError,
  StoreUnavailableError,
  type TokenRecord,
  type UserRecord,
} from "./storage.js";

export { postgresMigrations } from "./postgres/schema.js";

export interface PostgresStoreOptions {
  /** Connections in the pool of this instance. Default `10`. */
  maxConnections?: number;
  /**
   * Milliseconds an operation may take, waiting for a connection included, before it fails with a
   * `StoreUnavailableError` (answered 503); the database also cancels a statement that runs longer.
   * Default `5000`.
   */
  timeoutMs?: number;
  /**
   * Milliseconds during which, after the database could not be reached, operations fail at once
   * instead of each trying again; the first one after it tries. Default `500`.
   */
  retryAfterMs?: number;
}

/** Whether `location` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** The URL without its password and query, fit for messages and logs. */
export function describePostgresUrl(location: string): string {
  try {
    const url = new URL(location);
    const user = url.username ? `${url.username}@` : "";
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    return "postgres://…";
  }
}

/** Node and driver error codes of a connection that could not be made or was lost. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);

function codeOf(error: unknown): string {
  return String((error as { code?: unknown }).code ?? "");
}

/** Whether the error means the database is out of reach (as opposed to a statement failing). */
function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith("08") || // connection exception
    code.startsWith("57P") || // shutdown, crash, cannot connect now
    code === "28P01" || // password authentication failed
    code === "28000" ||
    code === "3D000" // database does not exist
  );
}

/** Why the database could not be used, in words that carry no secret. */
function reason(error: unknown): string {
  const code = codeOf(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "no answer in time";
    case "CONNECTION_CLOSED":
    case "CONNECTION_DESTROYED":
    case "CONNECTION_ENDED":
    case "ECONNRESET":
    case "EPIPE":
      return "connection lost";
    default:
      // PostgreSQL's own messages name users and databases, never passwords.
      return error instanceof postgres.PostgresError
        ? error.message.replace(/\.$/, "")
        : code || "unknown error";
  }
}

function translate(error: unknown): unknown {
  if (
    error instanceof StoreUnavailableError ||
    error instanceof StoreFullError ||
    error instanceof NameTakenError
  ) {
    return error;
  }
  const code = codeOf(error);
  if (code === "53100") {
    return new StoreFullError(
      "The disk holding the database is full; nothing was written. Free some space and retry.",
      { cause: error },
    );
  }
  if (code === "57014") {
    return new StoreUnavailableError("The database did not answer in time; retry shortly.", {
      cause: error,
    });
  }
  if (isConnectionError(error) || code.startsWith("53")) {
    return new StoreUnavailableError(
      `The database is unavailable (${reason(error)}); retry shortly.`,
      { cause: error },
    );
  }
  return error;
}

interface TokenRow {
  hash: string;
  client_id: string;
  issued_at: string;
  expires_at: string;
}

const fromTokenRow = (row: TokenRow): TokenRecord => ({
  hash: row.hash,
  clientId: decodeClientId(row.client_id),
  issuedAt: Number(row.issued_at),
  expiresAt: Number(row.expires_at),
});

/** PostgreSQL text holds no NUL character: a name with one cannot be stored, so none matches. */
const storable = (text: string) => !text.includes("\0");

// Client ids are any string the API accepts, NUL included, which a PostgreSQL text column cannot
// hold: they are stored as JSON strings, which escape it.
const encodeClientId = (clientId: string) => JSON.stringify(clientId);
const decodeClientId = (stored: string) => JSON.parse(stored) as string;

const toPgRow = (c: ConnectionRecord): ConnectionRow => {
  const row = toRow(c);
  return { ...row, client_id: encodeClientId(row.client_id) };
};
const fromPgRow = (row: ConnectionRow): ConnectionRecord =>
  fromRow({ ...row, client_id: decodeClientId(row.client_id) });

/** Inserts a connection, through the pool or inside a transaction. */
const insertConnectionRow = (q: postgres.Sql | postgres.TransactionSql, c: ConnectionRecord) => {
  const r = toPgRow(c);
  return q`
    INSERT INTO connections (id, name, client_id, status, strategy, options, provisioning_ticket)
    VALUES (${r.id}, ${r.name}, ${r.client_id}, ${r.status}, ${r.strategy}, ${r.options},
            ${r.provisioning_ticket})`;
};

/**
 * Connects to the database named by `url`, migrating its schema when needed (see
 * `migratePostgres`), and answers a store once the database answered. A URL that is not valid, a
 * database out of reach or refusing the credentials is a `StoreOpenError` whose message never holds
 * the password.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const where = describePostgresUrl(url);
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryAfterMs = options.retryAfterMs ?? 500;
  const max = options.maxConnections ?? 10;
  for (const [name, value, least] of [
    ["timeoutMs", timeoutMs, 1],
    ["retryAfterMs", retryAfterMs, 0],
    ["maxConnections", max, 1],
  ] as const) {
    if (!(Number.isInteger(value) && value >= least)) {
      throw new StoreOpenError(`${name} must be a whole number, at least ${least}, not ${value}.`);
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreOpenError("The database URL is not a valid URL.");
  }
  if (!isPostgresUrl(url) || parsed.hostname === "") {
    throw new StoreOpenError(
      `The database URL ${where} must look like postgres://user:password@host:5432/database.`,
    );
  }

  let sql: postgres.Sql;
  try {
    sql = postgres(url, {
      max,
      connect_timeout: Math.ceil(timeoutMs / 1000),
      // Reconnect attempts at most half a second apart, so that the store notices soon that the
      // database is back (the driver's default backs off up to 20 s).
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
      idle_timeout: 60,
      onnotice: () => {},
      connection: {
        application_name: "mgmtkit-server",
        statement_timeout: timeoutMs,
      },
    });
  } catch (error) {
    throw new StoreOpenError(`The database URL ${where} is not valid: ${reason(error)}.`, {
      cause: error,
    });
  }

  try {
    await migratePostgres(sql, where);
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(
      `Cannot use the PostgreSQL database ${where}: ${reason(error)}.`.replace(/\.\.$/, "."),
      { cause: error },
    );
  }

  // When the database was last found out of reach; until `retryAfterMs` later, operations fail at
  // once rather than queueing for a connection that will not come.
  let downSince: number | undefined;
  let closed = false;
  let lists = 0;

  // Operations in flight with their deadlines, swept by one timer rather than one timer each.
  interface InFlight {
    deadline: number;
    expire: () => void;
  }
  const inFlight = new Set<InFlight>();
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = performance.now();
    for (const op of inFlight) if (now >= op.deadline) op.expire();
    if (inFlight.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  function guard<T>(operation: () => Promise<T> & { cancel?: () => unknown }): Promise<T> {
    if (closed) return Promise.reject(new StoreUnavailableError("The store is closed."));
    if (downSince !== undefined && performance.now() - downSince < retryAfterMs) {
      return Promise.reject(
        new StoreUnavailableError("The database is unavailable; retry shortly."),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const pending = operation();
      const op: InFlight = {
        deadline: performance.now() + timeoutMs,
        expire: () => {
          inFlight.delete(op);
          // A query still waiting for a connection is taken out of the queue: it never runs.
          void Promise.resolve(pending.cancel?.()).catch(() => {});
          reject(
            new StoreUnavailableError(
              `The database did not answer within ${timeoutMs} ms; retry shortly.`,
            ),
          );
        },
      };
      inFlight.add(op);
      sweeper ??= setInterval(sweep, Math.min(100, timeoutMs)).unref();
      pending.then(
        (value) => {
          inFlight.delete(op);
          downSince = undefined;
          resolve(value);
        },
        (error: unknown) => {
          inFlight.delete(op);
          const translated = translate(error);
          if (translated instanceof StoreUnavailableError && isConnectionError(error)) {
            downSince = performance.now();
          }
          reject(translated);
        },
      );
    });
  }

  return {
    async listConnections() {
      const rows = await guard(
        () => sql<ConnectionRow[]>`
          SELECT id, name, client_id, status, strategy, options, provisioning_ticket
          FROM connections ORDER BY seq`,
      );
      // Another instance may have written since the last read: every answer is a new version.
      return { version: `pg.${++lists}`, records: Object.freeze(rows.map(fromPgRow)) };
    },

    async getConnection(name) {
      if (!storable(name)) return undefined;
      const [row] = await guard(
        () => sql<ConnectionRow[]>`
          SELECT id, name, client_id, status, strategy, options, provisioning_ticket
          FROM connections WHERE name = ${name}`,
      );
      return row ? fromPgRow(row) : undefined;
    },

    async insertConnection(connection) {
      try {
        await guard(() => insertConnectionRow(sql, connection));
      } catch (error) {
        const constraint = (error as { constraint_name?: string }).constraint_name;
        if (codeOf(error) === "23505" && constraint === "connections_name_key") {
          throw new NameTakenError(connection.name);
        }
        throw error;
      }
    },

    async replaceConnection(connection) {
      const r = toPgRow(connection);
      // One statement: the connection and its users' strategy change together or not at all.
      const [row] = await guard(
        () => sql<{ replaced: number }[]>`
          WITH c AS (
            UPDATE connections SET name = ${r.name}, client_id = ${r.client_id}, status = ${r.status},
              strategy = ${r.strategy}, options = ${r.options},
              provisioning_ticket = ${r.provisioning_ticket}
            WHERE id = ${r.id} RETURNING id, strategy
          ), u AS (
            UPDATE users SET strategy = c.strategy FROM c WHERE users.connection_id = c.id
          )
          SELECT count(*)::integer AS replaced FROM c`,
      );
      return row?.replaced === 1;
    },

    async deleteConnection(name) {
      if (!storable(name)) return undefined;
      const [row] = await guard(
        () => sql<{ id: string }[]>`DELETE FROM connections WHERE name = ${name} RETURNING id`,
      );
      return row?.id;
    },

    async listUsers(filter, slice) {
      const where = sql`WHERE true
        ${filter.connectionId !== undefined ? sql`AND connection_id = ${filter.connectionId}` : sql``}
        ${filter.strategies !== undefined ? sql`AND strategy = ANY(${sql.array([...filter.strategies], 25)})` : sql``}
        ${filter.enabledOnly ? sql`AND connection_id IN (SELECT id FROM connections WHERE status = 1)` : sql``}`;
      const [rows, counted] = await guard(() =>
        Promise.all([
          sql<{ connection_id: string; body: string }[]>`
            SELECT connection_id, body FROM users ${where} ORDER BY seq
            ${slice ? sql`LIMIT ${slice.limit} OFFSET ${slice.offset}` : sql``}`,
          slice
            ? sql<{ total: number }[]>`SELECT count(*)::integer AS total FROM users ${where}`
            : Promise.resolve(undefined),
        ]),
      );
      const users = rows.map((r) => ({
        connectionId: r.connection_id,
        user: JSON.parse(r.body) as UserRecord["user"],
      }));
      return { users, total: counted?.[0]?.total ?? users.length };
    },

    async seedOnce(connections, users) {
      const strategyOf = new Map(connections.map((c) => [c.id, c.strategy]));
      return guard(() =>
        sql.begin(async (tx) => {
          // The marker goes in first: a second instance seeding at the same moment waits on its
          // key, then finds it taken and seeds nothing.
          const marked = await tx`
            INSERT INTO meta (key, value) VALUES ('seeded', ${new Date().toISOString()})
            ON CONFLICT (key) DO NOTHING RETURNING key`;
          if (marked.length === 0) return false;
          for (const c of connections) await insertConnectionRow(tx, c);
          for (const u of users) {
            await tx`
              INSERT INTO users (user_id, connection_id, strategy, body)
              VALUES (${u.user.user_id}, ${u.connectionId},
                      ${strategyOf.get(u.connectionId) ?? null}::text, ${JSON.stringify(u.user)})`;
          }
          return true;
        }),
      );
    },

    async saveToken(token) {
      await guard(
        () => sql`
          INSERT INTO tokens (hash, client_id, issued_at, expires_at)
          VALUES (${token.hash}, ${encodeClientId(token.clientId)}, ${token.issuedAt},
                  ${token.expiresAt})
          ON CONFLICT (hash) DO UPDATE SET client_id = excluded.client_id,
            issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
      );
    },

    async findToken(hash) {
      const [row] = await guard(
        () => sql<TokenRow[]>`
          SELECT hash, client_id, issued_at, expires_at FROM tokens WHERE hash = ${hash}`,
      );
      return row ? fromTokenRow(row) : undefined;
    },

    async pruneTokens({ now, clientId, keep, limit }) {
      // Two statements, each through an index and bounded by `limit`.
      const expired = await guard(
        () => sql`
          DELETE FROM tokens WHERE hash IN (
            SELECT hash FROM tokens WHERE expires_at <= ${now} LIMIT ${limit})`,
      );
      const excess = await guard(
        () => sql`
          DELETE FROM tokens WHERE hash IN (
            SELECT hash FROM tokens WHERE client_id = ${encodeClientId(clientId)}
            ORDER BY issued_at DESC OFFSET ${keep} LIMIT ${limit})`,
      );
      return expired.count + excess.count;
    },

    async check() {
      await guard(() => sql`SELECT 1`);
    },

    async close() {
      if (closed) return;
      closed = true;
      // Statements in flight finish; none is cut short unless the database stops answering.
      await sql.end({ timeout: Math.ceil(timeoutMs / 1000) });
    },
  };
}
