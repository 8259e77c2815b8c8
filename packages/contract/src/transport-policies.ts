import type { IncomingHttpHeaders } from "node:http";
import { retryAfterMs } from "@mgmtkit/spec/retry-after";

/**
 * The policies a transport composes around its wire, each with its own state and an injected
 * clock, so that each can be tested without a server: the rate limit, the waiting out of 429s,
 * and the bookkeeping that tells a server that is gone from one that is slow.
 */

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

/** Requests started per second at most, spaced evenly; no limit when `rate` is undefined. */
export class RateLimit {
  private nextSlot = 0;

  constructor(
    private readonly rate: number | undefined,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {}

  /** Waits for the next free slot, or until `signal` aborts. */
  async slot(signal: AbortSignal): Promise<void> {
    if (!this.rate) return;
    const now = this.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / this.rate;
    if (at > now) await this.sleep(at - now, signal);
  }
}

/** How often a 429 is waited out for one request before the suite reports it as it is. */
export const MAX_THROTTLED_RETRIES = 5;

// Retry-After is read the one way the SDK reads it too.
export { retryAfterMs };

/** What one request went through with 429s so far. */
export interface ThrottleState {
  throttled: number;
  waited: number;
}

/**
 * Waits out a 429's Retry-After within the run's time budget (`endsAt`), at most
 * MAX_THROTTLED_RETRIES times per request: asked to come back later is not the server's
 * failure, and not judged.
 */
export class Throttle {
  /** 429 answers waited out, and the time spent waiting, over every request. */
  readonly totals = { answers: 0, waitedMs: 0 };

  constructor(
    private readonly endsAt: number | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * For a 429 answer: `{ waitMs }` when it is to be waited out (counted in `state` and the
   * totals), `{ note }` when it is to be reported as it is, with the sentence that says why.
   */
  judge(
    headers: IncomingHttpHeaders,
    state: ThrottleState,
  ): { waitMs: number; note?: never } | { note: string; waitMs?: never } {
    const wait = retryAfterMs(headers["retry-after"], this.now());
    const left = (this.endsAt ?? Number.POSITIVE_INFINITY) - this.now();
    if (wait !== undefined && state.throttled < MAX_THROTTLED_RETRIES && wait < left) {
      state.throttled += 1;
      state.waited += wait;
      this.totals.answers += 1;
      this.totals.waitedMs += wait;
      return { waitMs: wait };
    }
    const why =
      wait === undefined
        ? "without a Retry-After"
        : state.throttled >= MAX_THROTTLED_RETRIES
          ? `after ${MAX_THROTTLED_RETRIES} waits`
          : `asking for ${Math.ceil(wait / 1000)} s more, past the run's time budget (${Math.max(0, Math.floor(left / 1000))} s left)`;
    const times = state.throttled + 1;
    return {
      note: `the server answered 429 Too Many Requests ${times} time${times === 1 ? "" : "s"} in a row (${Math.round(state.waited / 1000)} s waited), the last ${why}`,
    };
  }
}

/**
 * Counts requests in a row that ran into their deadline while no other answer arrived. After
 * `limit` of them, one plain request (`probe`, answering whether an answer came) tells a server
 * that is gone from one whose every answer to what the checks asked hangs: `onGone` is called
 * only when the probe goes unanswered too.
 */
export class Liveness {
  private lastAnswerAt = Number.NEGATIVE_INFINITY;
  private inARow = 0;
  private probing: Promise<void> | undefined;

  constructor(
    private readonly limit: number | undefined,
    private readonly now: () => number,
    private readonly probe: () => Promise<boolean>,
    private readonly onGone: (timeouts: number) => void,
  ) {}

  /** Requests in a row that timed out with no other answer meanwhile. */
  get timeoutsInARow(): number {
    return this.inARow;
  }

  /** Some answer arrived, if only a 429: the server is there. */
  heard(): void {
    this.lastAnswerAt = this.now();
  }

  /** An answer arrived whole. */
  answered(): void {
    this.lastAnswerAt = this.now();
    this.inARow = 0;
  }

  /** Forgets the timeouts counted so far (a resumed run starts afresh). */
  reset(): void {
    this.inARow = 0;
  }

  /** A request sent at `sentAt` ran into its deadline; resolves once any probe it causes ends. */
  async timedOut(sentAt: number): Promise<void> {
    // Only a server that answered nothing since this request left counts as gone.
    if (this.lastAnswerAt <= sentAt) this.inARow += 1;
    if (this.limit === undefined || this.inARow < this.limit) return;
    const limit = this.limit;
    this.probing ??= (async () => {
      if (await this.probe()) this.answered();
      else if (this.inARow >= limit) this.onGone(this.inARow);
    })().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }
}

/**
 * Lets a check's reads wait out the server's consistency window after that check's own writes:
 * instances behind one load balancer that share a cache may answer a read with what was there
 * before a write for a while (`windowMs`), and the suite would judge that as a lost write. Each
 * check has its own window, so checks that run beside it wait for nothing. No window, no wait.
 */
export class ConsistencyWindow {
  /** When each check's last write was answered. */
  private readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly windowMs: number | undefined,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** Before a request of `checkId`: a read waits until the window after the check's last write has passed. */
  async before(method: string, checkId: string | undefined): Promise<void> {
    if (!this.windowMs || checkId === undefined || !READS.has(method)) return;
    const wrote = this.lastWrite.get(checkId);
    if (wrote === undefined) return;
    const left = wrote + this.windowMs - this.now();
    if (left > 0) await this.sleep(left);
  }

  /** After a request of `checkId` got an answer: a write starts the check's window again. */
  after(method: string, checkId: string | undefined): void {
    if (!this.windowMs || checkId === undefined || READS.has(method)) return;
    this.lastWrite.set(checkId, this.now());
  }
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);
