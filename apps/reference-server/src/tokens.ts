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
  // Tokens never change once issued, so a verified one can be remembered until it expires.
  readonly #known = new Map<string, TokenRecord>();

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
    this.#known.set(record.hash, record);
    return { token, expiresIn: Math.floor(this.ttlSeconds) };
  }

  /** Whether the token was issued to this server's client and has not expired. */
  async verify(token: string): Promise<boolean> {
    if (token.length === 0 || token.length > 512) return false;
    const hash = digest(token).toString("hex");
    let record = this.#known.get(hash);
    if (!record) {
      record = await this.store.findToken(hash);
      if (record) this.#known.set(hash, record);
    }
    if (!record) return false;
    if (record.expiresAt <= this.now()) {
      this.#known.delete(hash);
      return false;
    }
    // A token issued under other credentials (the server restarted with new ones) is refused.
    return secretsEqual(record.clientId, this.clientId);
  }
}
