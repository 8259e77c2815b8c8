import {
  type Exchange,
  type ExchangeInit,
  type Purpose,
  recordExchange,
  type Sender,
} from "./exchange.js";
import { buildRequest, type Outgoing, type RequestSpec, urlUnder } from "./request.js";
import {
  ConsistencyWindow,
  defaultSleep,
  Liveness,
  RateLimit,
  type Sleep,
  Throttle,
  type ThrottleState,
} from "./transport-policies.js";
import {
  type Answer,
  describeTransportError,
  isTimeout,
  isUnreachable,
  NodeWire,
  Stopped,
  type Wire,
} from "./wire.js";

export type { AuthMode, RequestSpec } from "./request.js";
export { MAX_THROTTLED_RETRIES, retryAfterMs } from "./transport-policies.js";

export interface TransportOptions {
  /** The server under test; a path prefix is kept. */
  baseUrl: string;
  /** Hard deadline of every request, body included, in milliseconds. */
  timeoutMs: number;
  /** Largest response body read, in bytes; a larger one ends the exchange with a transport error. */
  maxResponseBytes: number;
  /** Requests on the wire at once, and connections kept open for reuse. Default: 1. */
  concurrency?: number;
  /** Requests started per second at most, spaced evenly. Default: no limit. */
  rateLimit?: number;
  /**
   * How long after a write the server may still answer reads with what was there before it, in
   * milliseconds: a check's reads wait that long after its own writes. Default: 0, no wait.
   */
  consistencyWindowMs?: number;
  /**
   * When the run's time budget ends (`now()` time, in milliseconds): a 429 whose Retry-After
   * reaches past it is not waited out. Default: no end.
   */
  endsAt?: number;
  /**
   * The transport stops itself after this many requests in a row ran into their deadline while
   * no other answer arrived. Default: never.
   */
  stopAfterTimeouts?: number;
  /**
   * Makes, of every exchange once it is complete, the copy `send` resolves with (a holder of the
   * secrets cuts its excerpt, lets a long body go). Default: the exchange itself.
   */
  keep?: (exchange: Exchange) => Exchange;
  /** Called with every exchange once it is complete (as `keep` made it), before `send` resolves. */
  onExchange?: (exchange: Exchange) => void;
  /** Called once when the transport stops itself (`stopAfterTimeouts`), with the sentence that says why. */
  onStop?: (reason: string) => void;
  /** The clock, in milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Waits `ms` milliseconds, or until `signal` aborts. Default: a timer. */
  sleep?: Sleep;
  /**
   * The signal that ends one request to `url` at its deadline, aborting with a `TimeoutError`.
   * Default: `AbortSignal.timeout(timeoutMs)`; tests pass one that ends when they say.
   */
  deadline?: (timeoutMs: number, url: URL) => AbortSignal;
  /** The wire requests go over. Default: node:http, with the limits above. */
  wire?: Wire;
}

type Base = Omit<ExchangeInit, "seq">;

/**
 * The suite's HTTP client: it builds each request exactly as described (`buildRequest`), sends
 * it over a `Wire`, and composes the run's policies around that: the rate limit, the waiting out
 * of 429s within the run's time budget, and the stop when the server has stopped answering
 * (`Liveness`). Every exchange goes to `onExchange`. One transport serves one run.
 */
export class Transport {
  /** The access token requests carry unless they say otherwise; set by the run's setup. */
  token: string | undefined;
  private sequence = 0;
  private readonly wire: Wire;
  private readonly rate: RateLimit;
  private readonly throttle: Throttle;
  private readonly liveness: Liveness;
  private readonly consistency: ConsistencyWindow;
  private stopping = new AbortController();
  private stopReason: string | undefined;
  /** The one purpose whose requests are sent after `resume(only)`, and why the others are not. */
  private resumedFor: { only: Purpose; reason: string } | undefined;
  private readonly now: () => number;
  /** Waits, or until the transport stops. */
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: TransportOptions) {
    this.now = options.now ?? Date.now;
    const sleep = options.sleep ?? defaultSleep;
    this.wire = options.wire ?? new NodeWire(options.baseUrl, options);
    this.rate = new RateLimit(options.rateLimit, this.now, sleep);
    this.throttle = new Throttle(options.endsAt, this.now);
    this.sleep = (ms) => sleep(ms, this.stopping.signal);
    this.consistency = new ConsistencyWindow(options.consistencyWindowMs, this.now, this.sleep);
    this.liveness = new Liveness(
      options.stopAfterTimeouts,
      this.now,
      () => this.stillThere(),
      (timeouts) => {
        if (this.stopReason !== undefined) return;
        const reason = `the server did not answer ${timeouts} requests in a row within ${options.timeoutMs} ms each, nor a plain GET /api/connections sent to see whether it answers at all`;
        this.stop(reason);
        options.onStop?.(reason);
      },
    );
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Connections opened, and requests sent over a connection an earlier request opened. */
  get connections(): { opened: number; reused: number } {
    return this.wire.connections;
  }

  /** 429 answers waited out (and not judged), and the time spent waiting. */
  get throttled(): { answers: number; waitedMs: number } {
    return this.throttle.totals;
  }

  /** Why the transport stopped, while it is stopped. */
  get stopped(): string | undefined {
    return this.stopReason;
  }

  /**
   * Stops the transport: requests on the wire are abandoned, later ones are not sent; each
   * answers an exchange marked `stopped`.
   */
  stop(reason: string): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.stopping.abort(new Stopped(reason));
  }

  /**
   * Sends again after a stop (the clean-up does), with the count of timeouts in a row reset; only
   * the requests sent for the purpose `only` when given.
   */
  resume(only?: Purpose): void {
    // After a stop, requests sent for another purpose (a check abandoned at the deadline) stay unsent.
    this.resumedFor = only === undefined ? undefined : { only, reason: this.stopReason ?? "" };
    this.stopReason = undefined;
    this.stopping = new AbortController();
    this.liveness.reset();
  }

  /** Sends one request for `sender` and records the exchange; never throws. */
  async send(req: RequestSpec, sender: Sender): Promise<Exchange> {
    const request = buildRequest(this.options.baseUrl, req, this.token);
    const base = this.baseOf(sender, request);
    const throttling: ThrottleState = { throttled: 0, waited: 0 };
    const refused = () =>
      this.stopReason ??
      (this.resumedFor && sender.purpose !== this.resumedFor.only
        ? this.resumedFor.reason
        : undefined);
    await this.consistency.before(req.method, sender.checkId);
    for (;;) {
      if (refused() !== undefined) return this.unsent(base, refused() ?? "");
      await this.rate.slot(this.stopping.signal);
      if (refused() !== undefined) return this.unsent(base, refused() ?? "");
      const sentAt = this.now();
      const { answer, failure, durationMs } = await this.attempt(request);
      if (answer?.status === 429 && !answer.error) {
        const verdict = this.throttle.judge(answer.headers, throttling);
        if (verdict.waitMs !== undefined) {
          this.liveness.heard();
          await this.sleep(verdict.waitMs);
          continue;
        }
        return this.record(base, answer, durationMs, verdict.note);
      }
      if (isTimeout(answer?.error ?? failure)) await this.liveness.timedOut(sentAt);
      else if (answer && !answer.error) this.liveness.answered();
      // Whatever the answer said, the write may have taken effect.
      this.consistency.after(req.method, sender.checkId);
      if (answer) return this.record(base, answer, durationMs);
      return this.failed(base, failure, durationMs);
    }
  }

  /** One request over the wire, with how long it took; never throws. */
  private async attempt(
    request: Outgoing,
  ): Promise<{ answer?: Answer; failure?: unknown; durationMs: number }> {
    const started = performance.now();
    try {
      const answer = await this.wire.send(request, this.stopping.signal);
      return { answer, durationMs: Math.round(performance.now() - started) };
    } catch (failure) {
      return { failure, durationMs: Math.round(performance.now() - started) };
    }
  }

  private baseOf(sender: Sender, request: Outgoing): Base {
    return {
      purpose: sender.purpose,
      ...(sender.checkId !== undefined ? { checkId: sender.checkId } : {}),
      baseUrl: this.options.baseUrl,
      method: request.method,
      url: request.url.toString(),
      requestHeaders: request.headers,
      ...(request.body !== undefined ? { requestBody: request.body } : {}),
    };
  }

  private record(base: Base, answer: Answer, durationMs: number, note?: string): Exchange {
    return this.finish(
      recordExchange({
        ...base,
        seq: ++this.sequence,
        status: answer.status,
        headers: answer.headers,
        rawHeaders: answer.rawHeaders,
        ...(answer.error ? {} : { body: answer.body }),
        bytes: answer.bytes,
        ...(answer.error
          ? { transportError: describeTransportError(answer.error, this.options) }
          : {}),
        ...(answer.error instanceof Stopped ? { stopped: true } : {}),
        ...(note ? { note } : {}),
        durationMs,
      }),
    );
  }

  /** A request that got no status line. */
  private failed(base: Base, failure: unknown, durationMs: number): Exchange {
    return this.finish(
      recordExchange({
        ...base,
        seq: ++this.sequence,
        transportError: describeTransportError(failure, this.options),
        unreachable: isUnreachable(failure),
        stopped: failure instanceof Stopped,
        durationMs,
      }),
    );
  }

  private finish(exchange: Exchange): Exchange {
    const kept = this.options.keep?.(exchange) ?? exchange;
    this.options.onExchange?.(kept);
    return kept;
  }

  /** A request the transport did not send because it is stopped: not recorded, not judged. */
  private unsent(base: Base, reason: string): Exchange {
    return recordExchange({
      ...base,
      transportError: `was not sent: the run stopped (${reason})`,
      unsent: true,
    });
  }

  /**
   * The liveness probe: one plain GET /api/connections, sent for the purpose `liveness`, answering
   * whether an answer arrived whole.
   */
  private async stillThere(): Promise<boolean> {
    const request: Outgoing = {
      method: "GET",
      url: urlUnder(this.options.baseUrl, "/api/connections"),
      headers: this.token ? { Authorization: `bearer ${this.token}` } : {},
    };
    const base = this.baseOf({ purpose: "liveness" }, request);
    const { answer, failure, durationMs } = await this.attempt(request);
    if (answer) this.record(base, answer, durationMs);
    else if (!(failure instanceof Stopped)) {
      this.finish(
        recordExchange({
          ...base,
          seq: ++this.sequence,
          transportError: describeTransportError(failure, this.options),
          durationMs,
        }),
      );
    }
    return answer !== undefined && !answer.error;
  }

  /** Closes the pooled connections; the transport sends nothing afterwards. */
  close(): void {
    this.wire.close();
  }
}
