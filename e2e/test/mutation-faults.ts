import type { Fault } from "./faults.js";
import { error, form, isToken, oneConnection, pathOf } from "./traffic.js";

/** The paths of the document, a trailing slash allowed (pathOf drops it). */
const KNOWN_PATHS = [
  /^\/oauth\/token$/,
  /^\/api\/connections$/,
  oneConnection,
  /^\/api\/connections\/[^/]+\/users$/,
  /^\/api\/users$/,
  /^\/api\/socialconnections\/users$/,
];

const isConnectionPut = (method: string, path: string) =>
  method === "PUT" && oneConnection.test(path);

/** The JSON value of a body, objects or not (undefined when it is not JSON). */
function jsonValue(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Faults of the classes that mutation testing of the era server found the suite missing (see
 * e2e/mutation): each is caught by the check written for its mutant.
 */
export const mutationFaults: Fault[] = [
  {
    name: "unlisted-post-deletes",
    rule: "a method the document does not list changes nothing (a POST to a connection's path)",
    expect: "document.unlisted-methods",
    request: (req) =>
      req.method === "POST" && oneConnection.test(pathOf(req))
        ? {
            ...req,
            method: "DELETE",
            // A delete as the era server's mutant took it: without the POST's body or its type.
            headers: Object.fromEntries(
              Object.entries(req.headers).filter(([key]) => key !== "content-type"),
            ),
            body: "",
          }
        : undefined,
  },
  {
    name: "malformed-escape-500",
    rule: "an invalid percent-encoding in a path is a 4xx, not a server error",
    expect: "document.malformed-path",
    request: (req) => {
      try {
        decodeURIComponent(req.url.pathname);
        return undefined;
      } catch {
        return error(500, "URIError: URI malformed");
      }
    },
  },
  {
    name: "unknown-path-500",
    rule: "a path the document does not list is a 4xx, not a server error",
    expect: "document.unknown-path",
    request: (req) =>
      KNOWN_PATHS.some((known) => known.test(pathOf(req))) ? undefined : error(500, "no route"),
  },
  {
    name: "large-body-500",
    rule: "a 2 MiB create is refused with a 4xx or accepted, not a server error",
    expect: "document.large-body",
    request: (req) => (req.body.length > 1024 * 1024 ? error(500, "body too large") : undefined),
  },
  {
    name: "null-body-500",
    rule: "a create or replace whose body is null is a 4xx, not a server error",
    expect: "generated.create-connection",
    request: (req) =>
      (req.method === "POST" || req.method === "PUT") && req.body.trim() === "null"
        ? error(500, "Cannot read properties of null")
        : undefined,
  },
  {
    name: "replace-without-status-accepted",
    rule: 'a replace without status is refused ("all object parameters must be included")',
    expect: "generated.update-connection",
    request: (req) => {
      const body = jsonValue(req.body);
      if (!isConnectionPut(req.method, pathOf(req)) || typeof body !== "object" || body === null)
        return undefined;
      if ("status" in body || Array.isArray(body)) return undefined;
      return { ...req, body: JSON.stringify({ ...body, status: 1 }) };
    },
  },
  {
    name: "put-other-name-duplicates",
    rule: "a PUT whose body names another connection leaves exactly one connection",
    expect: "connections.put-other-name",
    request: (req) => {
      const match = oneConnection.exec(pathOf(req));
      const body = jsonValue(req.body) as { name?: unknown } | undefined;
      if (!isConnectionPut(req.method, pathOf(req)) || typeof body?.name !== "string")
        return undefined;
      if (body.name === decodeURIComponent(match?.[1] ?? "")) return undefined;
      const url = new URL(req.url);
      url.pathname = "/api/connections";
      return { ...req, method: "POST", url };
    },
  },
  {
    name: "replace-drops-ticket",
    rule: "a replace of a connection with provisioning still shows its ticket and its URL",
    expect: "connections.server-fields-kept",
    response: (req, res) => {
      if (!isConnectionPut(req.method, pathOf(req))) return undefined;
      const json = jsonValue(res.body);
      if (typeof json !== "object" || json === null || !("provisioning_ticket" in json)) {
        return undefined;
      }
      const {
        provisioning_ticket: _t,
        provisioning_ticket_url: _u,
        ...rest
      } = json as Record<string, unknown>;
      return { ...res, body: JSON.stringify(rest) };
    },
  },
  {
    name: "token-without-secret-500",
    rule: "a token request without client_secret is refused with 400 or 401, not a server error",
    expect: "token.parameter-omitted",
    request: (req, ctx) => {
      const params = form(req);
      return isToken(req) &&
        params.get("client_id") === ctx.clientId &&
        !params.has("client_secret")
        ? error(500, "cannot hash undefined")
        : undefined;
    },
  },
];
