// The shapes that pass between the client, the transport and the token sources. This module holds
// types only and imports neither side, so that `transport.ts` and `token-provider.ts` never import
// each other.
import type { RequestOptions } from "./options.js";

/** The parts of a request the transport reads; a `Request` has them too (what `raw` sends). */
export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body?: BodyInit | null | undefined;
  readonly signal?: AbortSignal | null;
}

/** The last HTTP answer of a call, after its redirects and retries, its body read as text. */
export interface Answer {
  /** The answer of `fetch`; its body is used up, `text` holds it. */
  response: Response;
  text: string;
  /** The URL that gave this answer (after same-origin redirects), without the query token. */
  url: string;
  /** Whether a redirect was followed to reach `url`. */
  redirected: boolean;
}

/** Hands out the access token for `/api` calls. */
export interface TokenSource {
  get(): string | Promise<string>;
  /**
   * After a 401: forgets `token` if it is still the cached one, so that `get` gives a new one.
   * Absent for a fixed token the caller gave: a 401 is then not worth asking again.
   */
  refresh?(token: string): void;
}

/**
 * Sends one logical request: the token, the attempts, their time limits, redirects and waits.
 * `call` holds the caller's options of this call (signal, time limits, retries); `tokens` is where
 * the access token comes from, none for the token request itself.
 */
export type Send = (
  request: OutgoingRequest,
  call?: RequestOptions,
  tokens?: TokenSource,
) => Promise<Answer>;
