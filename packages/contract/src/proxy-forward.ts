import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import zlib from "node:zlib";
import { type Exchange, recordExchange } from "./exchange.js";
import type { ExchangeFacts } from "./traffic-judge.js";

/** Hop-by-hop fields (RFC 9110 section 7.6.1): they describe one connection, not the message. */
const HOP_BY_HOP = new Set([
  "connection",
  "proxy-connection",
  "keep-alive",
  "te",
  "transfer-encoding",
  "upgrade",
]);

/** Raw header pairs without the hop-by-hop fields and those the Connection field names. */
function endToEnd(raw: readonly string[], drop: readonly string[] = []): string[] {
  const named = new Set(drop);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === "connection") {
      for (const option of (raw[i + 1] ?? "").split(",")) named.add(option.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? "";
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    out.push(name, raw[i + 1] ?? "");
  }
  return out;
}

/** Keeps the first `cap` bytes of a stream's chunks; past the cap it keeps nothing and counts. */
class Capture {
  private chunks: Buffer[] = [];
  bytes = 0;
  overflowed = false;

  constructor(private readonly cap: number) {}

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.overflowed) return;
    if (this.bytes > this.cap) {
      this.overflowed = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  }

  /** The body as received, or undefined once it outgrew the cap. */
  body(): Buffer | undefined {
    return this.overflowed ? undefined : Buffer.concat(this.chunks);
  }
}

/** The body with its Content-Encoding undone, within `cap` bytes; undefined when that fails. */
function decoded(body: Buffer, encoding: string | undefined, cap: number): Buffer | undefined {
  const coding = encoding?.trim().toLowerCase() ?? "";
  const options = { maxOutputLength: cap };
  try {
    if (coding === "" || coding === "identity") return body;
    if (coding === "gzip" || coding === "x-gzip") return zlib.gunzipSync(body, options);
    if (coding === "deflate") return zlib.inflateSync(body, options);
    if (coding === "br") return zlib.brotliDecompressSync(body, options);
  } catch {
    return undefined;
  }
  return undefined;
}

function rawValue(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

function describeError(error: unknown): string {
  const code = (error as { code?: string })?.code;
  if (code === "ECONNRESET") return "reset the connection";
  if (code === "ECONNREFUSED") return "refused the connection";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "could not be found (unknown host name)";
  return `failed at the transport level (${code ?? (error as Error)?.name ?? "error"}: ${(error as Error)?.message ?? String(error)})`;
}

/** What every forwarded exchange of one proxy shares. */
export interface ForwardSetup {
  target: URL;
  /** The target's URL without a trailing slash: the base URL its exchanges are recorded under. */
  base: string;
  /** The target's own path, without a trailing slash, put before each request's path. */
  prefix: string;
  /** The keep-alive pool of the proxy's own connections to the target. */
  agent: http.Agent;
  timeoutMs: number;
  maxBodyBytes: number;
  rewriteHost: boolean;
  /** Judges one exchange that ended, with the answer the client got or an error. */
  judge(exchange: Exchange, facts: ExchangeFacts): void;
}

/**
 * Forwards one request to the target and streams its answer back, within the deadline; resolves
 * once the exchange ended (answered, failed, or abandoned by the client).
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  setup: ForwardSetup,
): Promise<void> {
  return new Promise((settle) => {
    const path = req.url ?? "/";
    if (!path.startsWith("/")) {
      // A forward-proxy request (absolute URL) is not for a reverse proxy.
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      res.end("mgmtkit-contract proxy: send requests to the proxy as to the target itself.\n");
      settle();
      return;
    }
    new Forwarded(req, res, setup, `${setup.target.origin}${setup.prefix}${path}`, settle).start();
  });
}

/** One exchange on its way through the proxy. */
class Forwarded {
  private readonly started = performance.now();
  private readonly requestCapture: Capture;
  private readonly responseCapture: Capture;
  private answer: IncomingMessage | undefined;
  private done = false;
  private deadline: NodeJS.Timeout | undefined;
  private upstream: http.ClientRequest | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly setup: ForwardSetup,
    private readonly url: string,
    private readonly settle: () => void,
  ) {
    this.requestCapture = new Capture(setup.maxBodyBytes);
    this.responseCapture = new Capture(setup.maxBodyBytes);
  }

  start(): void {
    const { req, res, setup } = this;
    const rewrite = setup.rewriteHost || req.headers.host === undefined;
    const headers = endToEnd(req.rawHeaders, rewrite ? ["host"] : []);
    if (rewrite) headers.push("Host", setup.target.host);
    // An HTTP-to-HTTP gateway sends Via in each request it forwards (RFC 9110 section 7.6.3).
    headers.push("Via", `${req.httpVersion} mgmtkit-contract`);
    this.deadline = setTimeout(() => {
      if (!req.complete || this.answer?.complete) {
        // The client is the slow one (sending, or reading): the target is not to blame.
        res.destroy();
        this.abandon();
        return;
      }
      this.fail(504, `did not answer completely within ${setup.timeoutMs} ms`);
    }, setup.timeoutMs);
    const upstream = (setup.target.protocol === "https:" ? https : http).request(this.url, {
      method: req.method,
      headers: headers as unknown as http.OutgoingHttpHeaders,
      agent: setup.agent,
      setHost: false,
    });
    this.upstream = upstream;
    upstream.on("error", (error) => {
      if (!this.done) this.fail(502, describeError(error));
    });
    upstream.on("response", (incoming) => this.respond(incoming));
    res.on("finish", () => {
      if (this.answer?.complete) this.finish();
    });
    res.on("close", () => {
      if (!res.writableFinished) this.abandon();
    });
    req.on("data", (chunk: Buffer) => this.requestCapture.add(chunk));
    req.on("error", () => this.abandon());
    req.pipe(upstream);
  }

  /** Streams the target's answer to the client, its trailers included. */
  private respond(incoming: IncomingMessage): void {
    const { res } = this;
    this.answer = incoming;
    // The answer's own fields only: no Date of the proxy's.
    res.sendDate = false;
    res.writeHead(
      incoming.statusCode ?? 502,
      incoming.statusMessage,
      endToEnd(incoming.rawHeaders) as unknown as http.OutgoingHttpHeaders,
    );
    incoming.on("data", (chunk: Buffer) => this.responseCapture.add(chunk));
    // Registered before pipe's own listener, so that the trailers go out before the end.
    incoming.on("end", () => {
      const trailers = endToEnd(incoming.rawTrailers);
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i < trailers.length; i += 2) {
        pairs.push([trailers[i] ?? "", trailers[i + 1] ?? ""]);
      }
      if (pairs.length > 0) res.addTrailers(pairs);
    });
    incoming.on("error", (error) => {
      if (!this.done) this.fail(502, describeError(error));
    });
    incoming.on("aborted", () => {
      if (!this.done) this.fail(502, "aborted the answer midway");
    });
    incoming.pipe(res);
  }

  /** The exchange ended, answered or not: it is judged once. */
  private finish(transportError?: string): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.deadline);
    this.settle();
    const { exchange, facts } = this.record(transportError);
    this.setup.judge(exchange, facts);
  }

  /** The exchange as the proxy saw it, with what a judge knows of it beyond that. */
  private record(transportError: string | undefined): { exchange: Exchange; facts: ExchangeFacts } {
    const { req, answer, setup, requestCapture, responseCapture } = this;
    const requestHeaders: Record<string, string> = {};
    // What a reproduction sends: curl frames the body and sets Host from the URL itself.
    const framing = new Set(["host", "content-length", "accept-encoding"]);
    const sent = endToEnd(req.rawHeaders);
    for (let i = 0; i < sent.length; i += 2) {
      const name = sent[i] ?? "";
      if (framing.has(name.toLowerCase())) continue;
      const seen = requestHeaders[name];
      requestHeaders[name] = seen === undefined ? (sent[i + 1] ?? "") : `${seen}, ${sent[i + 1]}`;
    }
    const requestBody = requestCapture.body();
    const requestText = requestBody
      ? decoded(requestBody, rawValue(req.rawHeaders, "content-encoding"), setup.maxBodyBytes)
      : undefined;
    const responseBody = answer && !transportError ? responseCapture.body() : undefined;
    const responseText = responseBody
      ? decoded(responseBody, answer?.headers["content-encoding"] as string, setup.maxBodyBytes)
      : undefined;
    const exchange = recordExchange({
      baseUrl: setup.base,
      method: req.method ?? "GET",
      url: this.url,
      requestHeaders,
      ...(requestText !== undefined && requestCapture.bytes > 0
        ? { requestBody: requestText.toString("utf8") }
        : {}),
      ...(answer?.statusCode !== undefined ? { status: answer.statusCode } : {}),
      headers: answer?.headers ?? {},
      ...(answer ? { rawHeaders: answer.rawHeaders } : {}),
      ...(responseText !== undefined ? { body: responseText } : {}),
      bytes: responseCapture.bytes,
      ...(transportError ? { transportError } : {}),
      durationMs: Math.round(performance.now() - this.started),
    });
    const facts: ExchangeFacts = {
      requestBytes: requestCapture.bytes,
      requestBodyOmitted: requestCapture.bytes > 0 && requestText === undefined,
      responseBodyOmitted:
        !transportError && responseCapture.bytes > 0 && responseText === undefined,
    };
    return { exchange, facts };
  }

  /** The client left: nothing more to forward, and nothing of the target's to judge. */
  private abandon(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.deadline);
    this.upstream?.destroy();
    this.answer?.destroy();
    this.settle();
  }

  /** The target failed: tell the client as a gateway does, or cut the answer it began. */
  private fail(status: 502 | 504, reason: string): void {
    const { res } = this;
    // Recorded first: tearing the target's side down makes it report errors of its own.
    this.finish(reason);
    this.upstream?.destroy();
    this.answer?.destroy();
    if (!res.headersSent) {
      const text = `mgmtkit-contract proxy: the target ${reason}.\n`;
      res.writeHead(status, {
        "content-type": "text/plain; charset=utf-8",
        "content-length": Buffer.byteLength(text),
        connection: "close",
      });
      res.end(text);
    } else {
      res.destroy();
    }
  }
}
