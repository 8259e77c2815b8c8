import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Store, TokenRecord } from "./storage.js";

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Compares two secrets in time that depends on neither: both are hashed first, so that even their
 * lengths are not revealed by how long the comparison takes.
 */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** How the token service bounds the token table. */
/** How many live tokens a client keeps when nothing else is said; older ones are pruned. */
export const DEFAULT_MAX_TOKENS_PER_CLIENT = 10_000;

/** What is wrong with a cap of tokens per client, in one sentence; undefined when it is fine. */
export function tokenCapProblem(cap: number): string | undefined {
  return Number.isInteger(cap) && cap >= 1
    ? undefined
    : `The cap of tokens per client must be a whole number, at least 1, not ${cap}.`;
}

export interface TokenLimits {
  /** Live tokens kept per client; issuing more deletes the oldest. Default `10000`. */
  maxPerClient?: number;
  /** Milliseconds between two prunes of expired and excess tokens. Default `60000`. */
  pruneIntervalMs?: number;
  /**
   * Tokens issued by this server that start a prune before the interval is over, so that a client
   * exceeds its cap by a tenth at most. Default: a tenth of `maxPerClient`, from 1 to 1000.
   */
  pruneAfterIssued?: number;
  /** Rows one prune batch deletes at most; batches repeat until none is left. Default `1000`. */
  pruneBatch?: number;
  /**
   * Milliseconds a verified token is accepted without asking the store again, so that a token
   * evicted by another instance (the cap) stops working everywhere soon. Default `1000`.
   */
  recheckAfterMs?: number;
}

interface Known {
  record: TokenRecord;
  checkedAt: number;
}

/**
 * Issues and checks access tokens. Only a keyed hash of a token is stored: HMAC-SHA-256 under a key
 * derived from the client id and secret. A token therefore matches only while the server runs with
 * the credentials it was issued under: changing a leaked secret revokes every token issued with it,
 * and the stored hashes reveal nothing about the secret without a token to try it on.
 */
export class TokenService {
  // A verified token is remembered by its value (sparing the hash and the store on most requests)
  // for `recheckAfterMs`; the map is bounded against clients that never reuse one.
  readonly #known = new Map<string, Known>();
  static readonly #KNOWN_MAX = 10_000;
  readonly #key: Buffer;
  readonly #secret: string;
  readonly #limits: Required<TokenLimits>;
  #issuedSincePrune = 0;
  #pruning: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clientId: string,
    clientSecret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    limits: TokenLimits = {},
    /** Told about a prune that failed; pruning goes on at the next interval. */
    private readonly onPruneError: (error: unknown) => void = () => {},
  ) {
    this.#secret = clientSecret;
    this.#key = createHash("sha256")
      .update(`mgmtkit token key v1\0${clientId}\0${clientSecret}`, "utf8")
      .digest();
    const maxPerClient = limits.maxPerClient ?? DEFAULT_MAX_TOKENS_PER_CLIENT;
    this.#limits = {
      maxPerClient,
      pruneIntervalMs: limits.pruneIntervalMs ?? 60_000,
      pruneAfterIssued:
        limits.pruneAfterIssued ?? Math.min(1000, Math.max(1, Math.floor(maxPerClient / 10))),
      pruneBatch: limits.pruneBatch ?? 1000,
      recheckAfterMs: limits.recheckAfterMs ?? 1000,
    };
    const problem = tokenCapProblem(maxPerClient);
    if (problem) throw new RangeError(problem);
  }

  #hash(token: string): string {
    return createHmac("sha256", this.#key).update(token, "utf8").digest("hex");
  }

  /** Whether these are the server's client credentials, compared in constant time. */
  authenticate(clientId: string, clientSecret: string): boolean {
    // Both comparisons always run, so a wrong id takes as long as a wrong secret.
    const idOk = secretsEqual(clientId, this.clientId);
    const secretOk = secretsEqual(clientSecret, this.#secret);
    return idOk && secretOk;
  }

  /** Issues a token once it is stored; a token the store could not keep is never handed out. */
  async issue(): Promise<{ token: string; expiresIn: number }> {
    const token = randomBytes(24).toString("base64url");
    const now = this.now();
    const record: TokenRecord = {
      hash: this.#hash(token),
      clientId: this.clientId,
      issuedAt: now,
      expiresAt: now + this.ttlSeconds * 1000,
    };
    await this.store.saveToken(record);
    this.#remember(token, record, now);
    if (++this.#issuedSincePrune >= this.#limits.pruneAfterIssued) {
      // Off the request path: the answer does not wait for the prune.
      setImmediate(() => void this.prune());
    }
    return { token, expiresIn: Math.floor(this.ttlSeconds) };
  }

  #remember(token: string, record: TokenRecord, checkedAt: number): void {
    this.#known.delete(token);
    if (this.#known.size >= TokenService.#KNOWN_MAX) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.set(token, { record, checkedAt });
  }

  /** Whether the token was issued under this server's credentials and has not expired. */
  async verify(token: string): Promise<boolean> {
    if (token.length === 0 || token.length > 512) return false;
    const now = this.now();
    let record: TokenRecord | undefined;
    const known = this.#known.get(token);
    if (known && now - known.checkedAt < this.#limits.recheckAfterMs) {
      record = known.record;
    } else {
      this.#known.delete(token);
      record = await this.store.findToken(this.#hash(token));
      if (record) this.#remember(token, record, now);
    }
    if (!record) return false;
    if (record.expiresAt <= now) {
      this.#known.delete(token);
      return false;
    }
    // The hash already binds the token to the credentials; the id is checked as well so that a
    // record of another client can never pass, whatever its hash.
    return record.clientId === this.clientId;
  }

  /**
   * Deletes expired tokens and this client's tokens beyond the cap, oldest first, in batches that
   * each yield to the event loop. One prune runs at a time; a call during one joins it.
   */
  prune(): Promise<void> {
    this.#pruning ??= (async () => {
      this.#issuedSincePrune = 0;
      const { pruneBatch: limit, maxPerClient: keep } = this.#limits;
      try {
        for (;;) {
          const deleted = await this.store.pruneTokens({
            now: this.now(),
            clientId: this.clientId,
            keep,
            limit,
          });
          if (deleted < limit) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        this.onPruneError(error);
      } finally {
        this.#pruning = undefined;
      }
    })();
    return this.#pruning;
  }

  /** Prunes now and every `pruneIntervalMs` until `stop()`; the timer keeps no process alive. */
  start(): void {
    if (this.#timer) return;
    void this.prune();
    this.#timer = setInterval(() => void this.prune(), this.#limits.pruneIntervalMs);
    this.#timer.unref();
  }

  /** Stops the interval and waits for a prune in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pruning;
  }
}
