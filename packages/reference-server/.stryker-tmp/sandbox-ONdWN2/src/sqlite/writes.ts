// @ts-nocheck
import type Database from "better-sqlite3";
import type { ConnectionRecord, TokenPruning, TokenRecord, UserRecord } from "../storage.js";
import { type ConnectionRow, isUniqueViolation, toRow } from "./schema.js";

/** One write, described as data so that writes can be queued and applied together. */
export type WriteOp =
  | { kind: "insertConnection"; row: ConnectionRow }
  | { kind: "replaceConnection"; row: ConnectionRow }
  | { kind: "deleteConnection"; name: string }
  | { kind: "saveToken"; token: TokenRecord }
  | { kind: "pruneTokens"; pruning: TokenPruning }
  | {
      kind: "seed";
      rows: ConnectionRow[];
      users: Array<[userId: string, connectionId: string, body: string]>;
      at: string;
    };

/** The writes made of more than one statement, which need a savepoint of their own. */
const MULTI_STATEMENT: ReadonlySet<WriteOp["kind"]> = new Set(["replaceConnection", "seed"]);

/** The writes that change the list of connections (the others touch tokens). */
export const CONNECTION_WRITES: ReadonlySet<WriteOp["kind"]> = new Set([
  "insertConnection",
  "replaceConnection",
  "deleteConnection",
  "seed",
]);

/** What one write came to; `nameTaken` is the unique-name violation the API answers with 409. */
export type WriteOutcome =
  | { ok: true; value: unknown }
  | { ok: false; nameTaken: boolean; error: unknown };

export function seedOp(connections: ConnectionRecord[], users: UserRecord[]): WriteOp {
  return {
    kind: "seed",
    rows: connections.map(toRow),
    users: users.map((u) => [u.user.user_id, u.connectionId, JSON.stringify(u.user)]),
    at: new Date().toISOString(),
  };
}

/**
 * Prepares the write statements on `db` and answers a function that applies a batch of writes in
 * one transaction: one commit for the whole batch. One write failing (a taken name) leaves the
 * others in place: a write of one statement is undone by SQLite alone when that statement fails,
 * and a write of several statements runs in its own savepoint.
 */
export function createBatchWriter(db: Database.Database): (ops: WriteOp[]) => WriteOutcome[] {
  const s = {
    // Positional parameters: binding them is cheaper than binding an object's properties by name.
    insert: db.prepare<[string, string, string, number, string, string, string | null]>(
      `INSERT INTO connections (id, name, client_id, status, strategy, options, provisioning_ticket)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    replace: db.prepare(
      `UPDATE connections SET name = @name, client_id = @client_id, status = @status, strategy = @strategy,
       options = @options, provisioning_ticket = @provisioning_ticket WHERE id = @id`,
    ),
    // A user's strategy follows its connection's; the store keeps them in step for any caller,
    // though the HTTP API refuses a replacement that changes the strategy.
    restrategizeUsers: db.prepare("UPDATE users SET strategy = ? WHERE connection_id = ?"),
    remove: db.prepare<[string], { id: string }>(
      "DELETE FROM connections WHERE name = ? RETURNING id",
    ),
    insertUser: db.prepare(
      "INSERT INTO users (user_id, connection_id, strategy, body) VALUES (?, ?, (SELECT strategy FROM connections WHERE id = ?), ?)",
    ),
    saveToken: db.prepare<[string, string, number, number]>(
      "INSERT OR REPLACE INTO tokens (hash, client_id, issued_at, expires_at) VALUES (?, ?, ?, ?)",
    ),
    // Both walk an index and stop after `limit` rows (tokens_by_expiry, tokens_by_client).
    expireTokens: db.prepare<[number, number]>(
      "DELETE FROM tokens WHERE hash IN (SELECT hash FROM tokens WHERE expires_at <= ? LIMIT ?)",
    ),
    capTokens: db.prepare<[string, number, number]>(
      `DELETE FROM tokens WHERE hash IN (SELECT hash FROM tokens WHERE client_id = ?
       ORDER BY issued_at DESC LIMIT ? OFFSET ?)`,
    ),
    seeded: db.prepare("SELECT value FROM meta WHERE key = 'seeded'"),
    markSeeded: db.prepare("INSERT INTO meta (key, value) VALUES ('seeded', ?)"),
  };

  const insertRow = (r: ConnectionRow) =>
    s.insert.run(r.id, r.name, r.client_id, r.status, r.strategy, r.options, r.provisioning_ticket);

  const apply = (op: WriteOp): unknown => {
    switch (op.kind) {
      case "insertConnection":
        insertRow(op.row);
        return undefined;
      case "replaceConnection":
        if (s.replace.run(op.row).changes !== 1) return false;
        s.restrategizeUsers.run(op.row.strategy, op.row.id);
        return true;
      case "deleteConnection":
        return s.remove.get(op.name)?.id;
      case "saveToken":
        s.saveToken.run(op.token.hash, op.token.clientId, op.token.issuedAt, op.token.expiresAt);
        return undefined;
      case "pruneTokens": {
        const p = op.pruning;
        return (
          s.expireTokens.run(p.now, p.limit).changes +
          s.capTokens.run(p.clientId, p.limit, p.keep).changes
        );
      }
      case "seed":
        if (s.seeded.get()) return false;
        for (const row of op.rows) insertRow(row);
        for (const [userId, connectionId, body] of op.users) {
          s.insertUser.run(userId, connectionId, connectionId, body);
        }
        s.markSeeded.run(op.at);
        return true;
    }
  };

  const inSavepoint = db.transaction((op: WriteOp) => apply(op));
  const batch = db.transaction((ops: WriteOp[]) =>
    ops.map((op): WriteOutcome => {
      try {
        return { ok: true, value: MULTI_STATEMENT.has(op.kind) ? inSavepoint(op) : apply(op) };
      } catch (error) {
        return { ok: false, nameTaken: isUniqueViolation(error), error };
      }
    }),
  );
  return (ops) => batch.immediate(ops);
}
