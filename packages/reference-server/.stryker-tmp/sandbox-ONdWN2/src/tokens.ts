// @ts-nocheck
function stryNS_9fa48() {
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
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Store, TokenRecord } from "./storage.js";
function digest(value: string): Buffer {
  if (stryMutAct_9fa48("855")) {
    {}
  } else {
    stryCov_9fa48("855");
    return createHash(stryMutAct_9fa48("856") ? "" : (stryCov_9fa48("856"), "sha256")).update(value, stryMutAct_9fa48("857") ? "" : (stryCov_9fa48("857"), "utf8")).digest();
  }
}

/**
 * Compares two secrets in time that depends on neither: both are hashed first, so that even their
 * lengths are not revealed by how long the comparison takes.
 */
export function secretsEqual(given: string, expected: string): boolean {
  if (stryMutAct_9fa48("858")) {
    {}
  } else {
    stryCov_9fa48("858");
    return timingSafeEqual(digest(given), digest(expected));
  }
}

/** How the token service bounds the token table. */
/** How many live tokens a client keeps when nothing else is said; older ones are pruned. */
export const DEFAULT_MAX_TOKENS_PER_CLIENT = 10_000;

/** What is wrong with a cap of tokens per client, in one sentence; undefined when it is fine. */
export function tokenCapProblem(cap: number): string | undefined {
  if (stryMutAct_9fa48("859")) {
    {}
  } else {
    stryCov_9fa48("859");
    return (stryMutAct_9fa48("862") ? Number.isInteger(cap) || cap >= 1 : stryMutAct_9fa48("861") ? false : stryMutAct_9fa48("860") ? true : (stryCov_9fa48("860", "861", "862"), Number.isInteger(cap) && (stryMutAct_9fa48("865") ? cap < 1 : stryMutAct_9fa48("864") ? cap > 1 : stryMutAct_9fa48("863") ? true : (stryCov_9fa48("863", "864", "865"), cap >= 1)))) ? undefined : stryMutAct_9fa48("866") ? `` : (stryCov_9fa48("866"), `The cap of tokens per client must be a whole number, at least 1, not ${cap}.`);
  }
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
  constructor(private readonly store: Store, private readonly clientId: string, clientSecret: string, private readonly ttlSeconds: number, private readonly now: () => number = Date.now, limits: TokenLimits = {}, /** Told about a prune that failed; pruning goes on at the next interval. */
  private readonly onPruneError: (error: unknown) => void = () => {}) {
    if (stryMutAct_9fa48("867")) {
      {}
    } else {
      stryCov_9fa48("867");
      this.#secret = clientSecret;
      this.#key = createHash(stryMutAct_9fa48("868") ? "" : (stryCov_9fa48("868"), "sha256")).update(stryMutAct_9fa48("869") ? `` : (stryCov_9fa48("869"), `mgmtkit token key v1\0${clientId}\0${clientSecret}`), stryMutAct_9fa48("870") ? "" : (stryCov_9fa48("870"), "utf8")).digest();
      const maxPerClient = stryMutAct_9fa48("871") ? limits.maxPerClient && DEFAULT_MAX_TOKENS_PER_CLIENT : (stryCov_9fa48("871"), limits.maxPerClient ?? DEFAULT_MAX_TOKENS_PER_CLIENT);
      this.#limits = stryMutAct_9fa48("872") ? {} : (stryCov_9fa48("872"), {
        maxPerClient,
        pruneIntervalMs: stryMutAct_9fa48("873") ? limits.pruneIntervalMs && 60_000 : (stryCov_9fa48("873"), limits.pruneIntervalMs ?? 60_000),
        pruneAfterIssued: stryMutAct_9fa48("874") ? limits.pruneAfterIssued && Math.min(1000, Math.max(1, Math.floor(maxPerClient / 10))) : (stryCov_9fa48("874"), limits.pruneAfterIssued ?? (stryMutAct_9fa48("875") ? Math.max(1000, Math.max(1, Math.floor(maxPerClient / 10))) : (stryCov_9fa48("875"), Math.min(1000, stryMutAct_9fa48("876") ? Math.min(1, Math.floor(maxPerClient / 10)) : (stryCov_9fa48("876"), Math.max(1, Math.floor(stryMutAct_9fa48("877") ? maxPerClient * 10 : (stryCov_9fa48("877"), maxPerClient / 10)))))))),
        pruneBatch: stryMutAct_9fa48("878") ? limits.pruneBatch && 1000 : (stryCov_9fa48("878"), limits.pruneBatch ?? 1000),
        recheckAfterMs: stryMutAct_9fa48("879") ? limits.recheckAfterMs && 1000 : (stryCov_9fa48("879"), limits.recheckAfterMs ?? 1000)
      });
      const problem = tokenCapProblem(maxPerClient);
      if (stryMutAct_9fa48("881") ? false : stryMutAct_9fa48("880") ? true : (stryCov_9fa48("880", "881"), problem)) throw new RangeError(problem);
    }
  }
  #hash(token: string): string {
    if (stryMutAct_9fa48("882")) {
      {}
    } else {
      stryCov_9fa48("882");
      return createHmac(stryMutAct_9fa48("883") ? "" : (stryCov_9fa48("883"), "sha256"), this.#key).update(token, stryMutAct_9fa48("884") ? "" : (stryCov_9fa48("884"), "utf8")).digest(stryMutAct_9fa48("885") ? "" : (stryCov_9fa48("885"), "hex"));
    }
  }

  /** Whether these are the server's client credentials, compared in constant time. */
  authenticate(clientId: string, clientSecret: string): boolean {
    if (stryMutAct_9fa48("886")) {
      {}
    } else {
      stryCov_9fa48("886");
      // Both comparisons always run, so a wrong id takes as long as a wrong secret.
      const idOk = secretsEqual(clientId, this.clientId);
      const secretOk = secretsEqual(clientSecret, this.#secret);
      return stryMutAct_9fa48("889") ? idOk || secretOk : stryMutAct_9fa48("888") ? false : stryMutAct_9fa48("887") ? true : (stryCov_9fa48("887", "888", "889"), idOk && secretOk);
    }
  }

  /** Issues a token once it is stored; a token the store could not keep is never handed out. */
  async issue(): Promise<{
    token: string;
    expiresIn: number;
  }> {
    if (stryMutAct_9fa48("890")) {
      {}
    } else {
      stryCov_9fa48("890");
      const token = randomBytes(24).toString(stryMutAct_9fa48("891") ? "" : (stryCov_9fa48("891"), "base64url"));
      const now = this.now();
      const record: TokenRecord = stryMutAct_9fa48("892") ? {} : (stryCov_9fa48("892"), {
        hash: this.#hash(token),
        clientId: this.clientId,
        issuedAt: now,
        expiresAt: stryMutAct_9fa48("893") ? now - this.ttlSeconds * 1000 : (stryCov_9fa48("893"), now + (stryMutAct_9fa48("894") ? this.ttlSeconds / 1000 : (stryCov_9fa48("894"), this.ttlSeconds * 1000)))
      });
      await this.store.saveToken(record);
      this.#remember(token, record, now);
      if (stryMutAct_9fa48("898") ? ++this.#issuedSincePrune < this.#limits.pruneAfterIssued : stryMutAct_9fa48("897") ? ++this.#issuedSincePrune > this.#limits.pruneAfterIssued : stryMutAct_9fa48("896") ? false : stryMutAct_9fa48("895") ? true : (stryCov_9fa48("895", "896", "897", "898"), (stryMutAct_9fa48("899") ? --this.#issuedSincePrune : (stryCov_9fa48("899"), ++this.#issuedSincePrune)) >= this.#limits.pruneAfterIssued)) {
        if (stryMutAct_9fa48("900")) {
          {}
        } else {
          stryCov_9fa48("900");
          // Off the request path: the answer does not wait for the prune.
          setImmediate(stryMutAct_9fa48("901") ? () => undefined : (stryCov_9fa48("901"), () => void this.prune()));
        }
      }
      return stryMutAct_9fa48("902") ? {} : (stryCov_9fa48("902"), {
        token,
        expiresIn: Math.floor(this.ttlSeconds)
      });
    }
  }
  #remember(token: string, record: TokenRecord, checkedAt: number): void {
    if (stryMutAct_9fa48("903")) {
      {}
    } else {
      stryCov_9fa48("903");
      this.#known.delete(token);
      if (stryMutAct_9fa48("907") ? this.#known.size < TokenService.#KNOWN_MAX : stryMutAct_9fa48("906") ? this.#known.size > TokenService.#KNOWN_MAX : stryMutAct_9fa48("905") ? false : stryMutAct_9fa48("904") ? true : (stryCov_9fa48("904", "905", "906", "907"), this.#known.size >= TokenService.#KNOWN_MAX)) {
        if (stryMutAct_9fa48("908")) {
          {}
        } else {
          stryCov_9fa48("908");
          const oldest = this.#known.keys().next().value;
          if (stryMutAct_9fa48("911") ? oldest === undefined : stryMutAct_9fa48("910") ? false : stryMutAct_9fa48("909") ? true : (stryCov_9fa48("909", "910", "911"), oldest !== undefined)) this.#known.delete(oldest);
        }
      }
      this.#known.set(token, stryMutAct_9fa48("912") ? {} : (stryCov_9fa48("912"), {
        record,
        checkedAt
      }));
    }
  }

  /** Whether the token was issued under this server's credentials and has not expired. */
  async verify(token: string): Promise<boolean> {
    if (stryMutAct_9fa48("913")) {
      {}
    } else {
      stryCov_9fa48("913");
      if (stryMutAct_9fa48("916") ? token.length === 0 && token.length > 512 : stryMutAct_9fa48("915") ? false : stryMutAct_9fa48("914") ? true : (stryCov_9fa48("914", "915", "916"), (stryMutAct_9fa48("918") ? token.length !== 0 : stryMutAct_9fa48("917") ? false : (stryCov_9fa48("917", "918"), token.length === 0)) || (stryMutAct_9fa48("921") ? token.length <= 512 : stryMutAct_9fa48("920") ? token.length >= 512 : stryMutAct_9fa48("919") ? false : (stryCov_9fa48("919", "920", "921"), token.length > 512)))) return stryMutAct_9fa48("922") ? true : (stryCov_9fa48("922"), false);
      const now = this.now();
      let record: TokenRecord | undefined;
      const known = this.#known.get(token);
      if (stryMutAct_9fa48("925") ? known || now - known.checkedAt < this.#limits.recheckAfterMs : stryMutAct_9fa48("924") ? false : stryMutAct_9fa48("923") ? true : (stryCov_9fa48("923", "924", "925"), known && (stryMutAct_9fa48("928") ? now - known.checkedAt >= this.#limits.recheckAfterMs : stryMutAct_9fa48("927") ? now - known.checkedAt <= this.#limits.recheckAfterMs : stryMutAct_9fa48("926") ? true : (stryCov_9fa48("926", "927", "928"), (stryMutAct_9fa48("929") ? now + known.checkedAt : (stryCov_9fa48("929"), now - known.checkedAt)) < this.#limits.recheckAfterMs)))) {
        if (stryMutAct_9fa48("930")) {
          {}
        } else {
          stryCov_9fa48("930");
          record = known.record;
        }
      } else {
        if (stryMutAct_9fa48("931")) {
          {}
        } else {
          stryCov_9fa48("931");
          this.#known.delete(token);
          record = await this.store.findToken(this.#hash(token));
          if (stryMutAct_9fa48("933") ? false : stryMutAct_9fa48("932") ? true : (stryCov_9fa48("932", "933"), record)) this.#remember(token, record, now);
        }
      }
      if (stryMutAct_9fa48("936") ? false : stryMutAct_9fa48("935") ? true : stryMutAct_9fa48("934") ? record : (stryCov_9fa48("934", "935", "936"), !record)) return stryMutAct_9fa48("937") ? true : (stryCov_9fa48("937"), false);
      if (stryMutAct_9fa48("941") ? record.expiresAt > now : stryMutAct_9fa48("940") ? record.expiresAt < now : stryMutAct_9fa48("939") ? false : stryMutAct_9fa48("938") ? true : (stryCov_9fa48("938", "939", "940", "941"), record.expiresAt <= now)) {
        if (stryMutAct_9fa48("942")) {
          {}
        } else {
          stryCov_9fa48("942");
          this.#known.delete(token);
          return stryMutAct_9fa48("943") ? true : (stryCov_9fa48("943"), false);
        }
      }
      // The hash already binds the token to the credentials; the id is checked as well so that a
      // record of another client can never pass, whatever its hash.
      return stryMutAct_9fa48("946") ? record.clientId !== this.clientId : stryMutAct_9fa48("945") ? false : stryMutAct_9fa48("944") ? true : (stryCov_9fa48("944", "945", "946"), record.clientId === this.clientId);
    }
  }

  /**
   * Deletes expired tokens and this client's tokens beyond the cap, oldest first, in batches that
   * each yield to the event loop. One prune runs at a time; a call during one joins it.
   */
  prune(): Promise<void> {
    if (stryMutAct_9fa48("947")) {
      {}
    } else {
      stryCov_9fa48("947");
      stryMutAct_9fa48("948") ? this.#pruning &&= (async () => {
        this.#issuedSincePrune = 0;
        const {
          pruneBatch: limit,
          maxPerClient: keep
        } = this.#limits;
        try {
          for (;;) {
            const deleted = await this.store.pruneTokens({
              now: this.now(),
              clientId: this.clientId,
              keep,
              limit
            });
            if (deleted < limit) break;
            await new Promise(resolve => setImmediate(resolve));
          }
        } catch (error) {
          this.onPruneError(error);
        } finally {
          this.#pruning = undefined;
        }
      })() : (stryCov_9fa48("948"), this.#pruning ??= (async () => {
        if (stryMutAct_9fa48("949")) {
          {}
        } else {
          stryCov_9fa48("949");
          this.#issuedSincePrune = 0;
          const {
            pruneBatch: limit,
            maxPerClient: keep
          } = this.#limits;
          try {
            if (stryMutAct_9fa48("950")) {
              {}
            } else {
              stryCov_9fa48("950");
              if (stryMutAct_9fa48("951")) {
                for (; false;) {
                  const deleted = await this.store.pruneTokens({
                    now: this.now(),
                    clientId: this.clientId,
                    keep,
                    limit
                  });
                  if (deleted < limit) break;
                  await new Promise(resolve => setImmediate(resolve));
                }
              } else {
                stryCov_9fa48("951");
                for (;;) {
                  if (stryMutAct_9fa48("952")) {
                    {}
                  } else {
                    stryCov_9fa48("952");
                    const deleted = await this.store.pruneTokens(stryMutAct_9fa48("953") ? {} : (stryCov_9fa48("953"), {
                      now: this.now(),
                      clientId: this.clientId,
                      keep,
                      limit
                    }));
                    if (stryMutAct_9fa48("957") ? deleted >= limit : stryMutAct_9fa48("956") ? deleted <= limit : stryMutAct_9fa48("955") ? false : stryMutAct_9fa48("954") ? true : (stryCov_9fa48("954", "955", "956", "957"), deleted < limit)) break;
                    await new Promise(stryMutAct_9fa48("958") ? () => undefined : (stryCov_9fa48("958"), resolve => setImmediate(resolve)));
                  }
                }
              }
            }
          } catch (error) {
            if (stryMutAct_9fa48("959")) {
              {}
            } else {
              stryCov_9fa48("959");
              this.onPruneError(error);
            }
          } finally {
            if (stryMutAct_9fa48("960")) {
              {}
            } else {
              stryCov_9fa48("960");
              this.#pruning = undefined;
            }
          }
        }
      })());
      return this.#pruning;
    }
  }

  /** Prunes now and every `pruneIntervalMs` until `stop()`; the timer keeps no process alive. */
  start(): void {
    if (stryMutAct_9fa48("961")) {
      {}
    } else {
      stryCov_9fa48("961");
      if (stryMutAct_9fa48("963") ? false : stryMutAct_9fa48("962") ? true : (stryCov_9fa48("962", "963"), this.#timer)) return;
      void this.prune();
      this.#timer = setInterval(stryMutAct_9fa48("964") ? () => undefined : (stryCov_9fa48("964"), () => void this.prune()), this.#limits.pruneIntervalMs);
      this.#timer.unref();
    }
  }

  /** Stops the interval and waits for a prune in progress. */
  async stop(): Promise<void> {
    if (stryMutAct_9fa48("965")) {
      {}
    } else {
      stryCov_9fa48("965");
      clearInterval(this.#timer);
      this.#timer = undefined;
      await this.#pruning;
    }
  }
}