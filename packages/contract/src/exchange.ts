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

/** What every exchange holds, whatever came of it. */
interface ExchangeBase {
  /**
   * What came of the request: `answered`, a complete answer in time, whatever its status;
   * `incomplete`, sent but no usable answer (a timeout, a reset, an oversized or unreadable
   * body, the server unreachable, the run stopped meanwhile); `unsent`, never sent because the
   * run had stopped (such exchanges are not recorded).
   */
  readonly outcome: "answered" | "incomplete" | "unsent";
  /** Position in the run, from 1. */
  readonly seq: number;
  /** Why the request was sent; absent on traffic the suite did not send (a proxy's). */
  readonly purpose?: Purpose;
  /** The check that sent the request (`check` and `probe` purposes); its failures are reported there. */
  readonly checkId?: string;
  readonly method: string;
  /** The full URL, query included. */
  readonly url: string;
  /** The path under the base URL (`/api/connections`), without the base URL's own path. */
  readonly path: string;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody?: string;
  /** Response headers, names in lower case. */
  readonly headers: Record<string, string | string[] | undefined>;
  /**
   * Every response header line as it arrived, `[name, value, name, value…]`, when whoever made
   * the exchange kept them: `headers` keeps only the first of a duplicated singleton field.
   */
  readonly rawHeaders?: string[];
  readonly contentType?: string;
  /**
   * The body as text, when it arrived whole and within the size limit. A run lets a long one go
   * once its validators have read it (`excerpt`, `json` and `bytes` stay).
   */
  readonly text?: string;
  /** Body bytes received. */
  readonly bytes: number;
  /**
   * The start of the body as a report quotes it, secrets already replaced: cut only after
   * redaction, so that no excerpt ends in the first half of a secret. Set by whoever knows the
   * secrets (a run, a proxy); `describeAnswer` quotes the body itself otherwise.
   */
  readonly excerpt?: string;
  /** The parsed body, when it is JSON within the suite's limits. */
  readonly json?: unknown;
  readonly isJson: boolean;
  /**
   * Why a body was not parsed: JSON nested deeper, or holding more entries, than the suite reads
   * (`transportError` says so too, so that the check that sent the request reports it).
   */
  readonly unread?: string;
  /** What the transport adds to the answer: how often it waited out a 429, and why it stopped. */
  readonly note?: string;
  readonly durationMs: number;
  /** The operation of the spec the request addresses, when there is one. */
  readonly operation?: OperationModel;
  /** The documented response key (`"200"`, `"5XX"`) the status falls under, when there is one. */
  readonly documented?: string;
}

/** A complete answer arrived in time. */
export interface AnsweredExchange extends ExchangeBase {
  readonly outcome: "answered";
  readonly status: number;
  readonly transportError?: undefined;
  readonly unreachable?: undefined;
  readonly stopped?: undefined;
  readonly unsent?: undefined;
}

/** The request was sent, and no usable answer came back. */
export interface IncompleteExchange extends ExchangeBase {
  readonly outcome: "incomplete";
  /** The status, when a status line arrived before the answer broke off. */
  readonly status?: number;
  /** Why no usable answer arrived: a timeout, a reset, an oversized body… */
  readonly transportError: string;
  /** True when the server could not be reached at all (refused, unknown host, bad certificate). */
  readonly unreachable?: boolean;
  /**
   * True when the run stopped (its time budget spent, or the server gone) while the request was
   * on the wire: the server is not to blame for the missing answer.
   */
  readonly stopped?: boolean;
  readonly unsent?: undefined;
}

/** The request was never sent: the run had stopped. Not recorded, not judged. */
export interface UnsentExchange extends ExchangeBase {
  readonly outcome: "unsent";
  readonly status?: undefined;
  /** Why it was not sent. */
  readonly transportError: string;
  readonly unreachable?: undefined;
  readonly stopped: true;
  readonly unsent: true;
}

/**
 * One request sent to the server under test and what came back, or why nothing usable did:
 * answered, incomplete or unsent.
 *
 * Plain data, built once by `recordExchange` and never changed after: the suite's transport
 * records one per request, and anything that sees HTTP traffic (a validating proxy, a
 * generated-case phase) can build one and hand it to the same response validators. Whoever
 * knows the secrets makes a copy with its `excerpt` (`withExcerpt`).
 */
export type Exchange = AnsweredExchange | IncompleteExchange | UnsentExchange;

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
  /** Body bytes received, when more arrived than `body` holds. Default: the size of `body`. */
  bytes?: number;
  transportError?: string;
  unreachable?: boolean;
  /** The run stopped while the request was on the wire. */
  stopped?: boolean;
  /** The request was never sent (the run had stopped). */
  unsent?: boolean;
  /** What the sender adds to the answer (how often it waited out a 429). */
  note?: string;
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

/** Builds an exchange, once: parses a JSON body, finds the operation and documented status, and tells what came of it. */
export function recordExchange(init: ExchangeInit): Exchange {
  const headers = Object.fromEntries(
    Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const path = pathUnder(init.baseUrl, init.url);
  const operation = matchOperation(init.method, path)?.operation;
  const contentType = headerValue(headers["content-type"]);
  const body = bodyOf(init.body);
  const documented =
    operation && init.status !== undefined ? operation.responseFor(init.status)?.key : undefined;
  const base = {
    seq: init.seq ?? 0,
    ...(init.purpose ? { purpose: init.purpose } : {}),
    ...(init.checkId !== undefined ? { checkId: init.checkId } : {}),
    method: init.method,
    url: init.url,
    path,
    requestHeaders: init.requestHeaders ?? {},
    ...(init.requestBody !== undefined ? { requestBody: init.requestBody } : {}),
    headers,
    ...(init.rawHeaders ? { rawHeaders: init.rawHeaders } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
    ...body.fields,
    bytes: init.bytes ?? body.bytes,
    isJson: body.fields.isJson === true,
    ...(init.note ? { note: init.note } : {}),
    durationMs: init.durationMs ?? 0,
    ...(operation ? { operation } : {}),
    ...(documented ? { documented } : {}),
  };
  const transportError =
    init.transportError ?? (body.fields.unread ? `sent ${body.fields.unread}` : undefined);
  if (init.unsent) {
    return {
      ...base,
      outcome: "unsent",
      transportError: transportError ?? "was not sent",
      stopped: true,
      unsent: true,
    };
  }
  if (init.status !== undefined && transportError === undefined) {
    return { ...base, outcome: "answered", status: init.status };
  }
  return {
    ...base,
    outcome: "incomplete",
    ...(init.status !== undefined ? { status: init.status } : {}),
    transportError: transportError ?? "did not answer",
    ...(init.unreachable ? { unreachable: true } : {}),
    ...(init.stopped ? { stopped: true } : {}),
  };
}

/** What a body that arrived whole adds to an exchange: its text, and its JSON when it parses within the limits. */
function bodyOf(body: string | Buffer | undefined): {
  fields: { text?: string; json?: unknown; isJson?: true; unread?: string };
  bytes: number;
} {
  if (body === undefined) return { fields: {}, bytes: 0 };
  const text = typeof body === "string" ? body : body.toString("utf8");
  const bytes = typeof body === "string" ? Buffer.byteLength(text) : body.length;
  const reading = readBoundedJson(text);
  if (reading.isJson) return { fields: { text, json: reading.json, isJson: true }, bytes };
  return { fields: { text, ...(reading.beyond ? { unread: reading.beyond } : {}) }, bytes };
}

/**
 * A copy of the exchange as a holder of the secrets quotes it: its `excerpt` cut after the
 * secrets were replaced.
 */
export function withExcerpt(exchange: Exchange, redactor: Redactor): Exchange {
  if (exchange.text === undefined) return exchange;
  return { ...exchange, excerpt: excerptOf(exchange, redactor) };
}

/** A copy of the exchange without its body text when it is longer than `max` characters (`excerpt`, `json` and `bytes` stay). */
export function withoutLongText(exchange: Exchange, max: number): Exchange {
  if (exchange.text === undefined || exchange.text.length <= max) return exchange;
  const { text: _letGo, ...kept } = exchange;
  return kept;
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
