import type { IncomingMessage } from "node:http";
import pactum from "pactum";
import {
  documentedResponseKey,
  findOperation,
  jsonSchemaAdapter,
  type Operation,
} from "./spec-model.js";

/** How a request carries the access token. */
export type AuthMode =
  | { kind: "none" }
  /** `Authorization: <scheme> <token>`; the document writes `bearer`. */
  | { kind: "header"; scheme: string; token?: string }
  /** `?access_token=<token>`. */
  | { kind: "query"; token?: string }
  /** Any other header carrying the token (which the document says is not accepted). */
  | { kind: "other-header"; name: string; token?: string };

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the base URL, starting with "/" (may end in "/"). */
  path: string;
  query?: Record<string, string>;
  auth?: AuthMode;
  headers?: Record<string, string>;
  /** A JSON body, serialised as is. */
  json?: unknown;
  /** A form-encoded body. */
  form?: Record<string, string>;
  /** A raw body, sent byte for byte (malformed JSON and the like). */
  raw?: string;
}

/** One request the suite sent and what came back (or why nothing usable did). */
export interface Exchange {
  seq: number;
  checkId: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  contentType?: string;
  text?: string;
  bytes: number;
  /** The parsed JSON body, when the body is JSON. */
  json?: unknown;
  isJson: boolean;
  /** Why no usable answer arrived: a timeout, a reset, an oversized body... */
  transportError?: string;
  /** True when the server could not be reached at all (refused, unknown host, bad certificate). */
  unreachable?: boolean;
  durationMs: number;
  operation?: Operation;
  /** The documented response key the status falls under, when there is one. */
  documented?: string;
  /** The raw pactum response, for pactum's `expect`. */
  raw?: IncomingMessage;
}

export interface Transport {
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number;
  token?: string;
  exchanges: Exchange[];
}

const deadlines = new Map<string, AbortSignal>();
let installed = false;

/**
 * Pactum keeps one configuration per process. The suite changes only what it must: its logger
 * is silenced (it would print requests, tokens included, on every failure) and its JSON-schema
 * adapter becomes ajv 2020 loaded with the spec (pactum's own rejects OpenAPI keywords).
 * Timeouts are set per request, never globally.
 */
function installPactum() {
  if (installed) return;
  installed = true;
  pactum.settings.setLogLevel("SILENT");
  pactum.settings.setJsonSchemaAdapter(jsonSchemaAdapter);
  // pactum's `withRequestTimeout` is a socket idle timeout: a server that drips one byte a second
  // never trips it. An AbortSignal gives every request a hard deadline; pactum deep-copies
  // `withCore` options (which breaks an AbortSignal), so the signal is attached here, just
  // before pactum hands the request to Node, keyed by a plain marker option.
  pactum.events.pactumEvents.on(
    pactum.events.EVENT_TYPES.BEFORE_REQUEST,
    ({ request }: { request: { core?: Record<string, unknown> } }) => {
      const key = request.core?.mgmtkitDeadline;
      if (typeof key !== "string") return;
      delete request.core?.mgmtkitDeadline;
      const signal = deadlines.get(key);
      if (signal && request.core) request.core.signal = signal;
    },
  );
}

let sequence = 0;

const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPROTO|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|ERR_TLS_.*|ERR_SSL_.*)$/;

function describeTransportError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string } | string;
  if (typeof err === "string") {
    return /longer than acceptable/.test(err) ? "sent a body larger than 50 MB" : err;
  }
  if (
    err?.name === "AbortError" ||
    err?.name === "TimeoutError" ||
    err?.message === "Timeout reached"
  ) {
    return `did not answer completely within ${timeoutMs} ms`;
  }
  if (err?.code === "ECONNRESET" || err?.message === "socket hang up")
    return "reset the connection";
  if (err?.code === "ECONNREFUSED") return "refused the connection";
  if (err?.code === "ENOTFOUND" || err?.code === "EAI_AGAIN")
    return "could not be found (unknown host name)";
  if (err?.message === "Server aborted request") return "aborted the answer midway";
  return `failed at the transport level (${err?.code ?? err?.name ?? "error"}: ${err?.message ?? String(err)})`;
}

/** Sends one request through pactum and records the exchange; never throws. */
export async function send(
  transport: Transport,
  checkId: string,
  req: RequestSpec,
): Promise<Exchange> {
  installPactum();
  const url = new URL(transport.baseUrl.replace(/\/+$/, "") + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = {};
  const auth = req.auth ?? { kind: "header", scheme: "bearer" };
  if (auth.kind === "header") {
    headers.Authorization = `${auth.scheme} ${auth.token ?? transport.token ?? ""}`;
  } else if (auth.kind === "query") {
    url.searchParams.set("access_token", auth.token ?? transport.token ?? "");
  } else if (auth.kind === "other-header") {
    headers[auth.name] = auth.token ?? transport.token ?? "";
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

  const seq = ++sequence;
  const key = `r${seq}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs);
  deadlines.set(key, controller.signal);
  const started = performance.now();
  const operation = findOperation(req.method, url.pathname.slice(basePathLength(transport)));
  const exchange: Exchange = {
    seq,
    checkId,
    method: req.method,
    url: url.toString(),
    requestHeaders: headers,
    ...(body !== undefined ? { requestBody: body } : {}),
    headers: {},
    bytes: 0,
    isJson: false,
    durationMs: 0,
    ...(operation ? { operation } : {}),
  };
  try {
    const spec = pactum
      .spec()
      .withMethod(req.method)
      .withPath(url.toString())
      .withHeaders(headers)
      // The idle timeout only backs up the deadline above; both come from --timeout-ms.
      .withRequestTimeout(transport.timeoutMs)
      .withCore({ mgmtkitDeadline: key } as Record<string, unknown>)
      .inspect(false);
    if (body !== undefined) spec.withBody(body);
    const res = (await spec.toss()) as IncomingMessage & { buffer?: Buffer; text?: string };
    exchange.raw = res;
    exchange.status = res.statusCode;
    exchange.headers = res.headers;
    exchange.contentType = headerValue(res.headers["content-type"]);
    exchange.bytes = res.buffer?.length ?? 0;
    if (exchange.bytes > transport.maxResponseBytes) {
      exchange.transportError = `sent a ${exchange.bytes}-byte body, more than the suite accepts (${transport.maxResponseBytes} bytes)`;
    } else {
      exchange.text = res.text ?? "";
      try {
        exchange.json = JSON.parse(exchange.text);
        exchange.isJson = true;
      } catch {
        exchange.isJson = false;
      }
    }
    if (exchange.operation && exchange.status !== undefined) {
      const documented = documentedResponseKey(exchange.operation, exchange.status);
      if (documented) exchange.documented = documented;
    }
  } catch (error) {
    exchange.transportError = describeTransportError(error, transport.timeoutMs);
    const code = (error as { code?: unknown })?.code;
    if (typeof code === "string" && UNREACHABLE.test(code)) exchange.unreachable = true;
  } finally {
    clearTimeout(timer);
    deadlines.delete(key);
    exchange.durationMs = Math.round(performance.now() - started);
  }
  transport.exchanges.push(exchange);
  return exchange;
}

function basePathLength(transport: Transport): number {
  return new URL(transport.baseUrl).pathname.replace(/\/+$/, "").length;
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The `/api` or `/oauth` path of an exchange, without the base URL's own path. */
export function exchangePath(transport: Transport, exchange: Exchange): string {
  return new URL(exchange.url).pathname.slice(basePathLength(transport));
}

/** Whether a Content-Type names JSON (`application/json`, `application/problem+json`...). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const essence = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
