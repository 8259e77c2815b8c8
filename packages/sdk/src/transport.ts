import { retryAfterMs } from "@mgmtkit/spec/retry-after";
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
import type { ManagementClientOptions, RequestOptions } from "./options.js";

declare const __SDK_VERSION__: string;

// The reading of Retry-After the SDK shares with the conformance suite.
export { retryAfterMs };

// Methods that are safe to repeat; a POST is repeated only when the caller opts in.
const idempotent = /^(GET|HEAD|OPTIONS|PUT|DELETE)$/;

export const backoff = (attempt: number, firstMs: number, maxMs: number): number =>
  Math.min(maxMs, firstMs * 2 ** attempt) * (1 - Math.random() * 0.25);

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

/** The reason a time limit aborts with: an object of its own, which no caller's reason can be. */
const timedOut = {};

/** Where the transport reads the time and waits; tests inject one instead of real timers. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
}

const systemClock: Clock = { now: Date.now, sleep };

/**
 * What follows an attempt: the answer (done), a wait then a retry, or nothing when the decision
 * already set up the next try (a redirect, a fresh token: further tries, not retries). A call that
 * fails throws instead.
 */
type Decision = Answer | { retry: string; ms: number } | undefined;

export function createTransport(
  options: ManagementClientOptions,
  { add, scrub }: Secrets,
  log: Log | undefined,
  clock: Clock = systemClock,
): Send {
  const {
    retryDelayMs = 500,
    retryMaxDelayMs = 8000,
    maxRetryAfterMs = 60_000,
    tokenPlacement,
    // Browsers would make every call ask CORS approval for the header, so none is sent there.
    userAgent = typeof document === "undefined" && `mgmtkit-sdk/${__SDK_VERSION__}`,
    onRequest,
    onResponse,
  } = options;
  // Controllers whose signal never aborted, for later attempts: making a signal costs an attempt
  // more than all the rest of the SDK's bookkeeping (2.6 us). Node's fetch leaves a listener on the
  // signal until its request is collected, and copies the signal's listeners on every request: a
  // controller serves 4 attempts, where the two costs together are least.
  const spare: (AbortController & { n?: number })[] = [];

  return async (request, call = {}, tokens) => {
    // The request's own headers object is changed in place: it was built for this call alone.
    let { method, url, body, headers } = request;
    /** The call's option, else the client's, else the default. */
    const option = <K extends keyof RequestOptions>(key: K, otherwise?: RequestOptions[K]) =>
      call[key] ?? options[key as keyof ManagementClientOptions] ?? otherwise;
    const signal = call.signal ?? request.signal;
    const timeoutMs = option("timeoutMs", 30_000) as number;
    const totalMs = option("totalTimeoutMs", 0) as number;
    const deadline = totalMs > 0 ? clock.now() + totalMs : 1 / 0;
    const maxRetries = option("maxRetries", 2) as number;
    const retryable = idempotent.test(method) || option("retryPost");
    // A real Request's body is a stream that can be read once; attempts need it again.
    if (body instanceof ReadableStream) body = await (request as Request).arrayBuffer();
    if (userAgent) headers.set("user-agent", userAgent);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    let refreshed = false;
    let redirects = 0;
    let attempt = 0;
    // Of the last attempt: the token it sent, when it was sent, and the failure that took the
    // place of an answer after it was sent (worth a retry).
    let token: string | undefined;
    let sent: number;
    let failed: Error;

    /**
     * Sends once: the token wait, the request and its body, all under this attempt's time limit.
     * Gives the answer, or nothing when the attempt failed after it was sent (`failed`).
     */
    async function send(): Promise<Answer | undefined> {
      signal?.throwIfAborted();
      // One controller per attempt: the caller's signal and the time limits all abort it.
      const controller: AbortController & { n?: number } = spare.pop() ?? new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", onAbort);
      const left = deadline - clock.now();
      const limit = timeoutMs > 0 && timeoutMs < left ? timeoutMs : left;
      const timer = limit < 1 / 0 ? setTimeout(() => controller.abort(timedOut), limit) : 0;
      sent = 0;
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
        sent = clock.now();
        const response = await (options.fetch ?? fetch)(target, {
          method,
          headers,
          body,
          // Nothing can abort an attempt without a time limit or a caller's signal: fetch gets none
          // then, since Node's fetch spends a tenth of a small request's CPU following one.
          signal: signal || timer ? controller.signal : undefined,
          // Redirects are followed below, where credentials are kept from other origins.
          redirect: "manual",
        });
        // Reading the body inside the attempt puts it under the same time limits and retries.
        return { response, text: await response.text(), url, redirected: redirects > 0 };
      } catch (failure) {
        const timeout = controller.signal.reason === timedOut;
        // Before sending, the failure is the token request's own (it had its own retries), or a
        // failing supplier or hook: not worth a retry.
        if (!(sent || timeout)) throw failure;
        failed = connectionFailure(
          method,
          url,
          failure,
          timeout ? (limit === timeoutMs ? timeoutMs : totalMs) : undefined,
          scrub,
        );
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        controller.n = (controller.n ?? 0) + 1;
        if (!controller.signal.aborted && controller.n < 4) spare.push(controller);
      }
    }

    /** A retry after `ms`, unless none is left or the wait would pass the deadline. */
    const retry = (why: string, ms = backoff(attempt, retryDelayMs, retryMaxDelayMs)) =>
      retryable && attempt < maxRetries && clock.now() + ms < deadline
        ? { retry: why, ms }
        : undefined;

    /** Reads an attempt: the answer is done, or worth a retry, a redirect or a fresh token. */
    function decide(answer: Answer | undefined): Decision {
      if (!answer) {
        const next = retry(failed.message);
        if (next) return next;
        throw failed;
      }
      const { response } = answer;
      const { status } = response;
      const ms = clock.now() - sent;
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
            : // Same-origin redirects followed per request: fetch allows 20, a tenant API needs few.
              ++redirects > 5 && "was redirected more than 5 times.";
        if (problem) throw createApiError(method, url, answer, scrub, problem);
        // As fetch does: 303 turns any request, and 301/302 a POST, into a GET without a body.
        if (status === 303 || (status < 303 && method === "POST")) {
          method = "GET";
          body = null;
          headers.delete("content-type");
        }
        url = next.href;
        return;
      }
      // The cached token expired or was revoked: one fresh token, one more try.
      if (status === 401 && token && tokens?.refresh && !refreshed) {
        refreshed = true;
        tokens.refresh(token);
        return;
      }
      if (!/^(408|429|5\d\d)$/.test(`${status}`)) return answer;
      const after = retryAfterMs(response.headers.get("retry-after"), clock.now());
      return ((after ?? 0) <= maxRetryAfterMs && retry(`answered ${status}`, after)) || answer;
    }

    for (;;) {
      const answer = await send();
      signal?.throwIfAborted();
      const next = decide(answer);
      if (next && "response" in next) return next;
      if (next) {
        log?.("warn", `${method} ${redactUrl(url)} ${next.retry}; retrying in ${next.ms | 0} ms.`);
        await clock.sleep(next.ms, signal);
        attempt++;
      }
    }
  };
}
