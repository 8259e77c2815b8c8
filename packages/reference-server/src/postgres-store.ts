/**
 * The PostgreSQL store: several server instances on one database.
 *
 * Driver: `postgres` (porsager's postgres.js) rather than `pg`. It has no dependencies, pools and
 * pipelines queries on its own (several statements in flight per connection, which is what a busy
 * server on a few connections needs), prepares every statement once per connection (named
 * statements, as `pg`'s named queries), builds parameters from tagged templates so that no value is
 * ever spliced into SQL text, reconnects by itself after the database comes back, and ships its own
 * types.
 *
 * Every write is one statement, acknowledged once it is on disk. Creates and deletes that arrive
 * together share one statement, whose commit is made durable by a small synchronous commit sent
 * right behind it on the same connection, so that both take one round trip (see `batchStatement`
 * and `WRITE_CONNECTIONS`); the other writes commit synchronously (the server's
 * `synchronous_commit`, on by default). Uniqueness of names is the
 * `connections_name_key` constraint, so concurrent creates of one name on any number of instances
 * give one success.
 *
 * Reads of connections and token checks are answered from memory while that is safe (see
 * `ChangeFeed`): each committed change is announced by the database (`LISTEN/NOTIFY`, from
 * triggers) with its transaction id, and every cached answer carries the snapshot it was read in,
 * so that an announcement drops exactly the answers that cannot contain its change. While the
 * listening connection is down nothing is answered from memory.
 */
import postgres from "postgres";
import { type ConnectionRow, fromRow, toRow } from "./connection-rows.js";
import {
  ChangeFeed,
  COHERENCE_MS,
  type ConnectionChange,
  type ListEntry,
  parseSnapshot,
} from "./postgres/change-feed.js";
import { codeOf, isConnectionError, reason, translate } from "./postgres/errors.js";
import { CHANGES_CHANNEL, migratePostgres } from "./postgres/schema.js";
import {
  type BatchedWrite,
  batchStatement,
  MAX_IN_FLIGHT,
  syncStatement,
  writeBatcher,
} from "./postgres/write-batches.js";
import {
  type ConnectionRecord,
  NameTakenError,
  type Store,
  StoreOpenError,
  StoreUnavailableError,
  type TokenRecord,
  type UserRecord,
} from "./storage.js";

export { postgresMigrations } from "./postgres/schema.js";
export { COHERENCE_MS };

export interface PostgresStoreOptions {
  /**
   * Connections of this instance to the database, besides the one that listens: up to
   * `WRITE_CONNECTIONS` of them carry the batches of creates and deletes, the others everything
   * else (at least one each, so at least two in all). Default `10`.
   */
  maxConnections?: number;
  /**
   * Milliseconds an operation may take, waiting for a connection included, before it fails with a
   * `StoreUnavailableError` (answered 503); the database also cancels a statement that runs longer.
   * Default `5000`. A write the database already received is not abandoned then (see
   * `outcomeWaitMs`).
   */
  timeoutMs?: number;
  /**
   * Milliseconds a write that reached the database keeps waiting, past `timeoutMs`, for the
   * database to say whether it committed: a 503 that says "retry" must mean "not written". When
   * no word comes by then (the database stopped answering), the write fails with a
   * `StoreUnavailableError` saying it may or may not have been applied. Default: `timeoutMs`.
   */
  outcomeWaitMs?: number;
  /**
   * Milliseconds during which, after the database could not be reached, operations fail at once
   * instead of each trying again; the first one after it tries. Default `500`.
   */
  retryAfterMs?: number;
  /**
   * Answer connection reads and token checks from memory while the change notifications are
   * heard. Default `true`; `false` reads the database every time.
   */
  cache?: boolean;
}

/** The PostgreSQL store, with what an operator or a test may want to know about its cache. */
export interface PostgresStore extends Store {
  /** Whether the change notifications are heard now, hence whether reads may come from memory. */
  readonly listening: boolean;
}

/**
 * Connections that carry batched creates and deletes, each a pool of one: a batch and the
 * synchronous commit that makes it durable are pipelined on one connection, so the second runs
 * once the first committed, in one round trip. Several of them keep batches in flight together
 * (see `MAX_IN_FLIGHT`), whose synchronous commits then share disk syncs.
 */
export const WRITE_CONNECTIONS = MAX_IN_FLIGHT;

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

/** A connection row read with the snapshot of its statement; `id` is null when none matched. */
type SnapshotRow = { snapshot: string; seq?: number | null } & {
  [K in keyof ConnectionRow]: ConnectionRow[K] | null;
};

/**
 * An announcement on the changes channel (see migrations 2 and 3): the table, the transaction,
 * and for the connections the rows it made when they fitted, read only when asked for (see
 * `ChangeFeed.connectionsChanged`). Rows that cannot be read count as a change announced without
 * them: the cached list goes and is read again.
 */
function parseAnnouncement(payload: string): {
  table: string;
  xid: number;
  changes?: () => ConnectionChange[] | undefined;
} {
  const first = payload.indexOf(":");
  const table = first < 0 ? payload : payload.slice(0, first);
  const second = first < 0 ? -1 : payload.indexOf(":", first + 1);
  const xidText = first < 0 ? "" : payload.slice(first + 1, second < 0 ? undefined : second);
  const xid = xidText === "" ? Number.POSITIVE_INFINITY : Number(xidText);
  if (second < 0 || table !== "connections") return { table, xid };
  return { table, xid, changes: () => parseChanges(payload.slice(second + 1)) };
}

/** The changes of an announcement (a JSON array, see migration 3), or none when unreadable. */
function parseChanges(text: string): ConnectionChange[] | undefined {
  try {
    return (JSON.parse(text) as unknown[]).map((c): ConnectionChange => {
      if (!Array.isArray(c)) throw new TypeError("not a change");
      if (c[0] === "d" && typeof c[1] === "string") return { kind: "gone", id: c[1] };
      const [kind, seq, id, name, client_id, status, strategy, options, ticket] = c as [
        unknown,
        number,
        string,
        string,
        string,
        number,
        string,
        string,
        string | null,
      ];
      if (kind !== "u" || typeof seq !== "number") throw new TypeError("not a change");
      const row = { id, name, client_id, status, strategy, options, provisioning_ticket: ticket };
      return { kind: "row", seq, record: fromPgRow(row) };
    });
  } catch {
    return undefined;
  }
}

/** Inserts a connection, through the pool or inside a transaction; answers the transaction id. */
const insertConnectionRow = (q: postgres.Sql | postgres.TransactionSql, c: ConnectionRecord) => {
  const r = toPgRow(c);
  return q<{ xid: string }[]>`
    INSERT INTO connections (id, name, client_id, status, strategy, options, provisioning_ticket)
    VALUES (${r.id}, ${r.name}, ${r.client_id}, ${r.status}, ${r.strategy}, ${r.options},
            ${r.provisioning_ticket})
    RETURNING txid_current()::text AS xid`;
};

/** The database's word on a write that reached it did not come: it may or may not have committed. */
function outcomeUnknown(waitedMs: number, cause?: unknown): StoreUnavailableError {
  return new StoreUnavailableError(
    `The database did not confirm the write within ${waitedMs} ms; it may or may not have been applied: read it back before trying again.`,
    cause === undefined ? undefined : { cause },
  );
}

/** A driver query still waiting for a connection has no backend state yet: it was never sent. */
const sent = (query: unknown) =>
  typeof query !== "object" ||
  query === null ||
  !("state" in query) ||
  (query as { state: unknown }).state !== null;

/**
 * Connects to the database named by `url`, migrating its schema when needed (see
 * `migratePostgres`), and answers a store once the database answered. A URL that is not valid, a
 * database out of reach or refusing the credentials is a `StoreOpenError` whose message never holds
 * the password.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const where = describePostgresUrl(url);
  const timeoutMs = options.timeoutMs ?? 5000;
  const outcomeWaitMs = options.outcomeWaitMs ?? timeoutMs;
  const retryAfterMs = options.retryAfterMs ?? 500;
  const max = options.maxConnections ?? 10;
  for (const [name, value, least] of [
    ["timeoutMs", timeoutMs, 1],
    ["outcomeWaitMs", outcomeWaitMs, 0],
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

  const feed = new ChangeFeed(options.cache ?? true);
  let closed = false;
  const common = {
    connect_timeout: Math.ceil(timeoutMs / 1000),
    // Reconnect attempts at most half a second apart, so that the store notices soon that the
    // database is back (the driver's default backs off up to 20 s).
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
    onnotice: () => {},
  };
  const writerCount = Math.min(WRITE_CONNECTIONS, Math.max(1, max - 1));
  let sql: postgres.Sql;
  let writers: postgres.Sql[];
  let listener: postgres.Sql;
  try {
    const pool = (size: number, name: string) =>
      postgres(url, {
        ...common,
        max: size,
        idle_timeout: 60,
        connection: { application_name: name, statement_timeout: timeoutMs },
      });
    sql = pool(Math.max(1, max - writerCount), "mgmtkit-server");
    writers = Array.from({ length: writerCount }, () => pool(1, "mgmtkit-server write"));
    // One connection of its own, idle but for the announcements; when it closes, whatever was
    // announced meanwhile is lost, so the cache goes until it listens again.
    listener = postgres(url, {
      ...common,
      max: 1,
      idle_timeout: null as unknown as number,
      max_lifetime: null as unknown as number,
      fetch_types: false,
      connection: { application_name: "mgmtkit-server listen" },
      onnotify: (_channel: string, payload: string) => {
        const { table, xid, changes } = parseAnnouncement(payload);
        if (table === "tokens") feed.tokensChanged();
        else feed.connectionsChanged(xid, changes);
      },
      onclose: () => {
        feed.listening = false;
        feed.session++;
        feed.forget();
        if (!closed) scheduleListen(0);
      },
    } as postgres.Options<Record<string, postgres.PostgresType>>);
  } catch (error) {
    throw new StoreOpenError(`The database URL ${where} is not valid: ${reason(error)}.`, {
      cause: error,
    });
  }

  try {
    await migratePostgres(sql, where);
    // The driver learns the array types on a pool's first connection; a batch built before that
    // would send its arrays as single values.
    await Promise.all(writers.map((w) => w`SELECT 1`));
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    for (const w of writers) await w.end({ timeout: 0 }).catch(() => {});
    await listener.end({ timeout: 0 }).catch(() => {});
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(
      `Cannot use the PostgreSQL database ${where}: ${reason(error)}.`.replace(/\.\.$/, "."),
      { cause: error },
    );
  }

  let listenTimer: NodeJS.Timeout | undefined;
  let listenAttempts = 0;
  const listen = async (): Promise<void> => {
    listenTimer = undefined;
    const session = feed.session;
    try {
      const started = performance.now();
      await listener.unsafe(`LISTEN ${CHANGES_CHANNEL}`);
      if (closed || session !== feed.session) return;
      listenAttempts = 0;
      // What was read before this point may predate a change announced while nobody listened.
      feed.forget();
      feed.listening = true;
      feed.confirmedAt = started;
    } catch {
      if (!closed) scheduleListen(Math.min(50 * 2 ** listenAttempts++, 1000));
    }
  };
  function scheduleListen(delayMs: number): void {
    if (listenTimer || closed) return;
    listenTimer = setTimeout(() => void listen(), delayMs);
    listenTimer.unref();
  }
  if (options.cache ?? true) await listen();

  // When the database was last found out of reach; until `retryAfterMs` later, operations fail at
  // once rather than queueing for a connection that will not come.
  let downSince: number | undefined;

  // Operations in flight with their deadlines, swept by one timer rather than one timer each.
  interface InFlight {
    deadline: number;
    waitingForOutcome?: boolean;
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

  /**
   * Runs `operation` under the deadline. A query still waiting for a connection at the deadline is
   * taken out of the queue and fails: it never runs. A read already sent is left to finish and
   * fails at once (the database's `statement_timeout` stops it if it runs on). A write already sent
   * waits for its outcome up to `outcomeWaitMs` longer, so that a failure that says "retry" always
   * means "not written"; only when the database gave no word by then does the write fail as
   * possibly applied. An operation that completes with nothing fails as unavailable, never as an
   * `undefined` result.
   */
  function guard<T>(
    operation: () => Promise<T> & { cancel?: () => unknown },
    kind: "read" | "write" = "read",
  ): Promise<T> {
    if (closed) return Promise.reject(new StoreUnavailableError("The store is closed."));
    if (downSince !== undefined && performance.now() - downSince < retryAfterMs) {
      return Promise.reject(
        new StoreUnavailableError("The database is unavailable; retry shortly."),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const pending = operation();
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        inFlight.delete(op);
        fn();
      };
      const late = () =>
        new StoreUnavailableError(
          `The database did not answer within ${timeoutMs} ms; retry shortly.`,
        );
      const op: InFlight = {
        deadline: performance.now() + timeoutMs,
        expire: () => {
          if (!sent(pending)) {
            // Still queued for a connection: taken out, it never runs.
            void Promise.resolve(pending.cancel?.()).catch(() => {});
            settle(() => reject(late()));
          } else if (kind === "read") {
            settle(() => reject(late()));
          } else if (op.waitingForOutcome || outcomeWaitMs === 0) {
            settle(() => reject(outcomeUnknown(timeoutMs + outcomeWaitMs)));
          } else {
            op.waitingForOutcome = true;
            op.deadline += outcomeWaitMs;
          }
        },
      };
      inFlight.add(op);
      sweeper ??= setInterval(sweep, Math.max(1, Math.min(100, timeoutMs))).unref();
      pending.then(
        (value) =>
          settle(() => {
            downSince = undefined;
            if (value === undefined || value === null) {
              reject(
                new StoreUnavailableError(
                  "The database answered a statement with nothing; retry shortly.",
                ),
              );
            } else {
              resolve(value);
            }
          }),
        (error: unknown) =>
          settle(() => {
            const translated = translate(error);
            if (translated instanceof StoreUnavailableError && isConnectionError(error)) {
              downSince = performance.now();
              // A write whose connection was lost after it was sent may have committed.
              if (kind === "write" && sent(pending) && !codeOf(error).startsWith("57P")) {
                reject(outcomeUnknown(timeoutMs, error));
                return;
              }
            }
            reject(translated);
          }),
      );
    });
  }

  /** Tells the cache about this instance's own committed change to the connections. */
  const changedBy = (rows: readonly { xid?: string | null }[]) => {
    for (const row of rows) if (row.xid) feed.ownChange(Number(row.xid));
  };

  // One round trip at a time on the listening connection; see `ChangeFeed.confirmedAt`.
  let confirming: Promise<void> | undefined;
  const confirm = (): Promise<void> => {
    confirming ??= (async () => {
      const session = feed.session;
      const started = performance.now();
      try {
        await guard(() => listener`SELECT 1`);
        if (feed.listening && session === feed.session) {
          feed.confirmedAt = Math.max(feed.confirmedAt, started);
        }
      } catch {
        // The listening connection is in trouble: answers come from the database until it is not.
      } finally {
        confirming = undefined;
      }
    })();
    return confirming;
  };
  /**
   * Before an answer from memory: keeps the confirmation fresh ahead of time under load, and
   * after a quiet spell waits for one round trip (far cheaper than the read it saves).
   */
  const confirmed = async (): Promise<void> => {
    if (feed.due()) {
      const pending = confirm();
      if (!feed.current()) await pending;
    }
  };
  /** Before an answer about connections from memory: this instance's own changes in it too. */
  const connectionsConfirmed = async (): Promise<void> => {
    await confirmed();
    if (feed.behind()) await feed.caughtUp();
  };

  const readList = async (): Promise<ListEntry> => {
    await connectionsConfirmed();
    const cached = feed.list();
    if (cached) return cached;
    const mark = feed.mark();
    const rows = await guard(
      () => sql<SnapshotRow[]>`
        SELECT s.snapshot, c.seq::float8 AS seq, c.id, c.name, c.client_id, c.status, c.strategy,
               c.options, c.provisioning_ticket
        FROM (SELECT txid_current_snapshot()::text AS snapshot) s
        LEFT JOIN connections c ON true ORDER BY c.seq`,
    );
    const snapshot = parseSnapshot(rows[0]?.snapshot ?? "0:0:");
    const found = rows.filter((r) => r.id !== null);
    const records = found.map((r) => fromPgRow(r as ConnectionRow));
    return feed.keepList(
      mark,
      snapshot,
      records,
      found.map((r) => Number(r.seq)),
    );
  };

  // At most `MAX_IN_FLIGHT` batches run at once, each on a writer no other batch is using.
  const idleWriters = [...writers];
  const batched = writeBatcher(async (writes) => {
    const writer = idleWriters.pop() ?? (writers[0] as postgres.Sql);
    try {
      return await runBatch(writer, writes);
    } finally {
      if (!idleWriters.includes(writer)) idleWriters.push(writer);
    }
  });
  const runBatch = async (writer: postgres.Sql, writes: readonly BatchedWrite[]) => {
    const batch = guard(() => batchStatement(writer, writes), "write");
    // Sent behind the batch on its connection without waiting for it: it starts once the batch
    // committed (visible, not yet known to be on disk), and answers once the log is on disk up to
    // there. It runs whatever the batch came to; its answer counts only when the batch wrote.
    const sync = guard(() => syncStatement(writer), "write");
    sync.catch(() => {});
    const rows = await batch;
    changedBy(rows);
    if (rows.length > 0) {
      try {
        await sync;
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw outcomeUnknown(timeoutMs, error);
        throw error;
      }
    }
    return rows;
  };

  const findingTokens = new Map<string, Promise<TokenRecord | undefined>>();

  return {
    get listening() {
      return feed.listening;
    },

    async listConnections() {
      return (await readList()).list;
    },

    async getConnection(name) {
      if (!storable(name)) return undefined;
      await connectionsConfirmed();
      const cached = feed.connection(name);
      if (cached !== null) return cached;
      const mark = feed.mark();
      const rows = await guard(
        () => sql<SnapshotRow[]>`
          SELECT s.snapshot, c.id, c.name, c.client_id, c.status, c.strategy, c.options,
                 c.provisioning_ticket
          FROM (SELECT txid_current_snapshot()::text AS snapshot) s
          LEFT JOIN connections c ON c.name = ${name}`,
      );
      const row = rows[0];
      const record = row?.id ? fromPgRow(row as ConnectionRow) : undefined;
      feed.keepConnection(mark, parseSnapshot(row?.snapshot ?? "0:0:"), name, record);
      return record;
    },

    async findByTicket(strategy, ticket) {
      if (!storable(strategy) || !storable(ticket)) return undefined;
      await connectionsConfirmed();
      const cached = feed.list();
      if (cached) return cached.byTicket.get(`${strategy}/${ticket}`);
      // One row through the ticket index, whatever the size of the table.
      const [row] = await guard(
        () => sql<ConnectionRow[]>`
          SELECT id, name, client_id, status, strategy, options, provisioning_ticket
          FROM connections
          WHERE provisioning_ticket = ${ticket} AND strategy = ${strategy}
          LIMIT 1`,
      );
      return row ? fromPgRow(row) : undefined;
    },

    async insertConnection(connection) {
      const row = toPgRow(connection);
      if (!Object.values(row).every((v) => typeof v !== "string" || storable(v))) {
        // Refused by the database on its own, not in a batch it would fail with it.
        await guard(() => insertConnectionRow(sql, connection), "write");
        return;
      }
      const outcome = await batched({ kind: "insert", row });
      if (outcome.kind === "insert" && !outcome.inserted) {
        throw new NameTakenError(connection.name);
      }
    },

    async replaceConnection(connection) {
      const r = toPgRow(connection);
      // One statement: the connection and its users' strategy change together or not at all.
      const rows = await guard(
        () => sql<{ replaced: number; xid: string | null }[]>`
          WITH c AS (
            UPDATE connections SET name = ${r.name}, client_id = ${r.client_id}, status = ${r.status},
              strategy = ${r.strategy}, options = ${r.options},
              provisioning_ticket = ${r.provisioning_ticket}
            WHERE id = ${r.id} RETURNING id, strategy
          ), u AS (
            UPDATE users SET strategy = c.strategy FROM c WHERE users.connection_id = c.id
          )
          SELECT count(*)::integer AS replaced,
                 CASE WHEN count(*) > 0 THEN txid_current()::text END AS xid
          FROM c`,
        "write",
      );
      changedBy(rows);
      return rows[0]?.replaced === 1;
    },

    async deleteConnection(name) {
      if (!storable(name)) return undefined;
      const outcome = await batched({ kind: "delete", name });
      return outcome.kind === "delete" ? outcome.id : undefined;
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
      const seeded = await guard(
        () =>
          sql.begin(async (tx) => {
            // The marker goes in first: a second instance seeding at the same moment waits on its
            // key, then finds it taken and seeds nothing.
            const marked = await tx`
              INSERT INTO meta (key, value) VALUES ('seeded', ${new Date().toISOString()})
              ON CONFLICT (key) DO NOTHING RETURNING key`;
            if (marked.length === 0) return { done: false, xid: null };
            let xid: string | null = null;
            for (const c of connections) [{ xid = null } = {}] = await insertConnectionRow(tx, c);
            for (const u of users) {
              await tx`
                INSERT INTO users (user_id, connection_id, strategy, body)
                VALUES (${u.user.user_id}, ${u.connectionId},
                        ${strategyOf.get(u.connectionId) ?? null}::text, ${JSON.stringify(u.user)})`;
            }
            return { done: true, xid };
          }),
        "write",
      );
      changedBy([seeded]);
      return seeded.done;
    },

    async saveToken(token) {
      const mark = feed.tokenMark();
      await guard(
        () => sql`
          INSERT INTO tokens (hash, client_id, issued_at, expires_at)
          VALUES (${token.hash}, ${encodeClientId(token.clientId)}, ${token.issuedAt},
                  ${token.expiresAt})
          ON CONFLICT (hash) DO UPDATE SET client_id = excluded.client_id,
            issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
        "write",
      );
      feed.keepToken(mark, { ...token });
    },

    async findToken(hash) {
      await confirmed();
      const cached = feed.token(hash);
      if (cached) return { ...cached };
      // Requests that bring one token at once (a client's burst) share one query.
      let found = findingTokens.get(hash);
      if (!found) {
        const mark = feed.tokenMark();
        found = guard(
          () => sql<TokenRow[]>`
            SELECT hash, client_id, issued_at, expires_at FROM tokens WHERE hash = ${hash}`,
        )
          .then(([row]) => {
            if (!row) return undefined;
            const token = fromTokenRow(row);
            feed.keepToken(mark, token);
            return token;
          })
          .finally(() => findingTokens.delete(hash));
        findingTokens.set(hash, found);
      }
      const token = await found;
      return token && { ...token };
    },

    async pruneTokens({ now, clientId, keep, limit }) {
      // Two statements, each through an index and bounded by `limit`.
      const expired = await guard(
        () => sql`
          DELETE FROM tokens WHERE hash IN (
            SELECT hash FROM tokens WHERE expires_at <= ${now} LIMIT ${limit})`,
        "write",
      );
      const excess = await guard(
        () => sql`
          DELETE FROM tokens WHERE hash IN (
            SELECT hash FROM tokens WHERE client_id = ${encodeClientId(clientId)}
            ORDER BY issued_at DESC OFFSET ${keep} LIMIT ${limit})`,
        "write",
      );
      if (expired.count + excess.count > 0) feed.tokensChanged();
      return expired.count + excess.count;
    },

    async check() {
      await guard(() => sql`SELECT 1`);
    },

    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(listenTimer);
      feed.listening = false;
      await listener.end({ timeout: 0 }).catch(() => {});
      // Statements in flight finish; none is cut short unless the database stops answering.
      await Promise.all(
        [sql, ...writers].map((pool) => pool.end({ timeout: Math.ceil(timeoutMs / 1000) })),
      );
    },
  };
}
