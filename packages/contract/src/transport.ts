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
  method: "GET" | "POST" | "PUT" | "DELETE";
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
  /** Called with every exchange once it is complete, before `send` resolves. */
  onExchange?: (exchange: Exchange) => void;
}

const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPROTO|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|ERR_TLS_.*|ERR_SSL_.*)$/;

class BodyTooLarge extends Error {}

function describeTransportError(error: unknown, options: TransportOptions): string {
  const err = error as { name?: string; code?: string; message?: string };
  if (error instanceof BodyTooLarge) {
    return `sent a body larger than the suite accepts (${options.maxResponseBytes} bytes)`;
  }
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

/**
 * The suite's HTTP client, on node:http: it sends exactly the headers and body a request
 * describes, enforces one deadline per request (a server dripping a byte a second cannot
 * stretch it), stops reading at `maxResponseBytes`, and records every exchange. One transport
 * serves one run and may carry concurrent requests.
 */
export class Transport {
  /** Every exchange of the run, in the order they completed. */
  readonly exchanges: Exchange[] = [];
  /** The access token requests carry unless they say otherwise; set by the run's setup. */
  token: string | undefined;
  private sequence = 0;
  // One keep-alive pool per run: nothing is shared with the host process's global agents.
  private readonly agent: http.Agent;

  constructor(readonly options: TransportOptions) {
    const protocol = new URL(options.baseUrl).protocol;
    this.agent =
      protocol === "https:"
        ? new https.Agent({ keepAlive: true, maxSockets: 8 })
        : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
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

    const seq = ++this.sequence;
    const started = performance.now();
    const base = {
      seq,
      checkId,
      baseUrl: this.options.baseUrl,
      method: req.method,
      url: url.toString(),
      requestHeaders: headers,
      ...(body !== undefined ? { requestBody: body } : {}),
    };
    let exchange: Exchange;
    try {
      const answer = await this.roundTrip(url, req.method, headers, body);
      exchange = recordExchange({
        ...base,
        status: answer.status,
        headers: answer.headers,
        ...(answer.error ? {} : { body: answer.body }),
        ...(answer.error
          ? { transportError: describeTransportError(answer.error, this.options) }
          : {}),
        durationMs: Math.round(performance.now() - started),
      });
      exchange.bytes = answer.bytes;
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      exchange = recordExchange({
        ...base,
        transportError: describeTransportError(error, this.options),
        unreachable: typeof code === "string" && UNREACHABLE.test(code),
        durationMs: Math.round(performance.now() - started),
      });
    }
    this.exchanges.push(exchange);
    this.options.onExchange?.(exchange);
    return exchange;
  }

  /**
   * One request on the wire. Resolves once the body is read (or reading it failed after the
   * status line arrived, in `error`); rejects when no status line arrived.
   */
  private roundTrip(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
    bytes: number;
    error?: unknown;
  }> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const send = url.protocol === "https:" ? https.request : http.request;
    const outgoing = { ...headers };
    if (body !== undefined) outgoing["Content-Length"] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const request = send(url, { method, headers: outgoing, agent: this.agent, signal: deadline });
      request.on("error", reject);
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        let done = false;
        const finish = (error?: unknown) => {
          if (done) return;
          done = true;
          // However the socket reported it, a body cut off by the deadline is a timeout.
          if (error && !(error instanceof BodyTooLarge) && deadline.aborted)
            error = deadline.reason;
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            bytes,
            ...(error ? { error } : {}),
          });
        };
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > this.options.maxResponseBytes) {
            response.removeAllListeners("data");
            request.destroy();
            finish(new BodyTooLarge());
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => finish());
        response.on("error", (error) => finish(error));
        response.on("close", () => {
          if (!response.complete) finish(new Error("aborted"));
        });
        // From here on a failure (the deadline, a reset) ends the body, not the request.
        request.removeListener("error", reject);
        request.on("error", (error) => finish(error));
      });
      request.end(body);
    });
  }

  /** Closes the pooled connections; the transport sends nothing afterwards. */
  close(): void {
    this.agent.destroy();
  }
}
