import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { inProfile } from "./open-points.js";
import { numberOption, profileOption } from "./options.js";
import { compile } from "./patterns.js";
import { type ForwardSetup, forward } from "./proxy-forward.js";
import { type RequestValidator, requestValidators } from "./request-validators.js";
import { SuiteConfigError } from "./setup.js";
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
  // One keep-alive pool for the proxy's own connections to the target, nothing global.
  const agent =
    target.protocol === "https:"
      ? new https.Agent({ keepAlive: true, maxSockets: 256 })
      : new http.Agent({ keepAlive: true, maxSockets: 256 });
  const inFlight = new Set<Promise<void>>();
  let judge: TrafficJudge | undefined;
  const setup: ForwardSetup = {
    target,
    base,
    prefix,
    agent,
    timeoutMs,
    maxBodyBytes,
    rewriteHost: options.rewriteHost === true,
    judge(exchange, facts) {
      if (!judge) return;
      for (const violation of judge.judge(exchange, facts)) options.onViolation?.(violation);
    },
  };

  const server = http.createServer((req, res) => {
    const exchange = forward(req, res, setup);
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
