import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { errors } from "../errors.js";
import { canonicalPath, isApiPath } from "../request-paths.js";
import type { TokenService } from "../tokens.js";

/** Whether the request reaches, or would reach, something under /api. */
function needsToken(request: FastifyRequest): boolean {
  const route = request.is404 ? undefined : request.routeOptions.url;
  return (route !== undefined && isApiPath(route)) || isApiPath(canonicalPath(request));
}

/** The token of `Authorization: Bearer …` (any case), else of the `access_token` query parameter. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === "string") {
    const match = /^bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    if (match) return match[1];
  }
  const query: unknown = request.query;
  if (typeof query === "object" && query !== null && "access_token" in query) {
    return typeof query.access_token === "string" ? query.access_token : undefined;
  }
  return undefined;
}

/**
 * The `/api` guard: every request under /api, including those that match no route (so that even
 * its 404s say nothing without a token), needs a token the `TokenService` issued and still
 * accepts. Also runs the service's pruning of old tokens while the app is up.
 */
export const auth = fp<{ tokens: TokenService }>(
  async (app, { tokens }) => {
    app.addHook("onReady", async () => tokens.start());
    app.addHook("onClose", async () => tokens.stop());

    app.addHook("onRequest", async (request, reply) => {
      if (!needsToken(request)) return;
      const token = bearerToken(request);
      if (token === undefined) {
        reply.header("www-authenticate", 'Bearer realm="api"');
        throw new errors.MGMT_ERR_TOKEN_MISSING();
      }
      if (!(await tokens.verify(token))) {
        reply.header("www-authenticate", 'Bearer realm="api", error="invalid_token"');
        throw new errors.MGMT_ERR_TOKEN_INVALID();
      }
    });
  },
  { name: "auth" },
);
