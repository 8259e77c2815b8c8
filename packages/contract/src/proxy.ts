import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { recordExchange } from "./exchange.js";
import { inProfile } from "./open-points.js";
import { numberOption, profileOption } from "./options.js";
import { type RequestValidator, requestValidators } from "./request-validators.js";
import { compile, SuiteConfigError } from "./runner.js";
import { completeAnswer, TrafficJudge, type Violation } from "./traffic-judge.js";
import type { Profile, SuiteReport } from "./types.js";
import { type ResponseValidator, responseValidators } from "./validators.js";

export type { Violation } from "./traffic-judge.js";

export interface ProxyOptions {
  /** The server to forward to, an http or https URL (a path prefix is kept). Required. */
  target: string;
  /** Port to listen on. Default: 0, a free port (read it from `url`). */
  port?: number;
  /** Address to listen on. Default: `"127.0.0.1"`. */
  host?: string;
  /**
   * Deadline of every exchange in milliseconds, from the request's arrival to the answer's last
   * byte; past it the client gets a 504 (or, once the answer has begun, a cut connection).
   * Default: 5000.
   */
  timeoutMs?: number;
  /** Which reading of the spec judges the traffic. Default: `"core"`. */
  profile?: Profile;
  /** Rule ids or groups to leave out (`response.schema`, `request`). Default: none. */
  skip?: string[];
  /**
   * The largest body, in bytes, kept to be validated; a larger one is still forwarded whole, and
   * counted in the report as not validated. Default: 1 MiB.
   */
  maxBodyBytes?: number;
  /**
   * Send the target's own host in `Host` instead of the client's, for a target behind virtual
   * hosting or a CDN; absolute URLs it builds from `Host` (a next-page link) then point at it
   * rather than at the proxy. Default: false, the client's `Host` goes through unchanged.
   */
  rewriteHost?: boolean;
  /** Called with every violation the moment it is found, secrets replaced. Default: none. */
  onViolation?: (violation: Violation) => void;
}

export interface ValidatingProxy {
  /** Where the proxy listens, `http://host:port`. */
  url: string;
  /** The report of the traffic so far. */
  report(): SuiteReport;
  /**
   * Stops accepting connections, lets the exchanges in flight end (each within its deadline),
   * and answers the report of all the traffic.
   */
  close(): Promise<SuiteReport>;
}

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

/** The rules the proxy applies, less those `skip` names; throws SuiteConfigError for an unknown one. */
function selectRules(profile: Profile, skip: string[] | undefined) {
  const all = [...requestValidators, completeAnswer, ...responseValidators];
  const patterns = compile(skip, "--skip", all);
  const kept = <T extends { id: string; profile: Profile }>(rules: readonly T[]) =>
    rules.filter(
      (rule) => inProfile(profile, rule.profile) && !patterns.some((p) => p.matches(rule.id)),
    );
  return {
    request: kept(requestValidators) as RequestValidator[],
    response: kept(responseValidators) as ResponseValidator[],
    completeness: kept([completeAnswer]).length > 0,
  };
}

function targetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SuiteConfigError(`--target ${JSON.stringify(text)} is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SuiteConfigError(`--target must be an http or https URL, not ${url.protocol}.`);
  }
  if (url.search || url.hash) {
    throw new SuiteConfigError("--target must not carry a query string or a fragment.");
  }
  return url;
}

/**
 * Starts a validating reverse proxy: every request is forwarded to `target` and its answer
 * streamed back byte for byte (only the hop-by-hop fields of RFC 9110 section 7.6.1 are dropped,
 * and `Via` is added to the request); each exchange is judged by the
 * request validators and the suite's response validators, and each violation reported as it
 * is found.
 */
export async function startProxy(options: ProxyOptions): Promise<ValidatingProxy> {
  const target = targetUrl(options.target);
  const profile = profileOption(options.profile);
  const timeoutMs = numberOption("timeoutMs", options.timeoutMs);
  const maxBodyBytes = numberOption("maxBodyBytes", options.maxBodyBytes);
  const rules = selectRules(profile, options.skip);
  const base = target.toString().replace(/\/+$/, "");
  const prefix = target.pathname.replace(/\/+$/, "");
  const secure = target.protocol === "https:";
  // One keep-alive pool for the proxy's own connections to the target, nothing global.
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: 256 })
    : new http.Agent({ keepAlive: true, maxSockets: 256 });
  const inFlight = new Set<Promise<void>>();
  let judge: TrafficJudge | undefined;

  const forward = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    new Promise((settle) => {
      const started = performance.now();
      const path = req.url ?? "/";
      if (!path.startsWith("/")) {
        // A forward-proxy request (absolute URL) is not for a reverse proxy.
        res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
        res.end("mgmtkit-contract proxy: send requests to the proxy as to the target itself.\n");
        settle();
        return;
      }
      const url = `${target.origin}${prefix}${path}`;
      const requestCapture = new Capture(maxBodyBytes);
      const responseCapture = new Capture(maxBodyBytes);
      const rewrite = options.rewriteHost === true || req.headers.host === undefined;
      const headers = endToEnd(req.rawHeaders, rewrite ? ["host"] : []);
      if (rewrite) headers.push("Host", target.host);
      // An HTTP-to-HTTP gateway sends Via in each request it forwards (RFC 9110 section 7.6.3).
      headers.push("Via", `${req.httpVersion} mgmtkit-contract`);
      let answer: IncomingMessage | undefined;
      let done = false;

      const finish = (transportError?: string) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        settle();
        if (!judge) return;
        const requestHeaders: Record<string, string> = {};
        // What a reproduction sends: curl frames the body and sets Host from the URL itself.
        const framing = new Set(["host", "content-length", "accept-encoding"]);
        const sent = endToEnd(req.rawHeaders);
        for (let i = 0; i < sent.length; i += 2) {
          const name = sent[i] ?? "";
          if (framing.has(name.toLowerCase())) continue;
          const seen = requestHeaders[name];
          requestHeaders[name] =
            seen === undefined ? (sent[i + 1] ?? "") : `${seen}, ${sent[i + 1]}`;
        }
        const requestBody = requestCapture.body();
        const requestText = requestBody
          ? decoded(requestBody, rawValue(req.rawHeaders, "content-encoding"), maxBodyBytes)
          : undefined;
        const responseBody = answer && !transportError ? responseCapture.body() : undefined;
        const responseText = responseBody
          ? decoded(responseBody, answer?.headers["content-encoding"] as string, maxBodyBytes)
          : undefined;
        const exchange = recordExchange({
          baseUrl: base,
          method: req.method ?? "GET",
          url,
          requestHeaders,
          ...(requestText !== undefined && requestCapture.bytes > 0
            ? { requestBody: requestText.toString("utf8") }
            : {}),
          ...(answer?.statusCode !== undefined ? { status: answer.statusCode } : {}),
          headers: answer?.headers ?? {},
          ...(answer ? { rawHeaders: answer.rawHeaders } : {}),
          ...(responseText !== undefined ? { body: responseText } : {}),
          ...(transportError ? { transportError } : {}),
          durationMs: Math.round(performance.now() - started),
        });
        exchange.bytes = responseCapture.bytes;
        const violations = judge.judge(exchange, {
          requestBytes: requestCapture.bytes,
          requestBodyOmitted: requestCapture.bytes > 0 && requestText === undefined,
          responseBodyOmitted:
            !transportError && responseCapture.bytes > 0 && responseText === undefined,
        });
        for (const violation of violations) options.onViolation?.(violation);
      };

      /** The client left: nothing more to forward, and nothing of the target's to judge. */
      const abandon = () => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        upstream.destroy();
        answer?.destroy();
        settle();
      };

      /** The target failed: tell the client as a gateway does, or cut the answer it began. */
      const fail = (status: 502 | 504, reason: string) => {
        // Recorded first: tearing the target's side down makes it report errors of its own.
        finish(reason);
        upstream.destroy();
        answer?.destroy();
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
      };

      const deadline = setTimeout(() => {
        if (!req.complete || answer?.complete) {
          // The client is the slow one (sending, or reading): the target is not to blame.
          res.destroy();
          abandon();
          return;
        }
        fail(504, `did not answer completely within ${timeoutMs} ms`);
      }, timeoutMs);

      const upstream = (secure ? https : http).request(url, {
        method: req.method,
        headers: headers as unknown as http.OutgoingHttpHeaders,
        agent,
        setHost: false,
      });
      upstream.on("error", (error) => {
        if (!done) fail(502, describeError(error));
      });
      upstream.on("response", (incoming) => {
        answer = incoming;
        // The answer's own fields only: no Date of the proxy's.
        res.sendDate = false;
        res.writeHead(
          incoming.statusCode ?? 502,
          incoming.statusMessage,
          endToEnd(incoming.rawHeaders) as unknown as http.OutgoingHttpHeaders,
        );
        incoming.on("data", (chunk: Buffer) => responseCapture.add(chunk));
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
          if (!done) fail(502, describeError(error));
        });
        incoming.on("aborted", () => {
          if (!done) fail(502, "aborted the answer midway");
        });
        incoming.pipe(res);
      });
      res.on("finish", () => {
        if (answer?.complete) finish();
      });
      res.on("close", () => {
        if (!res.writableFinished) abandon();
      });
      req.on("data", (chunk: Buffer) => requestCapture.add(chunk));
      req.on("error", abandon);
      req.pipe(upstream);
    });

  const server = http.createServer((req, res) => {
    const exchange = forward(req, res);
    inFlight.add(exchange);
    void exchange.then(() => inFlight.delete(exchange));
  });
  // A client speaking something that is not HTTP gets a 400 and the proxy goes on.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "EADDRINUSE"
          ? "the address is in use"
          : error.code === "EACCES"
            ? "permission denied"
            : error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND"
              ? "no such local address"
              : error.message;
      reject(new SuiteConfigError(`Cannot listen on ${host}:${options.port ?? 0}: ${why}.`));
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const listen = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  judge = new TrafficJudge({
    target: base,
    listen,
    profile,
    responseValidators: rules.response,
    requestValidators: rules.request,
    completeness: rules.completeness,
    maxBodyBytes,
  });
  const active = judge;

  let closing: Promise<SuiteReport> | undefined;
  return {
    url: listen,
    report: () => active.report(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Every exchange in flight ends within its deadline.
        await Promise.all([...inFlight]);
        server.closeAllConnections();
        await stopped;
        agent.destroy();
        return active.report();
      })();
      return closing;
    },
  };
}
