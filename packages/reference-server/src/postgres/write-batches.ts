import type postgres from "postgres";
import type { ConnectionRow } from "../connection-rows.js";

/**
 * Creates and deletes of connections that arrive in one turn of the event loop are written by one
 * statement: one round trip, one commit and one announcement for all of them. Each announcing
 * commit holds a database-wide lock until it is on disk (PostgreSQL orders notifications that
 * way), so commits that each carry one write would queue one disk sync behind the other; batched,
 * one sync carries them all, as a group commit would.
 *
 * While `MAX_IN_FLIGHT` batches wait for the database, new writes gather for the next one: under
 * load, batches grow to what arrives during one commit.
 *
 * A batch never names a connection twice, so that the order of its creates and deletes does not
 * matter. A second create (or delete) of a name already in the batch waits for the first and
 * takes its outcome: the name taken (or already gone). A create and a delete of one name, sent at
 * the same moment, go in separate statements: either order is an answer they could have had.
 */
export type BatchedWrite =
  | { kind: "insert"; row: ConnectionRow }
  | { kind: "delete"; name: string };

/** What a write of a batch came to: inserted or not (the name taken), deleted id or none. */
export type BatchOutcome = { kind: "insert"; inserted: boolean } | { kind: "delete"; id?: string };

/**
 * Batches of one instance waiting for the database at most; more writes wait to join the next.
 * Three, each on its own connection: a batch whose synchronous commit arrives while another's is
 * being written to disk waits for that sync and then shares the next one with any others, so
 * syncs follow each other back to back under load (PostgreSQL's group commit); two left the disk
 * idle while the writes of the next batch gathered (measured with `bench/server.bench.mjs`).
 */
export const MAX_IN_FLIGHT = 3;

interface Pending {
  write: BatchedWrite;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: unknown) => void;
  followers: Pending[];
}

const nameOf = (w: BatchedWrite) => (w.kind === "insert" ? w.row.name : w.name);

/**
 * The statement of one batch: every delete, every create (skipping taken names), one commit. The
 * commit does not wait for the disk (`synchronous_commit` off for this transaction only), so that
 * the database-wide lock an announcing commit holds is not held through a disk sync; the caller
 * makes the batch durable before acknowledging it, with `syncStatement`.
 */
export function batchStatement(sql: postgres.Sql, writes: readonly BatchedWrite[]) {
  const inserts = writes.flatMap((w) => (w.kind === "insert" ? [w.row] : []));
  const deletes = writes.flatMap((w) => (w.kind === "delete" ? [w.name] : []));
  const column = <K extends keyof ConnectionRow>(key: K) => inserts.map((r) => r[key]);
  return sql<{ kind: "d" | "i"; name: string; id: string; xid: string }[]>`
    WITH d AS (
      DELETE FROM connections WHERE name = ANY(${sql.array(deletes, 25)}::text[])
      RETURNING name, id
    ), i AS (
      INSERT INTO connections (id, name, client_id, status, strategy, options, provisioning_ticket)
      SELECT * FROM unnest(${sql.array(column("id"), 25)}::text[],
        ${sql.array(column("name"), 25)}::text[], ${sql.array(column("client_id"), 25)}::text[],
        ${sql.array(column("status"), 23)}::integer[], ${sql.array(column("strategy"), 25)}::text[],
        ${sql.array(column("options"), 25)}::text[],
        ${sql.array(column("provisioning_ticket") as string[], 25)}::text[])
      ON CONFLICT (name) DO NOTHING
      RETURNING name, id
    ), s AS (
      SELECT set_config('synchronous_commit', 'off', true) AS off
    )
    SELECT 'd' AS kind, name, id, txid_current()::text AS xid FROM d, s
    UNION ALL
    SELECT 'i' AS kind, name, id, txid_current()::text AS xid FROM i, s`;
}

/**
 * A transaction that commits synchronously: once it answers, the log is on disk up to its commit,
 * hence past every commit that returned before it was sent, and past those of the statements sent
 * before it on its connection (a connection runs its statements in order). Such commits share disk syncs
 * (PostgreSQL's group commit), which announcing commits cannot.
 */
export function syncStatement(sql: postgres.Sql) {
  return sql<{ xid: string }[]>`SELECT txid_current()::text AS xid`;
}

/**
 * Queues writes and runs each turn's batches through `run`, which answers the rows of
 * `batchStatement` (or throws: every write of the batch then fails with that error).
 */
export function writeBatcher(
  run: (
    writes: readonly BatchedWrite[],
  ) => Promise<readonly { kind: string; name: string; id: string }[]>,
) {
  let queue: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;
  const schedule = () => {
    if (!scheduled && inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const settle = (p: Pending, outcome: BatchOutcome) => {
    p.resolve(outcome);
    for (const f of p.followers) {
      // After a create, the name is taken; after a delete, the name is gone.
      f.resolve(
        f.write.kind === "insert" ? { kind: "insert", inserted: false } : { kind: "delete" },
      );
    }
  };
  const fail = (p: Pending, error: unknown) => {
    p.reject(error);
    for (const f of p.followers) f.reject(error);
  };

  const flush = () => {
    scheduled = false;
    const pending = queue;
    queue = [];
    const batches: { leaders: Map<string, Pending> }[] = [];
    for (const p of pending) {
      const name = nameOf(p.write);
      let placed = false;
      for (const batch of batches) {
        const leader = batch.leaders.get(name);
        if (!leader) {
          batch.leaders.set(name, p);
          placed = true;
          break;
        }
        if (leader.write.kind === p.write.kind) {
          leader.followers.push(p);
          placed = true;
          break;
        }
      }
      if (!placed) batches.push({ leaders: new Map([[name, p]]) });
    }
    for (const { leaders } of batches) {
      const members = [...leaders.values()];
      inFlight++;
      run(members.map((p) => p.write))
        .finally(() => {
          inFlight--;
          schedule();
        })
        .then(
          (rows) => {
            const done = new Map(rows.map((r) => [`${r.kind}/${r.name}`, r.id]));
            for (const p of members) {
              const name = nameOf(p.write);
              if (p.write.kind === "insert") {
                settle(p, { kind: "insert", inserted: done.has(`i/${name}`) });
              } else {
                const id = done.get(`d/${name}`);
                settle(p, id === undefined ? { kind: "delete" } : { kind: "delete", id });
              }
            }
          },
          (error: unknown) => {
            for (const p of members) fail(p, error);
          },
        );
    }
  };

  return (write: BatchedWrite): Promise<BatchOutcome> =>
    new Promise((resolve, reject) => {
      queue.push({ write, resolve, reject, followers: [] });
      schedule();
    });
}
