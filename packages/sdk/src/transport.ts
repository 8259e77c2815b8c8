import {
  connectionFailure,
  createApiError,
  ManagementError,
  redactUrl,
  type Scrub,
  type Secrets,
  safeUrl,
  scrubAnswer,
  where,
} from "./errors.js";
import type { Answer, Send } from "./http.js";
import type { Log } from "./log.js";
import type { ManagementClientOptions } from "./options.js";

declare const __SDK_VERSION__: string;

// Methods that are safe to repeat; a POST is repeated only when the caller opts in.
const idempotent = /^(GET|HEAD|OPTIONS|PUT|DELETE)$/;
/** Same-origin redirects followed per request; fetch allows 20, a tenant API needs few. */
const MAX_REDIRECTS = 5;

export const backoff = (attempt: number, firstMs: number, maxMs: number): number =>
  Math.min(maxMs, firstMs * 2 ** attempt) * (1 - Math.random() * 0.25);

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent, negative or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  const text = `${value}`;
  // An HTTP date names its weekday and month; without that test "2026-01-01" would parse.
  const ms = /^\s*\d/.test(text)
    ? Number(text) * 1000
    : /[a-z]/i.test(text)
      ? Date.parse(text) - now
      : NaN;
  // A past date means now; NaN (absent, "-5", garbage) means no Retry-After.
  return ms >= 0 ? ms : ms < 0 ? 0 : undefined;
}

/** `promise`, or the signal's reason as soon as it aborts. */
export function until<T>(promise: Promise<T>, signal?: AbortSignal | null): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal?.reason);
    signal?.addEventListener("abort", abort);
    promise.then(resolve, reject).finally(() => signal?.removeEventListener("abort", abort));
  });
}

export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return until(new Promise<void>((r) => (timer = setTimeout(r, ms))), signal).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * A real `Response` of an answer, its body readable again; for `raw` and `withResponse()`. An
 * error answer is what openapi-fetch hands `raw` callers as `error`: scrubbed as errors are.
 */
export function toResponse(answer: Answer, scrub: Scrub, hook?: 1): Response {
  const { response, url, redirected } = answer;
  const { status, statusText, ok } = response;
  const { text, headers } =
    ok && !hook ? { text: answer.text, headers: response.headers } : scrubAnswer(answer, scrub);
  return Object.defineProperties(
    new Response([204, 205, 304].includes(status) ? null : text, {
      status,
      statusText,
      headers,
    }),
    // A Response made here has no url and says it was not redirected; these are the call's.
    { url: { value: redactUrl(url) }, redirected: { value: redirected } },
  );
}

const timedOut = Symbol();

export function createTransport(
  options: ManagementClientOptions,
  { add, scrub }: Secrets,
  log: Log | undefined,
): Send {
  const {
    timeoutMs: clientTimeout = 30_000,
    totalTimeoutMs: clientTotal = 0,
    maxRetries: clientRetries = 2,
    retryPost: clientRetryPost,
    retryDelayMs = 500,
    retryMaxDelayMs = 8000,
    maxRetryAfterMs = 60_000,
    tokenPlacement,
    // Browsers would make every call ask CORS approval for the header, so none is sent there.
    userAgent = typeof document === "undefined" && `mgmtkit-sdk/${__SDK_VERSION__}`,
    onRequest,
    onResponse,
  } = options;

  return async (request, call = {}, tokens) => {
    let { method, url, body } = request;
    // The request's own headers object: it was built for this call alone.
    const { headers } = request;
    const signal = call.signal ?? request.signal;
    const timeoutMs = call.timeoutMs ?? clientTimeout;
    const totalMs = call.totalTimeoutMs ?? clientTotal;
    const deadline = totalMs > 0 ? Date.now() + totalMs : 1 / 0;
    const maxRetries = call.maxRetries ?? clientRetries;
    const retryable = idempotent.test(method) || (call.retryPost ?? clientRetryPost);
    // A real Request's body is a stream that can be read once; attempts need it again.
    if (body instanceof ReadableStream) body = await (request as Request).arrayBuffer();
    if (userAgent) headers.set("user-agent", userAgent);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    let refreshed = false;
    let redirects = 0;
    let attempt = 0;
    /** Waits `ms` before the next attempt, or answers false when no retry is left or time is up. */
    const retry = async (why: string, ms = backoff(attempt, retryDelayMs, retryMaxDelayMs)) => {
      if (!retryable || attempt >= maxRetries || Date.now() + ms >= deadline) return false;
      log?.("warn", `${method} ${redactUrl(url)} ${why}; retrying in ${ms | 0} ms.`);
      await sleep(ms, signal);
      return true;
    };

    for (; ; attempt++) {
      signal?.throwIfAborted();
      // One controller per attempt: the caller's signal and the time limits all abort it.
      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", onAbort);
      const left = deadline - Date.now();
      const limit = timeoutMs > 0 && timeoutMs < left ? timeoutMs : left;
      const timer = limit < 1 / 0 ? setTimeout(() => controller.abort(timedOut), limit) : 0;
      let token: string | undefined;
      let response: Response | undefined;
      let text = "";
      let failure: unknown;
      let sent = 0;
      try {
        const got = tokens?.get();
        // The token wait counts towards this attempt's time limit; a shared request keeps going.
        token = typeof got === "object" ? await until(got, controller.signal) : got;
        add(token);
        let target = url;
        if (token && tokenPlacement === "query") {
          const u = new URL(url);
          u.searchParams.set("access_token", token);
          target = u.href;
        } else if (token) {
          headers.set("authorization", `Bearer ${token}`);
        }
        // What hooks are told: never the query token.
        onRequest?.({ method, url: redactUrl(url), attempt });
        sent = Date.now();
        const answered = await (options.fetch ?? fetch)(target, {
          method,
          headers,
          body,
          signal: controller.signal,
          // Redirects are followed below, where credentials are kept from other origins.
          redirect: "manual",
        });
        // Reading the body inside the attempt puts it under the same time limits and retries.
        text = await answered.text();
        response = answered;
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
      if (signal?.aborted) throw signal.reason;

      if (!response) {
        const timeout = controller.signal.reason === timedOut;
        // The token request's own error (it had its own retries), or a failing supplier or hook.
        if (!(sent || timeout)) throw failure;
        const ms = limit === timeoutMs ? timeoutMs : totalMs;
        const error = connectionFailure(method, url, failure, timeout ? ms : undefined, scrub);
        if (await retry(error.message)) continue;
        throw error;
      }

      const { status } = response;
      const answer: Answer = { response, text, url, redirected: redirects > 0 };
      const ms = Date.now() - sent;
      // Hooks get a copy: the URL without the query token, headers scrubbed (a browser's opaque
      // redirect has neither).
      onResponse?.({
        method,
        url: redactUrl(url),
        attempt,
        response: status ? toResponse(answer, scrub, 1) : response,
        ms,
      });
      log?.("debug", `${method} ${redactUrl(url)} answered ${status} in ${ms} ms.`);

      // Browsers hide where a "manual" redirect points: it can be neither checked nor followed.
      if (response.type === "opaqueredirect") {
        throw new ManagementError(
          `${where(method, url, scrub)} was redirected; a browser hides where to, so it was not followed.`,
        );
      }
      const location = /^30[12378]$/.test(`${status}`) && response.headers.get("location");
      if (location) {
        const next = new URL(location, url);
        const problem =
          next.origin !== new URL(request.url).origin
            ? `was redirected to another origin (${safeUrl(next.href, scrub)}); not followed.`
            : ++redirects > MAX_REDIRECTS && `was redirected more than ${MAX_REDIRECTS} times.`;
        if (problem) throw createApiError(method, url, answer, scrub, problem);
        // As fetch does: 303 turns any request, and 301/302 a POST, into a GET without a body.
        if (status === 303 || (status < 303 && method === "POST")) {
          method = "GET";
          body = null;
          headers.delete("content-type");
        }
        url = next.href;
        attempt--;
      } else if (status === 401 && token && tokens?.refresh && !refreshed) {
        // The cached token expired or was revoked: one fresh token, one more try (not a retry).
        refreshed = true;
        tokens.refresh(token);
        attempt--;
      } else {
        if (!/^(408|429|5\d\d)$/.test(`${status}`)) return answer;
        const after = retryAfterMs(response.headers.get("retry-after"));
        if (!((after ?? 0) <= maxRetryAfterMs && (await retry(`answered ${status}`, after)))) {
          return answer;
        }
      }
    }
  };
}
