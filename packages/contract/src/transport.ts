import http from "node:http";
import https from "node:https";
import { type Exchange, recordExchange } from "./exchange.js";

/** How a request carries the access token. */
export type AuthMode =
  | { kind: "none" }
  /** `Authorization: <scheme> <token>`; the document writes `bearer`. */
  | { kind: "header"; scheme: string; token?: string }
  /** `?access_token=<token>`. */
  | { kind: "query"; token?: string }
  /** Any other header carrying the token (which the document says is not accepted). */
  | { kind: "other-header"; name: string; token?: string };

/** A request as a check describes it; the transport turns it into bytes on the wire. */
export interface RequestSpec {
  /** PATCH and HEAD only where a check asks what a server does with a method it may not implement. */
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD";
  /** Path under the base URL, starting with "/" (may end in "/"). */
  path: string;
  /** Query parameters; an array value sends the parameter once per element, in order. */
  query?: Record<string, string | string[]>;
  /** Where the token goes. Default: `Authorization: bearer <the run's token>`. */
  auth?: AuthMode;
  /** Headers sent as given, after those the body implies (so they can override Content-Type). */
  headers?: Record<string, string>;
  /** A JSON body, serialised as is, sent as `application/json`. */
  json?: unknown;
  /** A form-encoded body, sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  /** A raw body, sent byte for byte without a Content-Type (malformed JSON and the like). */
  raw?: string;
}

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
   * When the run's time budget ends (`now()` time, in milliseconds): a 429 whose Retry-After
   * reaches past it is not waited out. Default: no end.
   */
  endsAt?: number;
  /**
   * The transport stops itself after this many requests in a row ran into their deadline while
   * no other answer arrived. Default: never.
   */
  stopAfterTimeouts?: number;
  /** Called with every exchange once it is complete, before `send` resolves. */
  onExchange?: (exchange: Exchange) => void;
  /** Called once when the transport stops itself (`stopAfterTimeouts`), with the sentence that says why. */
  onStop?: (reason: string) => void;
  /** The clock, in milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Waits `ms` milliseconds, or until `signal` aborts. Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The signal that ends one request to `url` at its deadline, aborting with a `TimeoutError`.
   * Default: `AbortSignal.timeout(timeoutMs)`; tests pass one that ends when they say.
   */
  deadline?: (timeoutMs: number, url: URL) => AbortSignal;
}

/** How often a 429 is waited out for one request before the suite reports it as it is. */
export const MAX_THROTTLED_RETRIES = 5;

const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPROTO|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|ERR_TLS_.*|ERR_SSL_.*)$/;

/** The answer's body is larger than the suite reads; `announced` when its Content-Length said so. */
class BodyTooLarge extends Error {
  constructor(readonly announced?: number) {
    super("body too large");
  }
}

/** The run stopped while the request was on the wire. */
class Stopped extends Error {}

function describeTransportError(error: unknown, options: TransportOptions): string {
  const err = error as { name?: string; code?: string; message?: string };
  if (error instanceof BodyTooLarge) {
    return error.announced !== undefined
      ? `announced a body of ${error.announced} bytes (Content-Length), more than the ${options.maxResponseBytes} bytes the suite reads, so the suite read none of it`
      : `sent a body of more than ${options.maxResponseBytes} bytes, the most the suite reads; it stopped reading there`;
  }
  if (error instanceof Stopped) return `was not answered before the run stopped (${err.message})`;
  if (err?.name === "AbortError" || err?.name === "TimeoutError")
    return `did not answer completely within ${options.timeoutMs} ms`;
  if (err?.code === "ECONNRESET" || err?.message === "socket hang up")
    return "reset the connection";
  if (err?.code === "ECONNREFUSED") return "refused the connection";
  if (err?.code === "ENOTFOUND" || err?.code === "EAI_AGAIN")
    return "could not be found (unknown host name)";
  if (err?.code === "ERR_STREAM_PREMATURE_CLOSE" || err?.message === "aborted")
    return "aborted the answer midway";
  return `failed at the transport level (${err?.code ?? err?.name ?? "error"}: ${err?.message ?? String(error)})`;
}

/** Seconds or an HTTP date (RFC 9110 section 10.2.3), as milliseconds from `now`; undefined when neither. */
export function retryAfterMs(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
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

const IDEMPOTENT = new Set(["GET", "PUT", "DELETE"]);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  bytes: number;
  error?: unknown;
}

/**
 * The suite's HTTP client, on node:http: it sends exactly the headers and body a request
 * describes, enforces one deadline per request (a server dripping a byte a second cannot
 * stretch it), stops reading at `maxResponseBytes`, and hands every exchange to `onExchange`. One transport
 * serves one run and carries up to `concurrency` requests at once over keep-alive connections;
 * it spaces requests to `rateLimit`, waits out a 429's Retry-After within the run's time budget,
 * and stops when the server has stopped answering.
 */
export class Transport {
  /** The access token requests carry unless they say otherwise; set by the run's setup. */
  token: string | undefined;
  /** Connections opened, and requests sent over a connection an earlier request opened. */
  readonly connections = { opened: 0, reused: 0 };
  /** 429 answers waited out (and not judged), and the time spent waiting. */
  readonly throttled = { answers: 0, waitedMs: 0 };
  private sequence = 0;
  // One keep-alive pool per run: nothing is shared with the host process's global agents.
  private readonly agent: http.Agent;
  private stopping = new AbortController();
  private stopReason: string | undefined;
  /** The one check whose requests are sent after `resume(only)`, and why the others are not. */
  private resumedFor: { only: string; reason: string } | undefined;
  private nextSlot = 0;
  private lastAnswerAt = Number.NEGATIVE_INFINITY;
  private timeoutsInARow = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(readonly options: TransportOptions) {
    const protocol = new URL(options.baseUrl).protocol;
    const pool = { keepAlive: true, maxSockets: Math.max(1, options.concurrency ?? 1) };
    this.agent = protocol === "https:" ? new https.Agent(pool) : new http.Agent(pool);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
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
   * the requests of the check `only` when given.
   */
  resume(only?: string): void {
    // After a stop, requests of any other check (one abandoned at the deadline) stay unsent.
    this.resumedFor = only === undefined ? undefined : { only, reason: this.stopReason ?? "" };
    this.stopReason = undefined;
    this.stopping = new AbortController();
    this.timeoutsInARow = 0;
  }

  /** Sends one request and records the exchange; never throws. */
  async send(checkId: string, req: RequestSpec): Promise<Exchange> {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, "") + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {};
    const auth = req.auth ?? { kind: "header", scheme: "bearer" };
    if (auth.kind === "header") {
      headers.Authorization = `${auth.scheme} ${auth.token ?? this.token ?? ""}`;
    } else if (auth.kind === "query") {
      url.searchParams.set("access_token", auth.token ?? this.token ?? "");
    } else if (auth.kind === "other-header") {
      headers[auth.name] = auth.token ?? this.token ?? "";
    }
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["Content-Type"] = "application/json";
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    } else if (req.raw !== undefined) {
      body = req.raw;
    }
    Object.assign(headers, req.headers);

    const base = {
      checkId,
      baseUrl: this.options.baseUrl,
      method: req.method,
      url: url.toString(),
      requestHeaders: headers,
      ...(body !== undefined ? { requestBody: body } : {}),
    };
    let throttled = 0;
    let waited = 0;
    for (;;) {
      const refused = () =>
        this.stopReason ??
        (this.resumedFor && checkId !== this.resumedFor.only ? this.resumedFor.reason : undefined);
      let reason = refused();
      if (reason !== undefined) return this.unsent(base, reason);
      await this.slot();
      reason = refused();
      if (reason !== undefined) return this.unsent(base, reason);
      const sentAt = this.now();
      const started = performance.now();
      let answer: Answer | undefined;
      let failure: unknown;
      try {
        answer = await this.roundTrip(url, req.method, headers, body);
      } catch (error) {
        failure = error;
      }
      const durationMs = Math.round(performance.now() - started);
      const error = answer?.error ?? failure;
      const timedOut =
        error !== undefined &&
        !(error instanceof Stopped) &&
        ((error as Error).name === "TimeoutError" || (error as Error).name === "AbortError");
      if (answer?.status === 429 && !answer.error) {
        const wait = retryAfterMs(answer.headers["retry-after"], this.now());
        const left = (this.options.endsAt ?? Number.POSITIVE_INFINITY) - this.now();
        if (wait !== undefined && throttled < MAX_THROTTLED_RETRIES && wait < left) {
          // Asked to come back later: not the server's failure, and not judged.
          throttled += 1;
          waited += wait;
          this.throttled.answers += 1;
          this.throttled.waitedMs += wait;
          this.lastAnswerAt = this.now();
          await this.sleep(wait, this.stopping.signal);
          continue;
        }
        const why =
          wait === undefined
            ? "without a Retry-After"
            : throttled >= MAX_THROTTLED_RETRIES
              ? `after ${MAX_THROTTLED_RETRIES} waits`
              : `asking for ${Math.ceil(wait / 1000)} s more, past the run's time budget (${Math.max(0, Math.floor(left / 1000))} s left)`;
        return this.record(
          base,
          answer,
          durationMs,
          `the server answered 429 Too Many Requests ${throttled + 1} time${throttled === 0 ? "" : "s"} in a row (${Math.round(waited / 1000)} s waited), the last ${why}`,
        );
      }
      if (timedOut) {
        // Only a server that answered nothing since this request left counts as gone.
        if (this.lastAnswerAt <= sentAt) this.timeoutsInARow += 1;
        const limit = this.options.stopAfterTimeouts;
        if (limit !== undefined && this.timeoutsInARow >= limit) await this.stillThere(limit);
      } else if (answer && !answer.error) {
        this.lastAnswerAt = this.now();
        this.timeoutsInARow = 0;
      }
      if (answer) return this.record(base, answer, durationMs);
      const code = (failure as { code?: unknown })?.code;
      return this.finish(
        recordExchange({
          ...base,
          seq: ++this.sequence,
          transportError: describeTransportError(failure, this.options),
          unreachable: typeof code === "string" && UNREACHABLE.test(code),
          durationMs,
        }),
        failure instanceof Stopped,
      );
    }
  }

  private record(
    base: Omit<Parameters<typeof recordExchange>[0], "seq">,
    answer: Answer,
    durationMs: number,
    note?: string,
  ): Exchange {
    const exchange = recordExchange({
      ...base,
      seq: ++this.sequence,
      status: answer.status,
      headers: answer.headers,
      ...(answer.error ? {} : { body: answer.body }),
      ...(answer.error
        ? { transportError: describeTransportError(answer.error, this.options) }
        : {}),
      durationMs,
    });
    exchange.bytes = answer.bytes;
    if (note) exchange.note = note;
    return this.finish(exchange, answer.error instanceof Stopped);
  }

  private finish(exchange: Exchange, stopped: boolean): Exchange {
    if (stopped) exchange.stopped = true;
    this.options.onExchange?.(exchange);
    return exchange;
  }

  /** A request the transport did not send because it is stopped: not recorded, not judged. */
  private unsent(
    base: Omit<Parameters<typeof recordExchange>[0], "seq">,
    reason: string,
  ): Exchange {
    const exchange = recordExchange({
      ...base,
      transportError: `was not sent: the run stopped (${reason})`,
    });
    exchange.stopped = true;
    exchange.unsent = true;
    return exchange;
  }

  private liveness: Promise<void> | undefined;

  /**
   * After `limit` timeouts in a row, one plain request tells a server that is gone from one
   * whose every answer to what the check asked hangs (a single endpoint that hangs): the
   * transport stops only when that request goes unanswered too.
   */
  private stillThere(limit: number): Promise<void> {
    this.liveness ??= (async () => {
      const started = performance.now();
      const url = new URL(`${this.options.baseUrl.replace(/\/+$/, "")}/api/connections`);
      const headers: Record<string, string> = this.token
        ? { Authorization: `bearer ${this.token}` }
        : {};
      let answer: Answer | undefined;
      let failure: unknown;
      try {
        answer = await this.roundTrip(url, "GET", headers, undefined);
      } catch (error) {
        failure = error;
      }
      const base = {
        checkId: "liveness",
        baseUrl: this.options.baseUrl,
        method: "GET",
        url: url.toString(),
        requestHeaders: headers,
      };
      const durationMs = Math.round(performance.now() - started);
      if (answer) this.record(base, answer, durationMs);
      else if (!(failure instanceof Stopped)) {
        this.finish(
          recordExchange({
            ...base,
            seq: ++this.sequence,
            transportError: describeTransportError(failure, this.options),
            durationMs,
          }),
          false,
        );
      }
      if (answer && !answer.error) {
        this.lastAnswerAt = this.now();
        this.timeoutsInARow = 0;
      } else if (this.stopReason === undefined && this.timeoutsInARow >= limit) {
        const reason = `the server did not answer ${this.timeoutsInARow} requests in a row within ${this.options.timeoutMs} ms each, nor a plain GET /api/connections sent to see whether it answers at all`;
        this.stop(reason);
        this.options.onStop?.(reason);
      }
    })().finally(() => {
      this.liveness = undefined;
    });
    return this.liveness;
  }

  /** Waits for the next free slot of the rate limit. */
  private async slot(): Promise<void> {
    const rate = this.options.rateLimit;
    if (!rate) return;
    const now = this.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + 1000 / rate;
    if (at > now) await this.sleep(at - now, this.stopping.signal);
  }

  /**
   * One request on the wire, sent again once on a fresh connection when a reused one turns out
   * closed before any answer (a keep-alive race) and the method is idempotent.
   */
  private async roundTrip(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Answer> {
    try {
      return await this.once(url, method, headers, body, false);
    } catch (error) {
      const code = (error as { code?: string })?.code;
      const stale =
        (error as { reusedSocket?: boolean }).reusedSocket === true &&
        (code === "ECONNRESET" || code === "EPIPE");
      if (!stale || !IDEMPOTENT.has(method)) throw error;
      return this.once(url, method, headers, body, true);
    }
  }

  /**
   * Resolves once the body is read (or reading it failed after the status line arrived, in
   * `error`); rejects when no status line arrived.
   */
  private once(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    fresh: boolean,
  ): Promise<Answer> {
    const deadline = (this.options.deadline ?? AbortSignal.timeout)(this.options.timeoutMs, url);
    const stopping = this.stopping.signal;
    const signal = AbortSignal.any([deadline, stopping]);
    const send = url.protocol === "https:" ? https.request : http.request;
    const outgoing = { ...headers };
    if (body !== undefined) outgoing["Content-Length"] = String(Buffer.byteLength(body));
    const limit = this.options.maxResponseBytes;
    /** The deadline or a stop, whichever ended the request, as the error to report. */
    const cause = (error: unknown) =>
      stopping.aborted ? stopping.reason : deadline.aborted ? deadline.reason : error;
    return new Promise((resolve, reject) => {
      const request = send(url, {
        method,
        headers: outgoing,
        // A retried request takes a connection of its own, never one from the pool.
        agent: fresh ? false : this.agent,
        signal,
      });
      request.once("socket", () => {
        if (request.reusedSocket) this.connections.reused += 1;
        else this.connections.opened += 1;
      });
      request.on("error", (error) =>
        reject(Object.assign(cause(error), { reusedSocket: request.reusedSocket })),
      );
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        let done = false;
        const finish = (error?: unknown) => {
          if (done) return;
          done = true;
          // However the socket reported it, a body cut off by the deadline is a timeout.
          if (error && !(error instanceof BodyTooLarge)) error = cause(error);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            bytes,
            ...(error ? { error } : {}),
          });
        };
        const tooLarge = (announced?: number) => {
          // Nothing more is read: memory stays bounded by the limit whatever the server sends.
          finish(new BodyTooLarge(announced));
          response.destroy();
          request.destroy();
        };
        // From here on a failure (the deadline, a reset) ends the body, not the request.
        request.removeAllListeners("error");
        request.on("error", (error) => finish(error));
        const announced = Number(response.headers["content-length"]);
        if (Number.isFinite(announced) && announced > limit) {
          tooLarge(announced);
          return;
        }
        response.on("data", (chunk: Buffer) => {
          if (done) return;
          bytes += chunk.length;
          if (bytes > limit) {
            tooLarge();
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => finish());
        response.on("error", (error) => finish(error));
        response.on("close", () => {
          if (!response.complete) finish(new Error("aborted"));
        });
      });
      request.end(body);
    });
  }

  /** Closes the pooled connections; the transport sends nothing afterwards. */
  close(): void {
    this.agent.destroy();
  }
}
