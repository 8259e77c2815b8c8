import http from "node:http";
import https from "node:https";
import type { Outgoing } from "./request.js";

/** What came back for one request: the status line, the headers as sent, and the body read. */
export interface Answer {
  status: number;
  /** Node's normalised headers: a duplicated singleton field keeps only its first value. */
  headers: http.IncomingHttpHeaders;
  /** Every header line as it arrived, `[name, value, name, value…]`, duplicates included. */
  rawHeaders: string[];
  body: Buffer;
  bytes: number;
  /** Why the body did not arrive whole, after the status line did. */
  error?: unknown;
}

/**
 * The bytes on the wire and nothing else: no retry policy, no rate, no bookkeeping beyond the
 * connections it opened. A transport composes its policies around one.
 */
export interface Wire {
  /**
   * Resolves once the body is read (or reading it failed after the status line arrived, in
   * `error`); rejects when no status line arrived. `stopping` abandons the request, which then
   * fails with the signal's reason.
   */
  send(request: Outgoing, stopping: AbortSignal): Promise<Answer>;
  /** Connections opened, and requests sent over a connection an earlier request opened. */
  readonly connections: { opened: number; reused: number };
  /** Closes the pooled connections; the wire sends nothing afterwards. */
  close(): void;
}

export interface WireOptions {
  /** Hard deadline of every request, body included, in milliseconds. */
  timeoutMs: number;
  /** Largest response body read, in bytes. */
  maxResponseBytes: number;
  /** Connections kept open for reuse, at most. Default: 1. */
  concurrency?: number;
  /** The signal that ends one request to `url` at its deadline. Default: `AbortSignal.timeout`. */
  deadline?: (timeoutMs: number, url: URL) => AbortSignal;
}

/** The answer's body is larger than the suite reads; `announced` when its Content-Length said so. */
export class BodyTooLarge extends Error {
  constructor(readonly announced?: number) {
    super("body too large");
  }
}

/** The run stopped while the request was on the wire. */
export class Stopped extends Error {}

const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPROTO|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|ERR_TLS_.*|ERR_SSL_.*)$/;

/** Whether a failure means the server could not be reached at all. */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && UNREACHABLE.test(code);
}

/** Whether a failure is the request's deadline (not a stop). */
export function isTimeout(error: unknown): boolean {
  if (error === undefined || error instanceof Stopped) return false;
  const name = (error as Error)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** What went wrong on the wire, as the end of a sentence starting "The server…". */
export function describeTransportError(
  error: unknown,
  limits: { timeoutMs: number; maxResponseBytes: number },
): string {
  const err = error as { name?: string; code?: string; message?: string };
  if (error instanceof BodyTooLarge) {
    return error.announced !== undefined
      ? `announced a body of ${error.announced} bytes (Content-Length), more than the ${limits.maxResponseBytes} bytes the suite reads, so the suite read none of it`
      : `sent a body of more than ${limits.maxResponseBytes} bytes, the most the suite reads; it stopped reading there`;
  }
  if (error instanceof Stopped) return `was not answered before the run stopped (${err.message})`;
  if (err?.name === "AbortError" || err?.name === "TimeoutError")
    return `did not answer completely within ${limits.timeoutMs} ms`;
  if (err?.code === "ECONNRESET" || err?.message === "socket hang up")
    return "reset the connection";
  if (err?.code === "ECONNREFUSED") return "refused the connection";
  if (err?.code === "ENOTFOUND" || err?.code === "EAI_AGAIN")
    return "could not be found (unknown host name)";
  if (err?.code === "ERR_STREAM_PREMATURE_CLOSE" || err?.message === "aborted")
    return "aborted the answer midway";
  return `failed at the transport level (${err?.code ?? err?.name ?? "error"}: ${err?.message ?? String(error)})`;
}

const IDEMPOTENT = new Set(["GET", "PUT", "DELETE"]);

/**
 * The wire on node:http: one deadline per request (a server dripping a byte a second cannot
 * stretch it), reading stopped at `maxResponseBytes`, keep-alive connections of its own.
 */
export class NodeWire implements Wire {
  readonly connections = { opened: 0, reused: 0 };
  // One keep-alive pool per run: nothing is shared with the host process's global agents.
  private readonly agent: http.Agent;

  constructor(
    baseUrl: string,
    private readonly options: WireOptions,
  ) {
    const pool = { keepAlive: true, maxSockets: Math.max(1, options.concurrency ?? 1) };
    const secure = new URL(baseUrl).protocol === "https:";
    this.agent = secure ? new https.Agent(pool) : new http.Agent(pool);
  }

  /**
   * Sends again once on a fresh connection when a reused one turns out closed before any answer
   * (a keep-alive race) and the method is idempotent.
   */
  async send(request: Outgoing, stopping: AbortSignal): Promise<Answer> {
    try {
      return await this.once(request, stopping, false);
    } catch (error) {
      const code = (error as { code?: string })?.code;
      const stale =
        (error as { reusedSocket?: boolean }).reusedSocket === true &&
        (code === "ECONNRESET" || code === "EPIPE");
      if (!stale || !IDEMPOTENT.has(request.method)) throw error;
      return this.once(request, stopping, true);
    }
  }

  private once(
    { method, url, headers, body }: Outgoing,
    stopping: AbortSignal,
    fresh: boolean,
  ): Promise<Answer> {
    const deadline = (this.options.deadline ?? AbortSignal.timeout)(this.options.timeoutMs, url);
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
            rawHeaders: response.rawHeaders,
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

  close(): void {
    this.agent.destroy();
  }
}
