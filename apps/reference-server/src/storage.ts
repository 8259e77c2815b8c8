/**
 * The storage the server needs, kept small so that another store (PostgreSQL for deployments that
 * outgrow one machine) can implement it. Every method is asynchronous for that reason even though
 * the SQLite store answers synchronously. A write's promise resolves only once the write is durable.
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

/** An issued access token, known by the SHA-256 of its value only. */
export interface TokenRecord {
  hash: string;
  clientId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Thrown by `insertConnection` when the name is taken. */
export class NameTakenError extends Error {
  constructor(name: string) {
    super(`A connection named "${name}" already exists.`);
    this.name = "NameTakenError";
  }
}

export interface Store {
  listConnections(): Promise<ConnectionRecord[]>;
  getConnection(name: string): Promise<ConnectionRecord | undefined>;
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
  saveToken(token: TokenRecord): Promise<void>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  /** Forgets the tokens that expired before `now` (milliseconds since the epoch). */
  deleteExpiredTokens(now: number): Promise<void>;
  close(): Promise<void>;
}
