import { inert, secretMatcher } from "@mgmtkit/spec/secrets";

// Every error carries only redacted, bounded data: the URL's access_token is replaced, any secret
// the client knows (client secret, tokens) is scrubbed in every encoding a server may echo it in,
// before the error exists, and bodies are cut to a few KiB. No way of printing an error can then
// leak a secret or flood a log.

/** Replaces known secrets in a string. */
export type Scrub = (text: string) => string;

/** The secrets a client knows: its client secret and the last tokens it used. */
export interface Secrets {
  add(secret: string | undefined): void;
  scrub: Scrub;
}

const REDACTED = "[REDACTED]";
// How many characters of a body (or a cause's message) an error keeps: 4096. How many characters of
// the server's words a message quotes: 200. Written out where they apply: a bundle keeps no
// variables for them.

export const redactUrl = (url: string): string =>
  url.replace(/([?&]access_token=)[^&#\s]*/gi, `$1${REDACTED}`);

/** A URL fit for a message: its query token redacted and every secret the client knows scrubbed. */
export const safeUrl = (url: string, scrub: Scrub): string => scrub(redactUrl(url));

/** The JSON value of `text`, or undefined when it is not JSON. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {}
};

/**
 * Knows the client secret and the last 8 tokens (tokens rotate; older ones are of no use), and
 * finds each in every encoding the conformance suite also looks for (`@mgmtkit/spec/secrets`).
 */
export function createSecrets(clientSecret?: string): Secrets {
  const known = [clientSecret];
  const matcher = secretMatcher(known);
  return {
    add(token) {
      if (token && !known.includes(token)) {
        matcher.add(token);
        if (known.push(token) > 9) matcher.delete(known.splice(1, 1)[0] as string);
      }
    },
    scrub: (text) => matcher.replace(text, () => REDACTED),
  };
}

/** `METHOD /path` of a request, for messages; scrubbed, without the query (where a token may travel). */
export const where = (method: string, url: string, scrub: Scrub): string =>
  `${method} ${scrub(new URL(url).pathname)}`;

/** The base class of every error the SDK throws. A caller's own abort rejects with the signal's reason instead. */
export class ManagementError extends Error {
  override name = "ManagementError";

  /** `init`'s fields become the error's (`status`, `method`, …). */
  constructor(message: string, init?: object, options?: { cause?: unknown }) {
    // Not `ErrorOptions`: that type would need the ES2022 lib in the caller's compiler options.
    super(message, options);
    Object.assign(this, init);
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { ...(this as object), message: this.message };
    if (this instanceof ApiError) json.headers = Object.fromEntries(this.headers);
    return json;
  }
}

/** The server answered with a status outside 2xx, or with a 2xx the client cannot use (`InvalidResponseError`). */
export class ApiError extends ManagementError {
  override name = "ApiError";
  /** The HTTP status, for example `404`. */
  declare readonly status: number;
  /** The response headers, secrets scrubbed. */
  declare readonly headers: Headers;
  /** The response body: parsed JSON when it is JSON, else its text (`undefined` when empty); over 4096 characters, their text cut there. */
  declare readonly body: unknown;
  /** The HTTP method, for example `GET`. */
  declare readonly method: string;
  /** The request URL, with `access_token` redacted. */
  declare readonly url: string;
}

/** The request never got an HTTP answer: refused or reset connection, DNS failure, TLS error. */
export class ConnectionError extends ManagementError {
  override name = "ConnectionError";
  /** The HTTP method, for example `GET`. */
  declare readonly method: string;
  /** The request URL, with `access_token` redacted. */
  declare readonly url: string;
}

/** An attempt took longer than `timeoutMs` (and so did every retry), or the call longer than `totalTimeoutMs`. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
}

/** A 2xx answer without the JSON the API promises: no body, invalid JSON, or the wrong shape. */
export class InvalidResponseError extends ApiError {
  override name = "InvalidResponseError";
}
/** 400: the request is invalid; `body.detail` says which field and why. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
  declare readonly status: 400;
}
/** 401: the credentials or the access token were refused. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
  declare readonly status: 401;
}
/** 403: the token may not do this. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
  declare readonly status: 403;
}
/** 404: no such connection (or path). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
  declare readonly status: 404;
}
/** 409: a connection with this name already exists. */
export class ConflictError extends ApiError {
  override name = "ConflictError";
  declare readonly status: 409;
}
/** 413: the request body is larger than the server accepts. */
export class PayloadTooLargeError extends ApiError {
  override name = "PayloadTooLargeError";
  declare readonly status: 413;
}
/** 415: the server does not accept the body's media type. */
export class UnsupportedMediaTypeError extends ApiError {
  override name = "UnsupportedMediaTypeError";
  declare readonly status: 415;
}
/** 429: too many requests, still refused after the retries. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  declare readonly status: 429;
}
/** 5xx: the server failed, still failing after the retries. */
export class InternalServerError extends ApiError {
  override name = "InternalServerError";
}

/** The API error classes by status; 200 stands for every 2xx, 500 for every 5xx. */
const byStatus: Record<number, typeof ApiError> = {
  200: InvalidResponseError,
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  429: RateLimitError,
  500: InternalServerError,
};

/**
 * The answer as a caller may see it: every secret scrubbed from its text and headers. A JSON body
 * is parsed, its strings scrubbed (parsing decodes escapes, which may spell a secret again), and
 * written out again.
 */
export function scrubAnswer(
  { response, text }: { response: Response; text: string },
  scrub: Scrub,
): { text: string; headers: Headers } {
  text = scrub(text);
  try {
    text = JSON.stringify(JSON.parse(text, (_, v) => (typeof v === "string" ? scrub(v) : v)));
  } catch {}
  return {
    text,
    headers: new Headers([...response.headers].map(([k, v]): [string, string] => [k, scrub(v)])),
  };
}

/**
 * The one place an HTTP answer becomes an error object, by its status (a 2xx as
 * `InvalidResponseError`); given a `problem` ("answered 200 without …"), with that message.
 */
export function createApiError(
  method: string,
  url: string,
  answer: { response: Response; text: string },
  scrub: Scrub,
  problem?: string | false,
): ApiError {
  const { status, statusText, ok } = answer.response;
  const { text, headers } = scrubAnswer(answer, scrub);
  let body: unknown = text.slice(0, 4096) || undefined;
  try {
    body = JSON.parse(body as string);
  } catch {}
  const b = Object(body);
  // /api errors carry `message`; the token endpoint answers RFC 6749 `error` + `error_description`.
  const oauth = [b.error, b.error_description].filter((s) => typeof s === "string").join(": ");
  const said = `${[body, b.message].find((s) => typeof s === "string") ?? oauth}`.slice(0, 200);
  const Class = byStatus[ok ? 200 : status > 499 ? 500 : status] ?? ApiError;
  return new Class(
    inert(
      `${where(method, url, scrub)} ${problem || `failed: ${`${status} ${statusText}`.trim()}${said && ` (${said})`}`}`,
    ),
    { status, headers, body, method, url: safeUrl(url, scrub) },
  );
}

/** A copy of an error and its causes, secrets scrubbed and sizes bounded; keeps `name` and `code`. */
function clean(error: unknown, scrub: Scrub, depth = 4): Error & { code?: unknown } {
  const e = Object(error) as Record<string, unknown>;
  const tidy = (text: unknown) => inert(safeUrl(`${text}`, scrub).slice(0, 4096));
  const copy = new ManagementError(
    tidy(e.message ?? error),
    e.code == null ? {} : { code: tidy(e.code) },
    depth && e.cause != null ? { cause: clean(e.cause, scrub, depth - 1) } : {},
  );
  copy.name = tidy(e.name ?? "Error");
  // A stack keeps its lines; each is made inert.
  copy.stack = `${e.stack ?? copy.stack}`.replace(/[^\n]+/g, tidy);
  return copy;
}

/** Describes a failed connection without the URL's query (where a token may travel). */
export function connectionFailure(
  method: string,
  url: string,
  cause: unknown,
  timeoutMs: number | undefined,
  scrub: Scrub,
): ConnectionError {
  const info = { method, url: safeUrl(url, scrub) };
  const at = where(method, url, scrub);
  // A time limit is never 0: 0 turns it off.
  if (timeoutMs) return new TimeoutError(`${at} timed out after ${timeoutMs} ms.`, info);
  const safe = clean(cause, scrub);
  const inner = Object(safe.cause);
  return new ConnectionError(
    `${at} failed: no answer from the server (${`${inner.code ?? inner.message ?? safe.message}`.slice(0, 200)}).`,
    info,
    { cause: safe },
  );
}
