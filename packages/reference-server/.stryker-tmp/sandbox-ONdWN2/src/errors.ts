// @ts-nocheck
import { STATUS_CODES } from "node:http";
import createError from "@fastify/error";

/**
 * Every error the server answers, in one place, as fastify's own `lib/errors.js` lists its: a
 * stable code, the HTTP status, and the message template (`%s` is filled in from the arguments).
 * Answers carry the code (`"code"` in a JSON error body), so that clients and logs tell errors
 * apart without reading messages, and messages can be improved without breaking anyone.
 */
export const errors = {
  // 400: the request cannot be read or is not valid.
  MGMT_ERR_MALFORMED_HTTP: createError(
    "MGMT_ERR_MALFORMED_HTTP",
    "The request is not valid HTTP.",
    400,
  ),
  MGMT_ERR_MALFORMED_URL: createError(
    "MGMT_ERR_MALFORMED_URL",
    "The URL is not valid (it holds a malformed percent-encoding).",
    400,
  ),
  MGMT_ERR_INVALID_REQUEST: createError(
    "MGMT_ERR_INVALID_REQUEST",
    "The request is not valid.",
    400,
  ),
  MGMT_ERR_CONTENT_LENGTH: createError(
    "MGMT_ERR_CONTENT_LENGTH",
    "The request body does not match its Content-Length.",
    400,
  ),
  MGMT_ERR_INVALID_UTF8: createError(
    "MGMT_ERR_INVALID_UTF8",
    "The request body is not valid UTF-8.",
    400,
  ),
  MGMT_ERR_EMPTY_JSON: createError(
    "MGMT_ERR_EMPTY_JSON",
    "The request body is empty although its Content-Type is application/json.",
    400,
  ),
  MGMT_ERR_INVALID_JSON: createError(
    "MGMT_ERR_INVALID_JSON",
    "The request body is not valid JSON.",
    400,
  ),
  MGMT_ERR_JSON_TOO_DEEP: createError(
    "MGMT_ERR_JSON_TOO_DEEP",
    "The request body nests objects and arrays more than %s levels deep.",
    400,
  ),
  MGMT_ERR_JSON_DUPLICATE_KEY: createError(
    "MGMT_ERR_JSON_DUPLICATE_KEY",
    "The request body gives the key %s twice in one object; give each key once.",
    400,
  ),
  MGMT_ERR_JSON_NUMBER: createError(
    "MGMT_ERR_JSON_NUMBER",
    "The number %s in the request body cannot be kept exactly (it is beyond the range or the precision of a 64-bit float); send it as a string.",
    400,
  ),
  MGMT_ERR_FORM_DUPLICATE_PARAMETER: createError(
    "MGMT_ERR_FORM_DUPLICATE_PARAMETER",
    "The %s parameter must be given once.",
    400,
  ),
  MGMT_ERR_BODY_REQUIRED: createError(
    "MGMT_ERR_BODY_REQUIRED",
    "The request body is required: send %s as JSON.",
    400,
  ),
  MGMT_ERR_INVALID_BODY: createError("MGMT_ERR_INVALID_BODY", "Invalid %s: %s.", 400),
  MGMT_ERR_INVALID_QUERY: createError("MGMT_ERR_INVALID_QUERY", "Invalid query: %s.", 400),
  MGMT_ERR_RENAME: createError(
    "MGMT_ERR_RENAME",
    "The body's name must be %s, the name in the path; connections cannot be renamed.",
    400,
  ),
  MGMT_ERR_STRATEGY_CHANGE: createError(
    "MGMT_ERR_STRATEGY_CHANGE",
    "The body's strategy must be %s, the connection's strategy; a connection's strategy cannot change.",
    400,
  ),
  // 401: no valid access token (WWW-Authenticate says which).
  MGMT_ERR_TOKEN_MISSING: createError(
    "MGMT_ERR_TOKEN_MISSING",
    "An access token is required, in the Authorization header or the access_token query parameter.",
    401,
  ),
  MGMT_ERR_TOKEN_INVALID: createError(
    "MGMT_ERR_TOKEN_INVALID",
    "The access token is unknown or expired; obtain a new one from /oauth/token.",
    401,
  ),
  // 404, 405: nothing there.
  MGMT_ERR_ROUTE_NOT_FOUND: createError(
    "MGMT_ERR_ROUTE_NOT_FOUND",
    "There is no %s %s in this API.",
    404,
  ),
  MGMT_ERR_CONNECTION_NOT_FOUND: createError(
    "MGMT_ERR_CONNECTION_NOT_FOUND",
    "No connection named %s.",
    404,
  ),
  MGMT_ERR_TICKET_NOT_FOUND: createError(
    "MGMT_ERR_TICKET_NOT_FOUND",
    "No connection has this provisioning ticket.",
    404,
  ),
  MGMT_ERR_METHOD_NOT_ALLOWED: createError(
    "MGMT_ERR_METHOD_NOT_ALLOWED",
    "%s is not allowed here; use %s.",
    405,
  ),
  // 408: the request did not arrive in time.
  MGMT_ERR_REQUEST_TIMEOUT: createError(
    "MGMT_ERR_REQUEST_TIMEOUT",
    "The request did not arrive within %s seconds.",
    408,
  ),
  MGMT_ERR_BODY_TIMEOUT: createError(
    "MGMT_ERR_BODY_TIMEOUT",
    "The request body did not arrive within %s seconds of its headers.",
    408,
  ),
  // 409
  MGMT_ERR_NAME_TAKEN: createError(
    "MGMT_ERR_NAME_TAKEN",
    "A connection named %s already exists.",
    409,
  ),
  // 413, 414, 415, 431: more than the server takes, or a form it does not read.
  MGMT_ERR_BODY_TOO_LARGE: createError(
    "MGMT_ERR_BODY_TOO_LARGE",
    "The request body is larger than %s bytes.",
    413,
  ),
  MGMT_ERR_URL_TOO_LONG: createError(
    "MGMT_ERR_URL_TOO_LONG",
    "The URL is longer than this server accepts.",
    414,
  ),
  MGMT_ERR_UNSUPPORTED_MEDIA_TYPE: createError(
    "MGMT_ERR_UNSUPPORTED_MEDIA_TYPE",
    "Send the body as %s, not %s.",
    415,
  ),
  MGMT_ERR_MALFORMED_MEDIA_TYPE: createError(
    "MGMT_ERR_MALFORMED_MEDIA_TYPE",
    "The Content-Type %s is not a valid media type.",
    415,
  ),
  MGMT_ERR_UNSUPPORTED_CHARSET: createError(
    "MGMT_ERR_UNSUPPORTED_CHARSET",
    "The body's charset %s is not one this server reads; send UTF-8.",
    415,
  ),
  MGMT_ERR_HEADERS_TOO_LARGE: createError(
    "MGMT_ERR_HEADERS_TOO_LARGE",
    "The request headers are larger than this server accepts.",
    431,
  ),
  // 5xx: the server's side. The message of a 500 never says more.
  MGMT_ERR_INTERNAL: createError(
    "MGMT_ERR_INTERNAL",
    "The server could not complete the request.",
    500,
  ),
  MGMT_ERR_SHUTTING_DOWN: createError(
    "MGMT_ERR_SHUTTING_DOWN",
    "The server is shutting down; retry in a moment.",
    503,
  ),
  MGMT_ERR_STORE_UNAVAILABLE: createError("MGMT_ERR_STORE_UNAVAILABLE", "%s", 503),
  MGMT_ERR_STORE_FULL: createError("MGMT_ERR_STORE_FULL", "%s", 507),
  // The token endpoint's RFC 6749 section 5.2 errors; see `oauthErrorCode`.
  MGMT_ERR_OAUTH_INVALID_REQUEST: createError("MGMT_ERR_OAUTH_INVALID_REQUEST", "%s", 400),
  MGMT_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE: createError(
    "MGMT_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE",
    "Only the client_credentials grant is supported.",
    400,
  ),
  MGMT_ERR_OAUTH_INVALID_CLIENT: createError(
    "MGMT_ERR_OAUTH_INVALID_CLIENT",
    "Client authentication failed.",
    401,
  ),
} as const;

export type ErrorCode = keyof typeof errors;

/** An error of the catalog, as thrown: its code, status and message, and what went wrong where. */
export interface ApiError extends Error {
  code: ErrorCode;
  statusCode: number;
  /** On 400, which field is wrong and why (the answer's `detail`). */
  detail?: string;
}

const codes = new Set<string>(Object.keys(errors));

/** Whether `error` comes from the catalog. */
export function isApiError(error: unknown): error is ApiError {
  return (
    error instanceof Error &&
    "code" in error &&
    typeof error.code === "string" &&
    codes.has(error.code)
  );
}

/** Adds the `detail` of a 400 to a catalog error. */
export function withDetail<E extends Error>(error: E, detail: string): E & { detail: string } {
  return Object.assign(error, { detail });
}

/** The JSON error body of every 4xx and 5xx answer (the spec's `Error` schema, plus `code`). */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  error: string;
  message: string;
  detail?: string;
}

export function errorBody(error: ApiError): ErrorBody {
  const body: ErrorBody = {
    statusCode: error.statusCode,
    code: error.code,
    error: STATUS_CODES[error.statusCode] ?? "Error",
    message: error.message,
  };
  if (error.detail !== undefined) body.detail = error.detail;
  return body;
}

/** The RFC 6749 `error` of an answer of the token endpoint. */
export function oauthErrorCode(
  code: ErrorCode,
): "invalid_request" | "invalid_client" | "unsupported_grant_type" {
  if (code === "MGMT_ERR_OAUTH_INVALID_CLIENT") return "invalid_client";
  if (code === "MGMT_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE") return "unsupported_grant_type";
  return "invalid_request";
}
