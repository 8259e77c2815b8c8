import { ManagementError } from "./errors.js";
import { PlainRequest, type Send } from "./transport.js";

/** Hands out the access token for `/api` calls. */
export interface TokenSource {
  /** Whether a 401 is worth a fresh token (false for a token the caller gave). */
  refreshable: boolean;
  get(signal?: AbortSignal): string | Promise<string>;
  /** Forgets `token` if it is still the cached one, so the next `get` fetches a new one. */
  invalidate(token: string): void;
}

export function staticToken(token: string): TokenSource {
  return { refreshable: false, get: () => token, invalidate() {} };
}

/** Client-credentials tokens, cached until they expire; concurrent callers share one token request. */
export function clientCredentials(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  send: Send,
): TokenSource {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const request = new PlainRequest(`${baseUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
    });
    // Asking for a token twice is harmless, so the token request is retried like a GET.
    const response = await send(request, { retryPost: true }, true);
    const body = (await response.json()) as
      | { access_token?: unknown; expires_in?: unknown }
      | undefined;
    const token = body?.access_token;
    if (typeof token !== "string" || !token) {
      throw new ManagementError("POST /oauth/token answered without an access_token.");
    }
    const ttl = body?.expires_in;
    // Renew a little before the server's deadline so a request does not set off with a dying token.
    const expiresAt =
      typeof ttl === "number" && ttl >= 0
        ? Date.now() + (ttl - Math.min(60, ttl / 10)) * 1000
        : Number.POSITIVE_INFINITY;
    cached = { token, expiresAt };
    return token;
  }

  return {
    refreshable: true,
    get(signal) {
      if (cached && Date.now() < cached.expiresAt) return cached.token;
      if (!pending) {
        pending = fetchToken().finally(() => {
          pending = undefined;
        });
        // Callers that gave up (aborted) must not leave the shared rejection unhandled.
        pending.catch(() => {});
      }
      if (!signal) return pending;
      // The shared request keeps going when one caller aborts; only that caller stops waiting.
      const shared = pending;
      return new Promise<string>((resolve, reject) => {
        const abort = () => reject(signal.reason);
        signal.addEventListener("abort", abort, { once: true });
        shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
      });
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
