/** Options of `createManagementClient`. Give `baseUrl` or `namespace`, and credentials or a token. */
export interface ManagementClientOptions {
  /** The tenant's base URL, for example `https://tenant.example`. No default: give this or `namespace`. */
  baseUrl?: string;
  /** The tenant's host name, for example `tenant.example`, called over https. No default; `baseUrl` wins when both are set. */
  namespace?: string;
  /** The client id for the client-credentials grant. No default; needs `clientSecret`. */
  clientId?: string;
  /** The client secret for the client-credentials grant. No default; never logged nor put in errors. */
  clientSecret?: string;
  /** A ready access token, used as is (no refresh on 401). No default; give this or clientId + clientSecret. */
  accessToken?: string;
  /** Where the token travels: the `Authorization: Bearer` header or the `access_token` query parameter. Default `"header"`. */
  tokenPlacement?: "header" | "query";
  /** The fetch implementation. Default: `globalThis.fetch`, looked up on each call. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Time limit of one attempt (connect, headers and body), in milliseconds; 0 disables it. Default `30000`. */
  timeoutMs?: number;
  /** Retries after the first attempt for connection errors, timeouts, 408, 429 and 5xx. Default `2`. */
  maxRetries?: number;
  /** Retry POST requests too (creates are not idempotent, so only opt in when that is safe). Default `false`. */
  retryPost?: boolean;
  /** The first backoff delay in milliseconds; it doubles per retry, with up to 25% jitter subtracted. Default `500`. */
  retryDelayMs?: number;
  /** The longest backoff delay in milliseconds. Default `8000`. */
  retryMaxDelayMs?: number;
  /** The longest `Retry-After` the client waits, in milliseconds; a longer one fails the call at once. Default `60000`. */
  maxRetryAfterMs?: number;
  /** The `User-Agent` header; `false` sends none (the runtime's own). Default `"mgmtkit-sdk/<version>"`, none in browsers. */
  userAgent?: string | false;
  /** Extra headers sent with every request. Default: none. */
  headers?: Record<string, string>;
}

/** Options of a single call; each falls back to the client's option of the same name. */
export interface RequestOptions {
  /** Cancels the call, its retries and its waits; the call rejects with the signal's reason. Default: none. */
  signal?: AbortSignal;
  /** Time limit of one attempt, in milliseconds; 0 disables it. Default: the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default: the client's `maxRetries`. */
  maxRetries?: number;
  /** Retry this call even though it is a POST. Default: the client's `retryPost`. */
  retryPost?: boolean;
  /** Extra headers for this call. Default: none. */
  headers?: Record<string, string>;
}

/** Options of the user lists. */
export interface ListOptions extends RequestOptions {
  /** Users per page (`per_page`, 1 to 100); pages are followed through `Link: rel="next"`. Default: the server's choice. */
  perPage?: number;
}
