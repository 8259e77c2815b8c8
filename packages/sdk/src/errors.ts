// Every error carries only redacted data: the URL's access_token is replaced, and any known secret
// (client secret, access token) echoed back by a server is scrubbed from the message, body and
// headers before the error exists, so no way of printing it can leak one.

/** Replaces known secrets in a string; built per request by the transport. */
export type Scrub = (text: string) => string;

const REDACTED = "[REDACTED]";

export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, `$1${REDACTED}`);
}

export function scrubber(secrets: (string | undefined)[]): Scrub {
  const found = secrets.filter((s): s is string => !!s);
  return (text) => found.reduce((t, s) => t.split(s).join(REDACTED), text);
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** The base class of every error the SDK throws. A caller's own abort rejects with the signal's reason instead. */
export class ManagementError extends Error {
  override name = "ManagementError";

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}

interface RequestInfo {
  /** The HTTP method, for example `GET`. */
  method: string;
  /** The request URL, with `access_token` redacted. */
  url: string;
}

/** The server answered with a status outside 2xx. */
export class ApiError extends ManagementError implements RequestInfo {
  override name = "ApiError";
  /** The HTTP status, for example `404`. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The response body: parsed JSON when it is JSON, else its text (`undefined` when empty). */
  readonly body: unknown;
  readonly method: string;
  readonly url: string;

  constructor(
    message: string,
    init: RequestInfo & { status: number; headers: Headers; body: unknown },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
  }

  override toJSON(): Record<string, unknown> {
    const { name, message, status, method, url, body } = this;
    return { name, message, status, method, url, body, headers: Object.fromEntries(this.headers) };
  }
}

/** 400: the request is invalid; `body.detail` says which field and why. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}
/** 401: the credentials or the access token were refused. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}
/** 403: the token may not do this. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
}
/** 404: no such connection (or path). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}
/** 409: a connection with this name already exists. */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}
/** 413: the request body is larger than the server accepts. */
export class PayloadTooLargeError extends ApiError {
  override name = "PayloadTooLargeError";
}
/** 415: the server does not accept the body's media type. */
export class UnsupportedMediaTypeError extends ApiError {
  override name = "UnsupportedMediaTypeError";
}
/** 429: too many requests, still refused after the retries. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
}
/** 5xx: the server failed, still failing after the retries. */
export class InternalServerError extends ApiError {
  override name = "InternalServerError";
}

/** The request never got an HTTP answer: refused or reset connection, DNS failure, TLS error. */
export class ConnectionError extends ManagementError implements RequestInfo {
  override name = "ConnectionError";
  readonly method: string;
  readonly url: string;

  constructor(message: string, init: RequestInfo, options?: ErrorOptions) {
    super(message, options);
    this.method = init.method;
    this.url = init.url;
  }

  override toJSON(): Record<string, unknown> {
    const { name, message, method, url } = this;
    return { name, message, method, url };
  }
}

/** An attempt took longer than `timeoutMs`, and so did every retry. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
}

const byStatus: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  429: RateLimitError,
};

/** The one place an HTTP error answer becomes an error object. */
export function createApiError(
  method: string,
  url: string,
  response: Response,
  text: string,
  scrub: Scrub,
): ApiError {
  let body: unknown = text ? scrub(text) : undefined;
  try {
    body = JSON.parse(body as string);
  } catch {}
  const b = (body ?? {}) as Record<string, unknown>;
  // /api errors carry `message`; the token endpoint answers RFC 6749 `error` + `error_description`.
  const said =
    typeof body === "string"
      ? body.slice(0, 200)
      : typeof b.message === "string"
        ? b.message
        : [b.error, b.error_description].filter((p) => typeof p === "string").join(": ");
  const { status } = response;
  const Class = byStatus[status] ?? (status >= 500 ? InternalServerError : ApiError);
  const safeUrl = redactUrl(url);
  return new Class(
    `${method} ${pathOf(safeUrl)} failed: ${`${status} ${response.statusText}`.trim()}${said ? ` (${said})` : ""}`,
    {
      status,
      headers: new Headers([...response.headers].map(([k, v]): [string, string] => [k, scrub(v)])),
      body,
      method,
      url: safeUrl,
    },
  );
}

/** Describes a failed connection without the URL's query (where a token may travel). */
export function connectionFailure(
  method: string,
  url: string,
  cause: unknown,
  timeoutMs: number | undefined,
  scrub: Scrub,
): ConnectionError {
  const info = { method, url: redactUrl(url) };
  const where = `${method} ${pathOf(info.url)}`;
  if (timeoutMs !== undefined) {
    return new TimeoutError(`${where} timed out after ${timeoutMs} ms.`, info);
  }
  const c = cause as { message?: string; cause?: { code?: string; message?: string } };
  const reason = c?.cause?.code ?? c?.cause?.message ?? c?.message ?? String(cause);
  // Some fetch implementations put the full URL (with a query token) in their messages; such a
  // cause is replaced by a sanitized copy.
  const said = `${c?.message ?? cause} ${c?.cause?.message}`;
  const clean = scrub(redactUrl(said)) === said;
  const safeCause = clean ? cause : new Error(scrub(redactUrl(String(c?.message ?? cause))));
  return new ConnectionError(
    `${where} failed: no answer from the server (${scrub(redactUrl(reason))}).`,
    info,
    { cause: safeCause },
  );
}
