import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
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

/** Issues and checks access tokens. Only the SHA-256 of a token is stored. */
export class TokenService {
  // Tokens never change once issued, so a verified one is remembered (by its value, sparing the
  // hash on every request) until it expires; the map is bounded against clients that never reuse one.
  readonly #known = new Map<string, TokenRecord>();
  static readonly #KNOWN_MAX = 10_000;

  constructor(
    private readonly store: Store,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether these are the server's client credentials, compared in constant time. */
  authenticate(clientId: string, clientSecret: string): boolean {
    // Both comparisons always run, so a wrong id takes as long as a wrong secret.
    const idOk = secretsEqual(clientId, this.clientId);
    const secretOk = secretsEqual(clientSecret, this.clientSecret);
    return idOk && secretOk;
  }

  async issue(): Promise<{ token: string; expiresIn: number }> {
    const token = randomBytes(24).toString("base64url");
    const now = this.now();
    const record: TokenRecord = {
      hash: digest(token).toString("hex"),
      clientId: this.clientId,
      expiresAt: now + this.ttlSeconds * 1000,
    };
    await this.store.deleteExpiredTokens(now);
    await this.store.saveToken(record);
    this.#remember(token, record);
    return { token, expiresIn: Math.floor(this.ttlSeconds) };
  }

  #remember(token: string, record: TokenRecord): void {
    if (this.#known.size >= TokenService.#KNOWN_MAX) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.set(token, record);
  }

  /** Whether the token was issued to this server's client and has not expired. */
  async verify(token: string): Promise<boolean> {
    if (token.length === 0 || token.length > 512) return false;
    let record = this.#known.get(token);
    if (!record) {
      record = await this.store.findToken(digest(token).toString("hex"));
      if (record) this.#remember(token, record);
    }
    if (!record) return false;
    if (record.expiresAt <= this.now()) {
      this.#known.delete(token);
      return false;
    }
    // A token issued under other credentials (the server restarted with new ones) is refused. The
    // client id is no secret (every connection object shows it), so a plain comparison will do.
    return record.clientId === this.clientId;
  }
}
