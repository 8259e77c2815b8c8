import type { IncomingMessage } from "node:http";
import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { type ApiError, errors } from "./errors.js";

/** `http://` or `https://` (any case), then the authority up to the path, query or fragment. */
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)(.*)$/is;
/** A host name, IPv4 or bracketed IPv6 address, with an optional port: no userinfo, no spaces. */
const AUTHORITY = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/;

/** The authority and origin-form of an absolute-form target with a usable authority. */
function splitAbsolute(target: string): { authority: string; originForm: string } | undefined {
  const match = ABSOLUTE_FORM.exec(target);
  if (!match) return undefined;
  const authority = match[1] ?? "";
  if (!AUTHORITY.test(authority)) return undefined;
  const rest = match[2] ?? "";
  return { authority, originForm: rest.startsWith("/") ? rest : `/${rest}` };
}

/**
 * fastify's `rewriteUrl`: the one place a request target is normalised, before routing, so that
 * everything after it (routing, the token guard, 404 and 405, `Link` and ticket URLs, logs) sees
 * the origin-form `/api/x?y` whether the client sent that or the absolute-form
 * `http://host/api/x?y`. For the absolute-form the target's authority replaces the Host header, as
 * RFC 9112 section 3.2.2 requires. A target of any other form is left as sent, for
 * `requestTarget` to refuse.
 */
export function originForm(req: IncomingMessage): string {
  const target = req.url ?? "/";
  if (target.startsWith("/")) return target;
  const absolute = splitAbsolute(target);
  if (!absolute) return target;
  req.headers.host = absolute.authority;
  return absolute.originForm;
}

/** How many header lines of `raw` (Node's `rawHeaders`, names and values in turn) name `name`. */
function countHeader(raw: readonly string[], name: string): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === name) count++;
  }
  return count;
}

/** Why the request's target or Host cannot be served, or undefined when both are fine. */
export function targetProblem(request: FastifyRequest): ApiError | undefined {
  // Node keeps the first Host and drops the others; a proxy in front may have kept another one.
  if (countHeader(request.raw.rawHeaders, "host") > 1) return new errors.MGMT_ERR_DUPLICATE_HOST();
  const sent = request.originalUrl;
  if (sent.startsWith("/") || sent === "*" || splitAbsolute(sent)) return undefined;
  return new errors.MGMT_ERR_REQUEST_TARGET();
}

/**
 * Refuses, before any other hook runs (the token guard included), a request with more than one
 * Host header (RFC 9112 section 3.2 requires a 400) or whose target is neither a path, `*`, nor an
 * absolute http or https URL with a plain host (userinfo included: RFC 9110 section 4.2.4 treats it
 * as an error).
 */
export const requestTarget = fp(
  async (app) => {
    app.addHook("onRequest", async (request) => {
      const problem = targetProblem(request);
      if (problem) throw problem;
    });
  },
  { name: "request-target" },
);
