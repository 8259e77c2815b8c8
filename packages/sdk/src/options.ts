// Every optional property also accepts `undefined`, so that callers compiling with
// `exactOptionalPropertyTypes` can pass `process.env.X` and the like.
import type { ManagementError } from "./errors.js";

/** Where log lines go: `console` fits, as does any logger with these four methods. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The least severe level that is logged; `"off"` logs nothing. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** What `onRequest` receives before each attempt is sent. */
export interface RequestEvent {
  /** The HTTP method, for example `GET`. */
  method: string;
  /** The URL, with `access_token` redacted. */
  url: string;
  /** 0 for the first attempt, 1 for the first retry, and so on. */
  attempt: number;
}

/** What `onResponse` receives for each HTTP answer, before retries or errors are decided. */
export interface ResponseEvent extends RequestEvent {
  /** A copy of the answer: `url` without the query token, headers (and an error's body) scrubbed. */
  response: Response;
  /** Milliseconds from sending to the end of the body. */
  ms: number;
}

/** Options of `createManagementClient`. Give `baseUrl` or `namespace`, and credentials or a token. */
export interface ManagementClientOptions {
  /** The tenant's base URL, for example `https://tenant.example`. No default: give this or `namespace`. */
  baseUrl?: string | undefined;
  /** The tenant's host name, for example `tenant.example`, called over https (one given with `https://` or `http://` keeps its scheme). No default; `baseUrl` wins when both are set. */
  namespace?: string | undefined;
  /** The client id for the client-credentials grant. No default; needs `clientSecret`. */
  clientId?: string | undefined;
  /** The client secret for the client-credentials grant. No default; never logged nor put in errors. */
  clientSecret?: string | undefined;
  /** A ready access token, used as is (no refresh on 401), or a function asked for one before each attempt and once more after a 401. No default; give this or clientId + clientSecret. */
  accessToken?: string | (() => string | Promise<string>) | undefined;
  /** Where the token travels: the `Authorization: Bearer` header or the `access_token` query parameter. Default `"header"`. */
  tokenPlacement?: "header" | "query" | undefined;
  /** The fetch implementation. Default: `globalThis.fetch`, looked up on each call. */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Time limit of one attempt (token wait, connect, headers and body), in milliseconds; 0 disables it. Default `30000`. */
  timeoutMs?: number | undefined;
  /** Time limit of a whole call, every attempt and wait included, in milliseconds; 0 disables it. Default `0`. */
  totalTimeoutMs?: number | undefined;
  /** Retries after the first attempt for connection errors, timeouts, 408, 429 and 5xx. Default `2`. */
  maxRetries?: number | undefined;
  /** Retry POST requests too (creates are not idempotent, so only opt in when that is safe). Default `false`. */
  retryPost?: boolean | undefined;
  /** The first backoff delay in milliseconds; it doubles per retry, with up to 25% jitter subtracted. Default `500`. */
  retryDelayMs?: number | undefined;
  /** The longest backoff delay in milliseconds. Default `8000`. */
  retryMaxDelayMs?: number | undefined;
  /** The longest `Retry-After` the client waits, in milliseconds; a longer one fails the call at once. Default `60000`. */
  maxRetryAfterMs?: number | undefined;
  /** The most pages a user list follows through `Link: rel="next"`; more fail the call. Default `1000`. */
  maxPages?: number | undefined;
  /** The `User-Agent` header; `false` sends none (the runtime's own). Default `"mgmtkit-sdk/<version>"`, none in browsers. */
  userAgent?: string | false | undefined;
  /** Extra headers sent with every request, the token request included. Default: none. */
  headers?: Record<string, string> | undefined;
  /** Called before each attempt of every request. Default: none. */
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /** Called with each HTTP answer, redirects and answers that will be retried included. Default: none. */
  onResponse?: ((event: ResponseEvent) => void) | undefined;
  /** Called with each error a call rejects with, secrets already scrubbed. Default: none. */
  onError?: ((error: ManagementError) => void) | undefined;
  /** Where log lines go, secrets always redacted. Default: none (nothing is logged). */
  logger?: Logger | undefined;
  /** The least severe level sent to `logger`: `debug` each answer (token requests included), `warn` each retry, `error` each failed call. Default `"warn"`. */
  logLevel?: LogLevel | undefined;
}

/** Options of a single call; each falls back to the client's option of the same name. */
export interface RequestOptions {
  /** Cancels the call, its retries and its waits; the call rejects with the signal's reason. Default: none. */
  signal?: AbortSignal | undefined;
  /** Time limit of one attempt (this call's wait for a token included), in milliseconds; 0 disables it. Default: the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Time limit of the whole call, in milliseconds; 0 disables it. Default: the client's `totalTimeoutMs`. */
  totalTimeoutMs?: number | undefined;
  /** Retries after the first attempt. Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /** Retry this call even though it is a POST. Default: the client's `retryPost`. */
  retryPost?: boolean | undefined;
  /** Extra headers for this call's API requests (not the shared token request). Default: none. */
  headers?: Record<string, string> | undefined;
}

/** Options of the user lists. */
export interface ListOptions extends RequestOptions {
  /** Users per page (`per_page`, 1 to 100); pages are followed through `Link: rel="next"`. Default: the server's choice. */
  perPage?: number | undefined;
  /** The most pages to follow. Default: the client's `maxPages`. */
  maxPages?: number | undefined;
}
