import {
  connectionFailure,
  createApiError,
  ManagementError,
  pathOf,
  redactUrl,
  type Scrub,
  scrubber,
} from "./errors.js";
import type { ManagementClientOptions, RequestOptions } from "./options.js";
import type { TokenSource } from "./token-provider.js";

declare const __SDK_VERSION__: string;

/** The parts of a request the transport reads; a `Request` has them, and so has `PlainRequest`. */
export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | ReadableStream | null;
  readonly signal?: AbortSignal | null;
  readonly redirect?: RequestRedirect;
}

/**
 * What the client's own openapi-fetch instance builds instead of a `Request` (openapi-fetch takes a
 * `Request` constructor option): the same fields without the cost of a real one, which is a large
 * share of a call's client-side time. `client.raw` keeps real `Request` objects.
 */
export class PlainRequest implements OutgoingRequest {
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | null;
  readonly redirect: RequestRedirect | undefined;

  constructor(
    readonly url: string,
    init: RequestInit,
  ) {
    this.method = init.method ?? "GET";
    this.headers = new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.redirect = init.redirect;
  }
}

/** Sends one logical request: the token, the attempts, their time limits and the waits between them. */
export type Send = (
  request: OutgoingRequest,
  call?: RequestOptions,
  throwOnError?: boolean,
  tokens?: TokenSource,
) => Promise<Response>;

// Methods that are safe to repeat; a POST is repeated only when the caller opts in.
const idempotent = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

export function backoff(attempt: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** attempt) * (1 - Math.random() * 0.25);
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    const abort = () => {
      done();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort);
  });
}

const timedOut = Symbol("timeout");

export function createTransport(options: ManagementClientOptions, secret?: string): Send {
  const {
    timeoutMs: clientTimeout = 30_000,
    maxRetries: clientRetries = 2,
    retryPost: clientRetryPost = false,
    retryDelayMs = 500,
    retryMaxDelayMs = 8000,
    maxRetryAfterMs = 60_000,
    tokenPlacement = "header",
    // Browsers would make every call ask CORS approval for the header, so none is sent there.
    userAgent = typeof document === "undefined" && `mgmtkit-sdk/${__SDK_VERSION__}`,
  } = options;

  return async (request, call = {}, throwOnError = false, tokens) => {
    const { method } = request;
    const signal = call.signal ?? request.signal ?? undefined;
    const timeoutMs = call.timeoutMs ?? clientTimeout;
    const maxRetries = call.maxRetries ?? clientRetries;
    const retryable = idempotent.has(method) || (call.retryPost ?? clientRetryPost);
    // A real Request's body is a stream that can be read once; attempts need it again.
    const body =
      request.body instanceof ReadableStream
        ? await (request as Request).arrayBuffer()
        : (request.body ?? undefined);
    let refreshed = false;

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const token = await tokens?.get(signal);
      const scrub: Scrub = scrubber([secret, token]);
      let url = request.url;
      // The request's own headers object: openapi-fetch built it for this call alone.
      const { headers } = request;
      if (userAgent) headers.set("user-agent", userAgent);
      if (token && tokenPlacement === "query") {
        const u = new URL(url);
        u.searchParams.set("access_token", token);
        url = u.href;
      } else if (token) {
        headers.set("authorization", `Bearer ${token}`);
      }

      // One controller per attempt: the caller's signal and this attempt's time limit both abort it.
      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", onAbort);
      const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(timedOut), timeoutMs) : 0;
      let response: Response | undefined;
      let text = "";
      let failure: unknown;
      try {
        response = await (options.fetch ?? fetch)(url, {
          method,
          headers,
          body,
          signal: controller.signal,
          redirect: request.redirect,
        });
        // Reading the body inside the attempt puts it under the same time limit and retries.
        text = await response.text();
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
      if (signal?.aborted) throw signal.reason;

      const retry = retryable && attempt < maxRetries;
      if (failure !== undefined || !response) {
        const error = connectionFailure(
          method,
          request.url,
          failure,
          controller.signal.reason === timedOut ? timeoutMs : undefined,
          scrub,
        );
        if (!retry) throw error;
        await sleep(backoff(attempt, retryDelayMs, retryMaxDelayMs), signal);
        continue;
      }

      const { status } = response;
      if (status === 401 && token && tokens?.refreshable && !refreshed) {
        // The cached token expired or was revoked: one fresh token, one more try (not a retry).
        refreshed = true;
        tokens.invalidate(token);
        attempt--;
        continue;
      }
      if (retry && (status === 408 || status === 429 || status >= 500)) {
        const wait =
          retryAfterMs(response.headers.get("retry-after")) ??
          backoff(attempt, retryDelayMs, retryMaxDelayMs);
        if (wait <= maxRetryAfterMs) {
          await sleep(wait, signal);
          continue;
        }
      }
      if (throwOnError) {
        if (!response.ok) throw createApiError(method, request.url, response, text, scrub);
        let data: unknown;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          throw new ManagementError(
            `${method} ${pathOf(redactUrl(request.url))} answered ${status}, but not with JSON.`,
          );
        }
        // The client's methods only take the parsed data from openapi-fetch, which reads no more
        // than this of a response; building a real Response again would cost more than the rest.
        const { ok, statusText, headers: responseHeaders } = response;
        return {
          ok,
          status,
          statusText,
          headers: responseHeaders,
          text: async () => text,
          json: async () => data,
        } as Response;
      }
      // A null-body status must not be given a body, even an empty one.
      return new Response(status === 204 || status === 205 || status === 304 ? null : text, {
        status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  };
}
