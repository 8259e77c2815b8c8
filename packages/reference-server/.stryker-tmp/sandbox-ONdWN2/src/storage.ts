/**
 * The storage the server needs, kept small so that several stores implement it: SQLite (one
 * process, the embedded default) and PostgreSQL (several server instances on one database). Every
 * method is asynchronous for that reason even though the SQLite store answers synchronously.
 *
 * What every store promises:
 * - A write's promise resolves only once the write is durable. Every read this store starts after
 *   that sees it, and so does every read of another store on the same database (another process)
 *   started after the write resolved; the SQLite store notices another process's commit from its
 *   next turn of the event loop, as if its read had come a moment earlier.
 * - The only cache a caller may keep is the one `listConnections` allows (see `ConnectionList`);
 *   anything else is read from the store each time, because another process may have written.
 * - A failure of the database itself is thrown as a `StoreUnavailableError` (unreachable, answered
 *   503) or a `StoreFullError` (out of space, answered 507); nothing is acknowledged then.
 */
// @ts-nocheck


/** A connection as stored. `options` is the strategy's options object, kept as sent. */function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
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
  user: Record<string, unknown> & {
    user_id: string;
  };
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
    if (stryMutAct_9fa48("848")) {
      {}
    } else {
      stryCov_9fa48("848");
      super(stryMutAct_9fa48("849") ? `` : (stryCov_9fa48("849"), `A connection named "${name}" already exists.`));
      this.name = stryMutAct_9fa48("850") ? "" : (stryCov_9fa48("850"), "NameTakenError");
    }
  }
}

/** Raised when the database cannot be opened or was written by a newer version of the server. */
export class StoreOpenError extends Error {
  constructor(message: string, options?: {
    cause?: unknown;
  }) {
    if (stryMutAct_9fa48("851")) {
      {}
    } else {
      stryCov_9fa48("851");
      super(message, options);
      this.name = stryMutAct_9fa48("852") ? "" : (stryCov_9fa48("852"), "StoreOpenError");
    }
  }
}

/** The database cannot be reached or refused to work; retrying later may succeed. Answered 503. */
export class StoreUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(message: string, options?: {
    cause?: unknown;
  }) {
    super(message, options);
    this.name = stryMutAct_9fa48("853") ? "" : (stryCov_9fa48("853"), "StoreUnavailableError");
  }
}

/** The database has no space left for a write; nothing of it was kept. Answered 507. */
export class StoreFullError extends Error {
  readonly statusCode = 507;
  constructor(message: string, options?: {
    cause?: unknown;
  }) {
    super(message, options);
    this.name = stryMutAct_9fa48("854") ? "" : (stryCov_9fa48("854"), "StoreFullError");
  }
}
export interface Store {
  /** The connections; see `ConnectionList` for what its version lets a caller cache. */
  listConnections(): Promise<ConnectionList>;
  getConnection(name: string): Promise<ConnectionRecord | undefined>;
  /** Throws `NameTakenError` when a connection with this name exists. */
  insertConnection(connection: ConnectionRecord): Promise<void>;
  /** Replaces the connection with the same id; false when there is none. */
  replaceConnection(connection: ConnectionRecord): Promise<boolean>;
  /** Deletes the connection with this name and its users; answers its id, or undefined. */
  deleteConnection(name: string): Promise<string | undefined>;
  /** The users matching `filter` in insertion order, one slice of them when `slice` is given. */
  listUsers(filter: UserFilter, slice?: Slice): Promise<{
    users: UserRecord[];
    total: number;
  }>;
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