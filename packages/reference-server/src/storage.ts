/**
 * The storage the server needs, kept small so that several stores implement it: SQLite (one
 * process, the embedded default) and PostgreSQL (several server instances on one database). Every
 * method is asynchronous for that reason even though the SQLite store answers synchronously.
 *
 * What every store promises:
 * - A write's promise resolves only once the write is durable. Every read this store starts after
 *   that sees it, and so does every read of another store on the same database (another process)
 *   started a moment after the write resolved, as if its read had come that moment earlier: the
 *   SQLite store notices another process's commit from its next turn of the event loop, the
 *   PostgreSQL store within 100 ms (`COHERENCE_MS`, the bound of its cache).
 * - The only cache a caller may keep is the one `listConnections` allows (see `ConnectionList`);
 *   anything else is read from the store each time, because another process may have written
 *   (a store keeps what it can keep coherent itself).
 * - A failure of the database itself is thrown as a `StoreUnavailableError` (unreachable, answered
 *   503) or a `StoreFullError` (out of space, answered 507); nothing is acknowledged then.
 */

/** A connection as stored. `options` is the strategy's options object, kept as sent. */
export interface ConnectionRecord {
  id: string;
  name: string;
  client_id: string;
  status: number;
  strategy: string;
  options: Record<string, unknown>;
  /** Only on strategies that need provisioning; the ticket URL is derived from it when answering. */
  provisioning_ticket?: string;
}

/** A user as stored: the user object and the id of the connection the user signed in through. */
export interface UserRecord {
  connectionId: string;
  user: Record<string, unknown> & { user_id: string };
}

/** Which users to list. */
export interface UserFilter {
  /** Only the users of the connection with this id. */
  connectionId?: string;
  /** Only the users of connections with one of these strategies. */
  strategies?: readonly string[];
  /** Only the users of enabled connections (`status` 1). */
  enabledOnly?: boolean;
}

/** A slice of a list: at most `limit` items after skipping `offset`. */
export interface Slice {
  limit: number;
  offset: number;
}

/**
 * The connections in creation order, and a version for them. Two answers of one store with the same
 * `version` hold equal records, so a caller may keep anything it derives from `records` (the server
 * keeps the rendered JSON) for as long as the version stays the same. A store answers a new version
 * as soon as the list may have changed, by a write of its own or of another process; a store that
 * cannot tell cheaply answers a new version every time. `records` must not be modified.
 */
export interface ConnectionList {
  readonly version: string;
  readonly records: readonly ConnectionRecord[];
}

/**
 * An issued access token, known by a keyed hash of its value only: the key is derived from the
 * client credentials (see `TokenService`), so a token stops matching when the credentials change.
 */
export interface TokenRecord {
  hash: string;
  clientId: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Which tokens `pruneTokens` may delete, in bounded batches. */
export interface TokenPruning {
  /** Tokens whose `expiresAt` is at or before this instant (milliseconds since the epoch) go. */
  now: number;
  /** The client whose tokens are capped. */
  clientId: string;
  /** How many of that client's tokens stay: the newest by `issuedAt`; older ones go. */
  keep: number;
  /** At most this many expired tokens, and at most this many over the cap, go per call. */
  limit: number;
}

/** Thrown by `insertConnection` when the name is taken. */
export class NameTakenError extends Error {
  constructor(name: string) {
    super(`A connection named "${name}" already exists.`);
    this.name = "NameTakenError";
  }
}

/** Raised when the database cannot be opened or was written by a newer version of the server. */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreOpenError";
  }
}

/** The database cannot be reached or refused to work; retrying later may succeed. Answered 503. */
export class StoreUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** The database has no space left for a write; nothing of it was kept. Answered 507. */
export class StoreFullError extends Error {
  readonly statusCode = 507;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreFullError";
  }
}

export interface Store {
  /** The connections; see `ConnectionList` for what its version lets a caller cache. */
  listConnections(): Promise<ConnectionList>;
  /**
   * The connection named `name`. A store that answers from memory may answer what another instance
   * changed a moment ago (within its coherence bound); `fresh` reads what is committed, for a write
   * that decides on the answer.
   */
  getConnection(name: string, read?: { fresh?: boolean }): Promise<ConnectionRecord | undefined>;
  /**
   * The connection of `strategy` holding the provisioning ticket `ticket`, found without reading
   * every connection (the provisioning page answers anyone, token or not). A store without it is
   * searched through `listConnections`.
   */
  findByTicket?(strategy: string, ticket: string): Promise<ConnectionRecord | undefined>;
  /** Throws `NameTakenError` when a connection with this name exists. */
  insertConnection(connection: ConnectionRecord): Promise<void>;
  /** Replaces the connection with the same id; false when there is none. */
  replaceConnection(connection: ConnectionRecord): Promise<boolean>;
  /** Deletes the connection with this name and its users; answers its id, or undefined. */
  deleteConnection(name: string): Promise<string | undefined>;
  /** The users matching `filter` in insertion order, one slice of them when `slice` is given. */
  listUsers(filter: UserFilter, slice?: Slice): Promise<{ users: UserRecord[]; total: number }>;
  /**
   * Loads a seed in one transaction, only into a store that was never seeded; answers whether it did.
   */
  seedOnce(connections: ConnectionRecord[], users: UserRecord[]): Promise<boolean>;
  /** Stores a token; the token may be handed out only once this resolved. */
  saveToken(token: TokenRecord): Promise<void>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  /**
   * Deletes a bounded batch of tokens that expired or exceed the client's cap (see `TokenPruning`),
   * through indexes, never a scan of the table; answers how many went. Call again while it answers
   * `limit` or more.
   */
  pruneTokens(pruning: TokenPruning): Promise<number>;
  /** Resolves when the database answers a trivial query now; throws `StoreUnavailableError` otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}
