import { matchOperation, type OperationModel } from "@mgmtkit/spec/model";
import { readBoundedJson } from "./bounded-json.js";
import type { Redactor } from "./redact.js";
import type { Failure } from "./types.js";

/**
 * Why the suite sends a request, which decides what becomes of its answer:
 * - `check`: a check's request; the response validators judge the answer, reported under the check;
 * - `probe`: a check's request whose answer the check judges itself (`CheckContext.judge`);
 * - `setup`: the run's own requests before any check (the probe of a given token);
 * - `cleanup`: the deletes of what the run created, after the checks;
 * - `liveness`: the transport's plain GET, sent to see whether a silent server answers at all.
 *
 * Only `check` exchanges are judged and reported by the run.
 */
export type Purpose = "check" | "probe" | "setup" | "cleanup" | "liveness";

/** Who sends a request, and why: a check's requests name it. */
export type Sender =
  | { purpose: "check" | "probe"; checkId: string }
  | { purpose: "setup" | "cleanup" | "liveness"; checkId?: undefined };

/**
 * One request sent to the server under test and what came back, or why nothing usable did.
 *
 * Plain data: the suite's transport records one per request, and anything that sees HTTP traffic
 * (a validating proxy, a generated-case phase) can build one with `recordExchange` and hand it to
 * the same response validators.
 */
export interface Exchange {
  /** Position in the run, from 1. */
  seq: number;
  /** Why the request was sent; absent on traffic the suite did not send (a proxy's). */
  purpose?: Purpose;
  /** The check that sent the request (`check` and `probe` purposes); its failures are reported there. */
  checkId?: string;
  method: string;
  /** The full URL, query included. */
  url: string;
  /** The path under the base URL (`/api/connections`), without the base URL's own path. */
  path: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** Undefined when no status line arrived. */
  status?: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * Every response header line as it arrived, `[name, value, name, value…]`, when whoever made
   * the exchange kept them: `headers` keeps only the first of a duplicated singleton field.
   */
  rawHeaders?: string[];
  contentType?: string;
  /**
   * The body as text, when it arrived whole and within the size limit. A run lets a long one go
   * once its validators have read it (`excerpt`, `json` and `bytes` stay).
   */
  text?: string;
  /** Body bytes received. */
  bytes: number;
  /**
   * The start of the body as a report quotes it, secrets already replaced: cut only after
   * redaction, so that no excerpt ends in the first half of a secret. Set by whoever knows the
   * secrets (a run, a proxy); `describeAnswer` quotes the body itself otherwise.
   */
  excerpt?: string;
  /** The parsed body, when it is JSON within the suite's limits. */
  json?: unknown;
  isJson: boolean;
  /**
   * Why a body was not parsed: JSON nested deeper, or holding more entries, than the suite reads
   * (`transportError` says so too, so that the check that sent the request reports it).
   */
  unread?: string;
  /** Why no usable answer arrived: a timeout, a reset, an oversized body… */
  transportError?: string;
  /** True when the server could not be reached at all (refused, unknown host, bad certificate). */
  unreachable?: boolean;
  /**
   * True when the run stopped (its time budget spent, or the server gone) while the request was
   * on the wire, or before it was sent: the server is not to blame for the missing answer.
   */
  stopped?: boolean;
  /** True when the request was never sent (the run had stopped); such exchanges are not recorded. */
  unsent?: boolean;
  /** What the transport adds to the answer: how often it waited out a 429, and why it stopped. */
  note?: string;
  durationMs: number;
  /** The operation of the spec the request addresses, when there is one. */
  operation?: OperationModel;
  /** The documented response key (`"200"`, `"5XX"`) the status falls under, when there is one. */
  documented?: string;
}

/** What a proxy or a test knows of one HTTP round trip, to make an `Exchange` of. */
export interface ExchangeInit {
  seq?: number;
  purpose?: Purpose;
  /** The check that sent the request, if one did. */
  checkId?: string;
  /** The base URL the server's API lives under; its path is stripped to find the operation. */
  baseUrl: string;
  method: string;
  url: string;
  requestHeaders?: Record<string, string>;
  requestBody?: string;
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  /** Every response header line as it arrived, `[name, value, name, value…]`. */
  rawHeaders?: string[];
  /** The body as received; omitted when it did not arrive whole. */
  body?: string | Buffer;
  transportError?: string;
  unreachable?: boolean;
  durationMs?: number;
}

function basePath(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, "");
}

/** The path of `url` under `baseUrl`, or the whole path when the URL is not under it. */
export function pathUnder(baseUrl: string, url: string): string {
  const pathname = new URL(url).pathname;
  const prefix = basePath(baseUrl);
  return prefix && pathname.startsWith(prefix) ? pathname.slice(prefix.length) || "/" : pathname;
}

/** Whether a status is one of `allowed`: statuses, or classes written `"4xx"`. */
export function statusIn(
  status: number | undefined,
  allowed: ReadonlyArray<number | string>,
): boolean {
  return allowed.some((a) =>
    typeof a === "number" ? a === status : status !== undefined && `${String(status)[0]}xx` === a,
  );
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Whether a Content-Type names JSON (`application/json`, `application/problem+json`...). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const essence = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}

/** Builds an exchange: parses a JSON body and finds the operation and documented status. */
export function recordExchange(init: ExchangeInit): Exchange {
  const headers = Object.fromEntries(
    Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const path = pathUnder(init.baseUrl, init.url);
  const operation = matchOperation(init.method, path)?.operation;
  const exchange: Exchange = {
    seq: init.seq ?? 0,
    ...(init.purpose ? { purpose: init.purpose } : {}),
    ...(init.checkId !== undefined ? { checkId: init.checkId } : {}),
    method: init.method,
    url: init.url,
    path,
    requestHeaders: init.requestHeaders ?? {},
    ...(init.requestBody !== undefined ? { requestBody: init.requestBody } : {}),
    ...(init.status !== undefined ? { status: init.status } : {}),
    headers,
    ...(init.rawHeaders ? { rawHeaders: init.rawHeaders } : {}),
    bytes: 0,
    isJson: false,
    durationMs: init.durationMs ?? 0,
    ...(operation ? { operation } : {}),
    ...(init.transportError ? { transportError: init.transportError } : {}),
    ...(init.unreachable ? { unreachable: true } : {}),
  };
  const contentType = headerValue(headers["content-type"]);
  if (contentType !== undefined) exchange.contentType = contentType;
  if (init.body !== undefined) {
    const text = typeof init.body === "string" ? init.body : init.body.toString("utf8");
    exchange.bytes = typeof init.body === "string" ? Buffer.byteLength(text) : init.body.length;
    exchange.text = text;
    const reading = readBoundedJson(text);
    if (reading.isJson) {
      exchange.json = reading.json;
      exchange.isJson = true;
    } else if (reading.beyond) {
      exchange.unread = reading.beyond;
      exchange.transportError ??= `sent ${reading.beyond}`;
    }
  }
  if (operation && exchange.status !== undefined) {
    const documented = operation.responseFor(exchange.status)?.key;
    if (documented) exchange.documented = documented;
  }
  return exchange;
}

const EXCERPT = 300;

/**
 * The body as a report quotes it: whitespace folded, cut after EXCERPT characters. The redactor,
 * when given, replaces the secrets first, so that a cut never leaves part of one behind.
 */
export function excerptOf(exchange: Exchange, redactor?: Redactor): string {
  // Only the start is read: long enough that a secret beginning within the excerpt ends within it.
  const window = EXCERPT + (redactor?.longestEncoding ?? 0) + 1;
  const raw = exchange.text ?? "";
  // A copy, not a slice: V8 keeps the whole body alive behind a slice of it, and an excerpt
  // outlives the body it quotes.
  const folded = [...raw.slice(0, window * 2)].join("").replace(/\s+/g, " ").trim();
  const shown = folded.slice(0, window);
  const whole = shown.length === folded.length && raw.length <= window * 2;
  const text = redactor ? redactor.text(shown) : shown;
  if (whole && text.length <= EXCERPT) return text.length === 0 ? "an empty body" : text;
  return `${text.slice(0, EXCERPT)}… (${exchange.bytes} bytes)`;
}

/** The request and the answer of an exchange, as a failure it shows names them. */
export function shownBy(exchange: Exchange): Required<Pick<Failure, "request" | "answer">> {
  return {
    request: `${exchange.method} ${exchange.url}`,
    answer: {
      method: exchange.method,
      path: exchange.operation?.path ?? exchange.path,
      ...(exchange.operation ? { operationId: exchange.operation.id } : {}),
      ...(exchange.status !== undefined ? { status: exchange.status } : {}),
    },
  };
}

/** What the server did, in one line: status, content type and the start of the body. */
export function describeAnswer(exchange: Exchange): string {
  if (exchange.status === undefined) return exchange.transportError ?? "did not answer";
  if (exchange.transportError) return `answered ${exchange.status} but ${exchange.transportError}`;
  const body = exchange.excerpt ?? excerptOf(exchange);
  const note = exchange.note ? ` (${exchange.note})` : "";
  return `answered ${exchange.status} (${exchange.contentType ?? "no Content-Type"}): ${body}${note}`;
}
