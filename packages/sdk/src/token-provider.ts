import { mergeHeaders } from "openapi-fetch";
import { createApiError, parseJson, type Scrub } from "./errors.js";
import type { Send, TokenSource } from "./http.js";

export interface ClientCredentials {
  /** The token endpoint, `<baseUrl>/oauth/token`. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The client's `headers` option: "every request" includes this one. */
  headers: Record<string, string> | undefined;
  send: Send;
  scrub: Scrub;
  /** The clock, in milliseconds since the epoch; tests move it instead of waiting. */
  now?: () => number;
}

/** Client-credentials tokens, cached until they expire; concurrent callers share one token request. */
export function clientCredentials({
  url,
  clientId,
  clientSecret,
  headers,
  send,
  scrub,
  now = Date.now,
}: ClientCredentials): TokenSource {
  let cached = "";
  let expiresAt = 0;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const form = {
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    };
    // Exactly the document's type: fetch would add `;charset=UTF-8` to a URLSearchParams body.
    const h = mergeHeaders(headers, { "content-type": "application/x-www-form-urlencoded" });
    // Asking for a token twice is harmless, so the token request is retried like a GET.
    const answer = await send(
      { url, method: "POST", headers: h, body: `${new URLSearchParams(form)}` },
      { retryPost: true },
    );
    const { ok, status } = answer.response;
    const { access_token: token, expires_in: ttl } = Object(parseJson(answer.text));
    if (!ok || typeof token !== "string" || !token) {
      throw createApiError(
        "POST",
        url,
        answer,
        scrub,
        ok && `answered ${status} without an access_token.`,
      );
    }
    // Renew a little before the server's deadline so a request does not set off with a dying token.
    expiresAt =
      typeof ttl === "number" && ttl >= 0 ? now() + (ttl - Math.min(60, ttl / 10)) * 1000 : 1 / 0;
    cached = token;
    return token;
  }

  return {
    get() {
      if (now() < expiresAt) return cached;
      if (!pending) {
        pending = fetchToken().finally(() => {
          pending = undefined;
        });
        // Callers that gave up (aborted, timed out) must not leave the shared rejection unhandled.
        pending.catch(() => {});
      }
      return pending;
    },
    refresh(token) {
      if (cached === token) expiresAt = 0;
    },
  };
}
