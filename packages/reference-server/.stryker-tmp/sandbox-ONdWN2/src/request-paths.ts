// @ts-nocheck
import type { FastifyRequest } from "fastify";

/** The path of the request as sent, without its query string. */
export function pathOf(request: FastifyRequest): string {
  const url = request.raw.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The path as the router understands it: repeated slashes collapsed and percent-escapes decoded,
 * so that `//api/x` or `/%61pi/x` is recognised as the `/api/x` it routes to.
 */
export function canonicalPath(request: FastifyRequest): string {
  const path = pathOf(request).replace(/\/{2,}/g, "/");
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Whether a path is under /api, where every route needs a token. */
export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}
