import { type Strategy, strategies } from "@mgmtkit/spec/model";
import { answer, type FaultHooks, jsonOf, type ProxyRequest, withJson } from "./fault-proxy.js";
import { generatedFaults } from "./generated-faults.js";
import { mutationFaults } from "./mutation-faults.js";
import {
  bodyOf,
  connectionUsers,
  echoCreated,
  error,
  form,
  isCreate,
  issued,
  isToken,
  isUserList,
  type Json,
  mapJson,
  oneConnection,
  pathOf,
  presentedToken,
  rememberTokens,
  stateOf,
  withToken,
} from "./traffic.js";

/**
 * The catalog of deliberately broken servers: each entry breaks one documented rule of the
 * reference server (seen as a black box behind a fault-injecting proxy) and names the check
 * that must catch it.
 */
export interface Fault extends FaultHooks {
  name: string;
  /** The documented rule the fault breaks. */
  rule: string;
  /** The check id that must fail. */
  expect: string;
  /**
   * The kind of failure it must report: a response validator's id, or `"check"` for the check's
   * own assertion. Default: any.
   */
  type?: string;
  /**
   * A shorter deadline for faults that hang. It is every request's deadline in that run, so it
   * leaves room for a busy machine: at --concurrency 16 beside other test files, 400 ms made
   * healthy requests time out too.
   */
  timeoutMs?: number;
  /** A smaller body limit, so that the oversized-body fault stays quick. */
  maxResponseBytes?: number;
  /** The profile to run; `strict` for faults against strict checks. Default `core`. */
  profile?: "core" | "strict";
}

export const faults: Fault[] = [
  {
    name: "token-requires-type",
    rule: "type=web_server is optional in the token request (line 16; spec getAccessToken)",
    expect: "token.form-without-type",
    request: (req) =>
      isToken(req) && !form(req).has("type")
        ? answer(400, { error: "invalid_request", error_description: "type is required" })
        : undefined,
  },
  {
    name: "token-wrong-secret-accepted",
    rule: "a wrong client_secret is refused with 401 invalid_client",
    expect: "token.wrong-secret",
    request: (req, ctx) => {
      if (!isToken(req)) return undefined;
      const params = form(req);
      if (
        params.get("client_id") !== ctx.clientId ||
        params.get("client_secret") === ctx.clientSecret
      )
        return undefined;
      params.set("client_secret", ctx.clientSecret);
      return { ...req, body: params.toString() };
    },
  },
  {
    name: "token-unknown-client-500",
    rule: "an unknown client is refused with 401 invalid_client, not a server error",
    expect: "token.unknown-client",
    request: (req, ctx) =>
      isToken(req) && form(req).get("client_id") !== ctx.clientId
        ? error(500, "client lookup failed")
        : undefined,
  },
  {
    name: "token-password-grant-accepted",
    rule: "only grant_type=client_credentials is accepted; others answer 400 unsupported_grant_type",
    expect: "token.unsupported-grant",
    request: (req) => {
      if (!isToken(req) || form(req).get("grant_type") === "client_credentials") return undefined;
      const params = form(req);
      params.set("grant_type", "client_credentials");
      return { ...req, body: params.toString() };
    },
  },
  {
    name: "token-type-missing",
    rule: 'the token answer carries token_type "bearer" (line 20)',
    expect: "token.response-shape",
    response: (req, res) =>
      isToken(req) && res.status === 200
        ? mapJson(res, (json) => {
            const { token_type: _, ...rest } = json as Json;
            return rest;
          })
        : undefined,
  },
  {
    name: "missing-token-accepted",
    rule: "every /api request must include an access token (line 7)",
    expect: "auth.missing-token",
    request: (req, ctx) =>
      req.url.pathname.startsWith("/api") &&
      !req.headers.authorization &&
      !req.url.searchParams.has("access_token")
        ? { ...req, headers: { ...req.headers, authorization: `bearer ${ctx.token}` } }
        : undefined,
  },
  {
    name: "garbage-token-accepted",
    rule: "a token the server never issued is refused with 401 (lines 7-12)",
    expect: "auth.garbage-token",
    request: (req, ctx) => {
      const token = presentedToken(req);
      if (!req.url.pathname.startsWith("/api") || !token || issued(ctx).has(token))
        return undefined;
      return withToken(req, ctx.token);
    },
    response: rememberTokens,
  },
  {
    name: "lowercase-bearer-refused",
    rule: "Authorization: bearer {ACCESS-TOKEN} is accepted, written in lower case as the document does (lines 12, 29)",
    expect: "auth.bearer-lowercase",
    request: (req) =>
      req.headers.authorization?.startsWith("bearer ") ? error(401, "Use Bearer.") : undefined,
  },
  {
    name: "capitalized-bearer-refused",
    rule: "the scheme word is case-insensitive: Authorization: Bearer is accepted (RFC 7235; spec quirk 7)",
    expect: "auth.bearer-capitalized",
    request: (req) =>
      req.headers.authorization?.startsWith("Bearer ") ? error(401, "Use bearer.") : undefined,
  },
  {
    name: "query-token-ignored",
    rule: "the token is accepted as the access_token query parameter (line 7)",
    expect: "auth.query-token",
    request: (req) => {
      if (!req.url.searchParams.has("access_token")) return undefined;
      const url = new URL(req.url);
      url.searchParams.delete("access_token");
      return { ...req, url };
    },
  },
  {
    name: "unauthorized-as-html",
    rule: "all content is returned in JSON, errors included (line 27)",
    expect: "auth.missing-token",
    type: "response.json-content-type",
    response: (_req, res) =>
      res.status === 401
        ? {
            status: 401,
            headers: { "content-type": "text/html" },
            body: "<html><body>401 Unauthorized</body></html>",
          }
        : undefined,
  },
  {
    name: "list-drops-id",
    rule: "every listed connection carries its server-assigned id (spec Connection; the document shows none, open point connection.id-shown)",
    expect: "lifecycle.adfs",
    type: "response.schema-strict",
    profile: "strict",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/connections" && res.status === 200
        ? mapJson(res, (json) => (json as Json[]).map(({ id: _, ...rest }) => rest))
        : undefined,
  },
  {
    name: "create-drops-provisioning-url",
    rule: "office365, google-apps and adfs connections carry provisioning_ticket_url (lines 67-71)",
    expect: "lifecycle.adfs",
    response: (req, res) =>
      isCreate(req) && res.status < 300
        ? mapJson(res, (json) => {
            const { provisioning_ticket_url: _, ...rest } = json as Json;
            return rest;
          })
        : undefined,
  },
  {
    name: "create-answers-202",
    rule: "a create answers 200 or 201, the statuses the spec documents",
    expect: "lifecycle.google-oauth2",
    type: "response.documented-status",
    response: (req, res) =>
      isCreate(req) && res.status === 201 ? { ...res, status: 202 } : undefined,
  },
  {
    name: "create-forgets-options",
    rule: "a create answers the complete connection object, options included (line 148)",
    expect: "lifecycle.google-oauth2",
    response: (req, res) =>
      isCreate(req) && res.status < 300
        ? mapJson(res, (json) => ({ ...(json as Json), options: {} }))
        : undefined,
  },
  {
    name: "get-thumbprints-not-array",
    rule: "adfs options.thumbprints is an array of hexadecimal strings (line 92; spec AdfsOptions)",
    expect: "lifecycle.adfs",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && oneConnection.test(pathOf(req)) && res.status === 200
        ? mapJson(res, (json) => {
            const connection = json as Json;
            if (connection.strategy !== "adfs") return connection;
            return {
              ...connection,
              options: { ...(connection.options as Json), thumbprints: "9b250aad7e49" },
            };
          })
        : undefined,
  },
  {
    name: "accept-xml-406",
    rule: "the Accept header is ignored; everything is JSON (line 27)",
    expect: "document.accept-xml",
    request: (req) =>
      req.headers.accept?.includes("xml") ? error(406, "Only JSON is available.") : undefined,
  },
  {
    name: "trailing-slash-404",
    rule: "the document's URLs with a trailing slash work (lines 45, 122, 128)",
    expect: "document.trailing-slash",
    request: (req) =>
      req.url.pathname.length > 1 && req.url.pathname.endsWith("/")
        ? error(404, "No such route.")
        : undefined,
  },
  {
    name: "duplicate-name-accepted",
    rule: "connection names are unique: a second create with the same name is refused (line 54)",
    expect: "lifecycle.windowslive",
    request: (req, ctx) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      const seen = stateOf(ctx, "names", () => new Set<unknown>());
      if (!body) return undefined;
      if (seen.has(body.name)) return echoCreated(body);
      seen.add(body.name);
      return undefined;
    },
  },
  {
    name: "partial-put-accepted",
    rule: "a PUT must include all object parameters (line 152)",
    expect: "lifecycle.office365",
    request: (req) => {
      const body = req.method === "PUT" ? bodyOf(req) : undefined;
      return body && !("options" in body) ? answer(200, body) : undefined;
    },
  },
  {
    name: "put-not-persisted",
    rule: "a full PUT replaces the stored connection (line 152)",
    expect: "lifecycle.google-apps",
    request: (req) => {
      const body = req.method === "PUT" ? bodyOf(req) : undefined;
      return body && "options" in body ? answer(200, body) : undefined;
    },
  },
  {
    name: "delete-answers-name",
    rule: 'delete answers { "removed": <the id> } (line 132)',
    expect: "lifecycle.adfs",
    response: (req, res) => {
      const match = req.method === "DELETE" ? oneConnection.exec(pathOf(req)) : null;
      return match && res.status === 200
        ? withJson(res, { removed: decodeURIComponent(match[1] ?? "") })
        : undefined;
    },
  },
  {
    name: "delete-not-performed",
    rule: "a delete eliminates the connection permanently: GET answers 404 afterwards (line 126)",
    expect: "lifecycle.google-oauth2",
    // Turns the DELETE into a GET upstream and answers what a delete would have.
    request: (req) =>
      req.method === "DELETE" && oneConnection.test(pathOf(req))
        ? { ...req, method: "GET", headers: { ...req.headers, "x-fault": "delete" } }
        : undefined,
    response: (req, res) =>
      req.headers["x-fault"] === "delete" && res.status === 200
        ? withJson(res, { removed: (jsonOf(res) as Json).id })
        : undefined,
  },
  {
    name: "malformed-json-500",
    rule: "malformed JSON is refused with a 4xx status, never a 5xx",
    expect: "generated.create-connection",
    request: (req) =>
      (req.method === "POST" || req.method === "PUT") &&
      req.url.pathname.startsWith("/api") &&
      req.body &&
      bodyOf(req) === undefined
        ? error(500, "Unexpected end of JSON input")
        : undefined,
  },
  {
    name: "missing-options-accepted",
    rule: "a create without options is refused (lines 142-146)",
    expect: "negative.missing-fields",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && !("options" in body) ? echoCreated(body) : undefined;
    },
  },
  {
    name: "unknown-strategy-accepted",
    rule: "only the five documented strategies exist (lines 60-65)",
    expect: "generated.create-connection",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body &&
        typeof body.strategy === "string" &&
        !strategies.includes(body.strategy as Strategy)
        ? echoCreated(body)
        : undefined;
    },
  },
  {
    name: "string-status-500",
    rule: "a wrongly typed status is refused with 4xx, never a 5xx",
    expect: "generated.create-connection",
    type: "response.server-error",
    request: (req) =>
      typeof bodyOf(req)?.status === "string"
        ? error(500, "status.toFixed is not a function")
        : undefined,
  },
  {
    name: "status-2-accepted",
    rule: "status is 1 (active) or 0 (not) (line 55)",
    expect: "generated.create-connection",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && typeof body.status === "number" && body.status !== 0 && body.status !== 1
        ? echoCreated(body)
        : undefined;
    },
  },
  {
    name: "social-includes-enterprise",
    rule: "the social list holds no user of an enterprise directory such as Office 365 (lines 157-158)",
    expect: "users.social-only",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/socialconnections/users" && res.status === 200
        ? mapJson(res, (json) => [
            ...(json as Json[]),
            { user_id: "office365|intruder@fabrikam.example", email: "intruder@fabrikam.example" },
          ])
        : undefined,
  },
  {
    name: "connection-users-wrong-strategy",
    rule: "users of a connection carry its strategy in user_id (lines 157, 170)",
    expect: "users.connection-strategy",
    response: (req, res) =>
      req.method === "GET" && connectionUsers.test(pathOf(req)) && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).map((user) => {
              const [strategy, ...rest] = String(user.user_id).split("|");
              return {
                ...user,
                user_id: `${strategy === "office365" ? "adfs" : "office365"}|${rest.join("|")}`,
              };
            }),
          )
        : undefined,
  },
  {
    name: "unknown-connection-users-empty",
    rule: "the users of a connection that does not exist answer 404",
    expect: "users.unknown-connection-404",
    profile: "strict",
    response: (req, res) =>
      req.method === "GET" && connectionUsers.test(pathOf(req)) && res.status === 404
        ? answer(200, [])
        : undefined,
  },
  {
    name: "users-wrapped-in-object",
    rule: "GET /api/users answers a JSON array of users (lines 156, 160)",
    expect: "users.list",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/users" && res.status === 200
        ? mapJson(res, (json) => ({ users: json }))
        : undefined,
  },
  {
    name: "user-id-without-strategy",
    rule: "user_id is the strategy, a |, and an identifier (line 170)",
    expect: "users.list",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/users" && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).map((user) => ({
              ...user,
              user_id: String(user.user_id).split("|").pop(),
            })),
          )
        : undefined,
  },
  {
    name: "pagination-link-loops",
    rule: 'Link rel="next" pages lead through the list to a last page (spec quirk 14)',
    expect: "users.pagination",
    profile: "strict",
    response: (req, res) => {
      if (!isUserList(req) || !req.url.searchParams.has("per_page") || res.status !== 200)
        return undefined;
      const again = new URL(req.url.pathname, "http://placeholder.invalid");
      again.searchParams.set("per_page", req.url.searchParams.get("per_page") ?? "2");
      return {
        ...res,
        headers: { ...res.headers, link: `<${again.pathname}${again.search}>; rel="next"` },
      };
    },
  },
  {
    name: "social-users-hang",
    rule: "every request is answered (the suite's deadline turns a hang into a failure)",
    expect: "users.social-only",
    timeoutMs: 1500,
    request: (req) =>
      pathOf(req) === "/api/socialconnections/users" ? { kind: "hang" } : undefined,
  },
  {
    name: "users-reset",
    rule: "every request is answered (a reset connection is a failure, not a crash)",
    expect: "users.list",
    request: (req) => (pathOf(req) === "/api/users" ? { kind: "reset" } : undefined),
  },
  {
    name: "seeded-connection-users-drip",
    rule: "every request is answered in time (a body dripping forever hits the deadline)",
    expect: "users.connection-strategy",
    timeoutMs: 1500,
    request: (req) =>
      connectionUsers.test(pathOf(req)) && pathOf(req).includes("fabrikam")
        ? { kind: "drip", everyMs: 50 }
        : undefined,
  },
  {
    name: "get-connection-not-json",
    rule: "all content is returned in JSON (line 27)",
    expect: "lifecycle.windowslive",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && oneConnection.test(pathOf(req)) && res.status === 200
        ? {
            status: 200,
            headers: { "content-type": "application/json" },
            body: "<connection>not json</connection>",
          }
        : undefined,
  },
  {
    name: "users-huge-body",
    rule: "answers are bounded (a body beyond the suite's limit is a reported failure, not a crash)",
    expect: "users.list",
    maxResponseBytes: 1024 * 1024,
    request: (req) =>
      pathOf(req) === "/api/users" ? { kind: "huge", bytes: 3 * 1024 * 1024 } : undefined,
  },
  {
    name: "not-found-without-error-body",
    rule: "every 4xx answer of /api carries the JSON error body (statusCode, error, message)",
    expect: "connections.unknown-name",
    type: "response.schema-strict",
    profile: "strict",
    response: (req, res) =>
      req.method === "GET" && oneConnection.test(pathOf(req)) && res.status === 404
        ? withJson(res, { message: "not here" })
        : undefined,
  },
];

/** Faults against the rest of the core checks and against the strict ones. */
faults.push(
  {
    name: "token-form-500",
    rule: "the token request of line 16, with type=web_server, answers 200 and a token",
    expect: "token.form",
    request: (req) =>
      isToken(req) && form(req).get("type") === "web_server"
        ? error(500, "token store unavailable")
        : undefined,
  },
  {
    name: "put-unknown-creates",
    rule: "a PUT of a connection that does not exist answers 404 (spec updateConnection)",
    expect: "connections.unknown-name",
    response: (req, res) =>
      req.method === "PUT" && res.status === 404 ? answer(200, bodyOf(req) ?? {}) : undefined,
  },
  {
    name: "token-error-without-error-field",
    rule: "token errors are RFC 6749 section 5.2 objects with an error code",
    expect: "token.wrong-secret",
    type: "response.schema",
    response: (req, res) =>
      isToken(req) && res.status === 401
        ? withJson(res, { message: "Bad credentials" })
        : undefined,
  },
  {
    name: "create-id-number",
    rule: "the create answers the id that GET, the list and the delete confirmation show (lines 132, 148)",
    expect: "lifecycle.adfs",
    type: "check",
    response: (req, res) =>
      isCreate(req) && res.status < 300
        ? mapJson(res, (json) => ({ ...(json as Json), id: 12345 }))
        : undefined,
  },
  {
    name: "put-status-string",
    rule: "status is the integer 0 or 1 (line 55)",
    expect: "lifecycle.office365",
    type: "response.schema",
    response: (req, res) =>
      req.method === "PUT" && res.status === 200
        ? mapJson(res, (json) => ({ ...(json as Json), status: String((json as Json).status) }))
        : undefined,
  },
  {
    name: "delete-removed-empty",
    rule: "delete answers the removed connection's id, a non-empty string (line 132)",
    expect: "lifecycle.adfs",
    type: "check",
    response: (req, res) =>
      req.method === "DELETE" && res.status === 200 ? withJson(res, { removed: "" }) : undefined,
  },
  {
    name: "connection-users-bad-last-login",
    rule: "lastLogin is a date-time (line 162)",
    expect: "users.connection-strategy",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && connectionUsers.test(pathOf(req)) && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).map((user) => ({ ...user, lastLogin: "yesterday" })),
          )
        : undefined,
  },
  {
    name: "social-users-negative-logins",
    rule: "loginsCount is a count, never negative (line 162)",
    expect: "users.social-only",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/socialconnections/users" && res.status === 200
        ? mapJson(res, (json) => (json as Json[]).map((user) => ({ ...user, loginsCount: -1 })))
        : undefined,
  },
  {
    name: "not-found-echoes-token",
    rule: "an answer never repeats the request's access token",
    expect: "connections.unknown-name",
    type: "response.no-secret-echo",
    response: (req, res) =>
      res.status === 404 && typeof req.headers.authorization === "string"
        ? withJson(res, { ...(jsonOf(res) as Json), detail: req.headers.authorization })
        : undefined,
  },
  {
    name: "token-answer-echoes-secret",
    rule: "the token answer carries the token it issues, never the client secret",
    expect: "token.response-shape",
    type: "response.no-secret-echo",
    response: (req, res) =>
      isToken(req) && res.status === 200
        ? withJson(res, { ...(jsonOf(res) as Json), request: req.body })
        : undefined,
  },
  {
    name: "refusal-as-422",
    rule: "a refused request answers a 4xx the spec documents for the operation (strict)",
    expect: "negative.missing-fields",
    type: "response.documented-refusal",
    profile: "strict",
    response: (req, res) =>
      isCreate(req) && res.status === 400 ? { ...res, status: 422 } : undefined,
  },
  {
    name: "token-json-refused",
    rule: "the token endpoint accepts its parameters as JSON too (spec getAccessToken)",
    expect: "token.json-body",
    profile: "strict",
    request: (req) =>
      isToken(req) && String(req.headers["content-type"]).includes("json")
        ? answer(415, { error: "invalid_request", error_description: "form only" })
        : undefined,
  },
  {
    name: "token-missing-secret-401",
    rule: "a missing parameter is invalid_request with 400 (RFC 6749 section 5.2)",
    expect: "token.missing-parameter",
    profile: "strict",
    request: (req) =>
      isToken(req) &&
      !form(req).has("client_secret") &&
      !String(req.headers["content-type"]).includes("json")
        ? answer(401, { error: "invalid_client" })
        : undefined,
  },
  {
    name: "other-header-accepted",
    rule: "the Authorization header is the only accepted header (line 27)",
    expect: "auth.other-header",
    profile: "strict",
    request: (req) => {
      const token = req.headers["x-access-token"];
      return typeof token === "string" && !req.headers.authorization
        ? { ...req, headers: { ...req.headers, authorization: `bearer ${token}` } }
        : undefined;
    },
  },
  {
    name: "duplicate-as-400",
    rule: "a duplicate name answers 409 Conflict (spec createConnection)",
    expect: "lifecycle.spec-statuses",
    profile: "strict",
    response: (req, res) =>
      isCreate(req) && res.status === 409 ? { ...res, status: 400 } : undefined,
  },
  {
    name: "rename-accepted",
    rule: "a PUT's body names the connection of its path (spec updateConnection)",
    expect: "connections.put-name-mismatch",
    profile: "strict",
    request: (req) => {
      const match = req.method === "PUT" ? oneConnection.exec(pathOf(req)) : null;
      const body = bodyOf(req);
      return match && body && body.name !== decodeURIComponent(match[1] ?? "")
        ? answer(200, body)
        : undefined;
    },
  },
  {
    name: "sent-id-kept",
    rule: "the server assigns the id; one sent in a create is ignored (line 148)",
    expect: "connections.server-fields-ignored",
    profile: "strict",
    response: (req, res) => {
      const sent = isCreate(req) ? bodyOf(req)?.id : undefined;
      return sent !== undefined && res.status < 300
        ? mapJson(res, (json) => ({ ...(json as Json), id: sent }))
        : undefined;
    },
  },
  {
    name: "client-id-not-defaulted",
    rule: "a create without client_id stores the token's client (line 53)",
    expect: "connections.client-id",
    response: (req, res) =>
      isCreate(req) && res.status < 300 && !("client_id" in (bodyOf(req) ?? {}))
        ? mapJson(res, (json) => ({ ...(json as Json), client_id: "someone-else" }))
        : undefined,
  },
  {
    name: "put-refuses-server-fields",
    rule: "the object a GET returned can be sent back with PUT as it is (spec updateConnection)",
    expect: "connections.put-round-trip",
    profile: "strict",
    request: (req) =>
      req.method === "PUT" && bodyOf(req)?.id !== undefined
        ? error(400, "id is read-only")
        : undefined,
  },
  {
    name: "put-changes-strategy",
    rule: "a PUT cannot change the connection's strategy (spec updateConnection)",
    expect: "connections.put-strategy-fixed",
    profile: "strict",
    // The upstream refuses the change; this server claims to have made it.
    response: (req, res) =>
      req.method === "PUT" && res.status === 400 && /strategy/.test(res.body)
        ? withJson(res, { ...bodyOf(req), id: "con_accepted" }, 200)
        : undefined,
  },
  {
    name: "era-body-refused",
    rule: "a create without status is accepted with the spec's default (spec quirk 16)",
    expect: "connections.liberal-create",
    profile: "strict",
    response: (req) =>
      isCreate(req) && bodyOf(req) !== undefined && !("status" in (bodyOf(req) ?? {}))
        ? answer(400, { statusCode: 400, error: "Bad Request", message: "status is required." })
        : undefined,
  },
  {
    name: "status-defaults-to-0",
    rule: "a create without status takes the spec's default status (spec quirk 16)",
    expect: "connections.liberal-create",
    profile: "strict",
    response: (req, res) =>
      isCreate(req) && res.status < 300 && !("status" in (bodyOf(req) ?? {}))
        ? mapJson(res, (json) => ({ ...(json as Json), status: 0 }))
        : undefined,
  },
  {
    name: "unknown-property-stored",
    rule: "an unknown top-level property of a create is ignored (spec quirk 16)",
    expect: "connections.liberal-create",
    profile: "strict",
    response: (req, res) => {
      const colour = isCreate(req) ? bodyOf(req)?.favourite_colour : undefined;
      return colour !== undefined && res.status < 300
        ? mapJson(res, (json) => ({ ...(json as Json), favourite_colour: colour }))
        : undefined;
    },
  },
  {
    name: "text-plain-accepted",
    rule: "a create must be sent as application/json (line 140); other types answer 415",
    expect: "generated.create-connection",
    profile: "strict",
    request: (req) =>
      isCreate(req) && String(req.headers["content-type"]).startsWith("text/plain")
        ? { ...req, headers: { ...req.headers, "content-type": "application/json" } }
        : undefined,
  },
);

/** Faults of the schemas' settled points (the spec audit). */
faults.push(
  {
    name: "list-status-string",
    rule: "every listed connection's status is the integer 0 or 1 (line 55)",
    expect: "lifecycle.adfs",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/connections" && res.status === 200
        ? mapJson(res, (json) => (json as Json[]).map((c) => ({ ...c, status: String(c.status) })))
        : undefined,
  },
  {
    name: "create-drops-id",
    rule: "the create answer carries the entity id (line 148)",
    expect: "lifecycle.google-apps",
    type: "response.schema",
    response: (req, res) =>
      isCreate(req) && res.status < 300
        ? mapJson(res, (json) => {
            const { id: _, ...rest } = json as Json;
            return rest;
          })
        : undefined,
  },
  {
    name: "missing-strategy-accepted",
    rule: "a create without strategy is refused: nothing says what options mean (lines 56-57)",
    expect: "negative.missing-fields",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && !("strategy" in body) ? echoCreated(body) : undefined;
    },
  },
  {
    name: "not-found-error-not-an-object",
    rule: "an /api error body, when there is one, is a JSON object (line 27; spec Error)",
    expect: "connections.unknown-name",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && oneConnection.test(pathOf(req)) && res.status === 404
        ? withJson(res, ["not here"])
        : undefined,
  },
);

/** Gaps where a server is looser than the document (issue 19, items 9-12), and the classes of misses of issue 11. */
faults.push(
  {
    name: "social-lists-disabled",
    rule: 'the social list holds the users of the "enabled" social connections only (line 158)',
    expect: "users.social-only",
    // The seeded google-oauth2 connection answers as disabled; its users stay in the social list.
    response: (req, res) =>
      req.method === "GET" && res.status === 200 && pathOf(req) === "/api/connections"
        ? mapJson(res, (json) =>
            (json as Json[]).map((c) => (c.strategy === "google-oauth2" ? { ...c, status: 0 } : c)),
          )
        : undefined,
  },
  {
    name: "users-drop-documented-fields",
    rule: "a user object carries the twelve fields of line 162 with their types (audit item 9)",
    expect: "users.list",
    type: "response.schema",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/users" && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).map(({ lastLogin, identities: _, ...user }) => ({
              ...user,
              last_login: lastLogin,
            })),
          )
        : undefined,
  },
  {
    name: "social-provisioning-url-not-a-url",
    rule: "provisioning fields have their documented types wherever they appear (lines 67-71; audit item 11)",
    expect: "lifecycle.google-oauth2",
    type: "response.schema",
    response: (req, res) =>
      isCreate(req) && res.status < 300 && bodyOf(req)?.strategy === "google-oauth2"
        ? mapJson(res, (json) => ({
            ...(json as Json),
            provisioning_ticket: "t-1",
            provisioning_ticket_url: "see the admin",
          }))
        : undefined,
  },
  {
    name: "foreign-client-id-kept",
    rule: "a connection's client_id is the client the token was issued to, never one a create names (line 53)",
    expect: "connections.client-id",
    response: (req, res) => {
      const sent = isCreate(req) ? bodyOf(req)?.client_id : undefined;
      return sent !== undefined && res.status < 300
        ? mapJson(res, (json) => ({ ...(json as Json), client_id: sent }))
        : undefined;
    },
  },
  {
    name: "unknown-connection-lists-users",
    rule: "a connection that does not exist has no users (line 157)",
    expect: "users.unknown-connection",
    response: (req, res) =>
      req.method === "GET" && connectionUsers.test(pathOf(req)) && res.status === 404
        ? answer(200, [{ user_id: "adfs|ghost@fabrikam.example" }])
        : undefined,
  },
  {
    name: "non-ascii-name-500",
    rule: "an odd but plausible input is answered, never with a 5xx (issue 11, class 1)",
    expect: "connections.odd-inputs",
    type: "response.server-error",
    request: (req) =>
      isCreate(req) && /[^\x20-\x7e]/.test(String(bodyOf(req)?.name ?? ""))
        ? error(500, "invalid byte sequence for encoding")
        : undefined,
  },
  {
    name: "deep-options-500",
    rule: "deeply nested options are answered, never with a 5xx (issue 11, class 1)",
    expect: "connections.odd-inputs",
    type: "response.server-error",
    request: (req) =>
      isCreate(req) && req.body.includes('"nested":{"nested":{"nested"')
        ? error(500, "Maximum call stack size exceeded")
        : undefined,
  },
  {
    // Per connection, so that what it breaks does not depend on which check deletes first: the
    // same checks catch it whatever the concurrency.
    name: "get-500-after-delete",
    rule: "a deleted connection's name keeps answering 404 or 410, never a 5xx (issue 11, class 2: consistency over time)",
    expect: "lifecycle.adfs",
    type: "response.server-error",
    request: (req, ctx) => {
      const deleted = stateOf(ctx, "deleted", () => new Set<string>());
      if (!oneConnection.test(pathOf(req))) return undefined;
      if (req.method === "DELETE") deleted.add(pathOf(req));
      return req.method === "GET" && deleted.has(pathOf(req))
        ? error(500, "cache out of date")
        : undefined;
    },
  },
  {
    name: "charset-refused",
    rule: "application/json; charset=utf-8 is application/json (issue 11, class 3)",
    expect: "document.media-types",
    request: (req) =>
      String(req.headers["content-type"]).includes("charset")
        ? error(415, "Send application/json.")
        : undefined,
  },
  {
    name: "accept-any-as-html",
    rule: "all content is JSON whatever the Accept header says (line 27; issue 11, class 3)",
    expect: "document.media-types",
    type: "response.json-content-type",
    response: (req, res) =>
      req.headers.accept === "*/*"
        ? { status: res.status, headers: { "content-type": "text/html" }, body: "<ul></ul>" }
        : undefined,
  },
  {
    name: "query-token-get-only",
    rule: "the query token works for every method, not only GET (line 7; issue 11, class 3)",
    expect: "auth.query-token",
    request: (req) =>
      req.method !== "GET" && req.url.searchParams.has("access_token")
        ? error(401, "Query tokens are read-only.")
        : undefined,
  },
  {
    name: "token-prefix-accepted",
    rule: "the whole token is compared (issue 11, class 4)",
    expect: "auth.token-variants",
    request: (req, ctx) => {
      const token = presentedToken(req);
      const prefixOf = [...issued(ctx)].find((t) => token !== t && token?.startsWith(t));
      return req.url.pathname.startsWith("/api") && prefixOf
        ? { ...req, headers: { ...req.headers, authorization: `bearer ${prefixOf}` } }
        : undefined;
    },
    response: rememberTokens,
  },
  {
    name: "secret-compared-case-insensitively",
    rule: "the whole client secret is compared, case included (issue 11, class 4)",
    expect: "token.credential-parts",
    request: (req, ctx) => {
      if (!isToken(req)) return undefined;
      const params = form(req);
      const secret = params.get("client_secret") ?? "";
      if (secret === ctx.clientSecret || secret.toLowerCase() !== ctx.clientSecret.toLowerCase())
        return undefined;
      params.set("client_secret", ctx.clientSecret);
      return { ...req, body: params.toString() };
    },
  },
  {
    name: "empty-secret-500",
    rule: "an empty client secret is refused, never a 5xx (issue 11, class 4)",
    expect: "token.credential-parts",
    type: "response.server-error",
    request: (req) =>
      isToken(req) && form(req).get("client_secret") === ""
        ? error(500, "Cannot read properties of undefined")
        : undefined,
  },
  {
    name: "put-answers-old-status",
    rule: "a PUT answers the connection as replaced (strict: spec updateConnection)",
    expect: "lifecycle.put-answer",
    profile: "strict",
    response: (req, res) =>
      req.method === "PUT" && res.status === 200
        ? mapJson(res, (json) => ({ ...(json as Json), status: 1 - Number((json as Json).status) }))
        : undefined,
  },
  {
    name: "new-connection-lists-strangers",
    rule: "the users of a connection carry its strategy, also right after its create (strict)",
    expect: "lifecycle.new-connection-users",
    profile: "strict",
    response: (req, res) => {
      const match = req.method === "GET" ? connectionUsers.exec(pathOf(req)) : null;
      return match?.[1]?.startsWith("mgmtkit-contract-") && res.status === 200
        ? mapJson(res, () => [{ user_id: "adfs|stranger@fabrikam.example" }])
        : undefined;
    },
  },
  {
    name: "token-errors-as-400",
    rule: "token errors use the spec's statuses: 401 invalid_client (strict)",
    expect: "token.spec-errors",
    profile: "strict",
    response: (req, res) =>
      isToken(req) && res.status === 401 ? { ...res, status: 400 } : undefined,
  },
  {
    name: "social-lists-adfs",
    rule: "the social list holds no ADFS user (strict: social is google-oauth2 and windowslive)",
    expect: "users.social-split",
    profile: "strict",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/socialconnections/users" && res.status === 200
        ? mapJson(res, (json) => [
            ...(json as Json[]),
            { user_id: "adfs|intruder@fabrikam.example" },
          ])
        : undefined,
  },
  {
    name: "social-drops-a-user",
    rule: "the social list holds every user of an enabled social connection (strict)",
    expect: "users.social-split",
    profile: "strict",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/socialconnections/users" && res.status === 200
        ? mapJson(res, (json) => (json as Json[]).slice(1))
        : undefined,
  },
  {
    name: "shown-client-secret-changed",
    rule: "options.client_secret, where shown, is the one sent (strict)",
    expect: "connections.client-secret-shown",
    profile: "strict",
    response: (req, res) =>
      (isCreate(req) || (req.method === "GET" && oneConnection.test(pathOf(req)))) &&
      res.status < 300
        ? mapJson(res, (json) => ({
            ...(json as Json),
            options: { ...((json as Json).options as Json), client_secret: "****" },
          }))
        : undefined,
  },
  {
    name: "unauthorized-content-type-twice",
    rule: "Content-Type is a singleton field: one per answer (RFC 9110 sections 5.3 and 8.3)",
    expect: "auth.missing-token",
    type: "response.single-content-type",
    // JSON first, so that a reader of the normalised headers alone sees nothing wrong.
    response: (_req, res) =>
      res.status === 401
        ? {
            ...res,
            headers: {
              ...res.headers,
              "content-type": [String(res.headers["content-type"]), "text/html"],
            },
          }
        : undefined,
  },
);

/** The classes of issue 11 that the generated and stateful phases catch (test/generated-faults.ts). */
faults.push(...generatedFaults);

const BOM = "\uFEFF";
const isConnectionAnswer = (req: ProxyRequest) =>
  req.url.pathname.startsWith("/api/connections") && !isUserList(req);
const freshTicket = () => Math.random().toString(36).slice(2, 12);

/**
 * Faults of the properties issue 23 added (consistency.*, robustness.*), and of a class the
 * generated cases cover under every seed: each a bug a server written elsewhere could have.
 */
faults.push(
  {
    name: "array-create-body-500",
    rule: "a JSON array as a create body is refused with a 4xx, never a server failure, whatever the seed (issue 23)",
    expect: "generated.create-connection",
    type: "response.server-error",
    request: (req) => {
      if (!isCreate(req)) return undefined;
      try {
        return Array.isArray(JSON.parse(req.body))
          ? error(500, "body.name.trim is not a function")
          : undefined;
      } catch {
        return undefined;
      }
    },
  },
  {
    name: "users-listed-twice",
    rule: 'a user list names each user once: user_id is "a unique identifier" (a join that yields a row per identity)',
    expect: "consistency.users-once",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/users" && res.status === 200
        ? mapJson(res, (json) =>
            Array.isArray(json) && json.length > 0 ? [...json, json[0]] : json,
          )
        : undefined,
  },
  {
    // Per list and page, so that it breaks the same pages whatever ran first.
    name: "user-pages-overlap",
    rule: "the pages of a user list name each user once (an offset off by one)",
    expect: "consistency.users-once",
    response: (req, res, ctx) => {
      if (!isUserList(req) || !req.url.searchParams.has("per_page") || res.status !== 200)
        return undefined;
      const last = stateOf(ctx, "last-of-page", () => new Map<string, unknown>());
      const page = Number(req.url.searchParams.get("page") ?? "0");
      const key = (p: number) => `${pathOf(req)} ${req.url.searchParams.get("per_page")} ${p}`;
      return mapJson(res, (json) => {
        if (!Array.isArray(json)) return json;
        if (json.length > 0) last.set(key(page), json.at(-1));
        return page > 0 && last.has(key(page - 1)) ? [last.get(key(page - 1)), ...json] : json;
      });
    },
  },
  {
    name: "provisioning-ticket-per-read",
    rule: "a connection's provisioning_ticket stays the same from one read to the next (a ticket made when asked for)",
    expect: "consistency.connection-fields",
    response: (req, res) =>
      req.method === "GET" && oneConnection.test(pathOf(req)) && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json).provisioning_ticket === undefined
              ? json
              : { ...(json as Json), provisioning_ticket: freshTicket() },
          )
        : undefined,
  },
  {
    name: "list-shows-another-ticket-url",
    rule: "the list shows the provisioning_ticket_url the connection has (a list built from a stale cache of another host)",
    expect: "consistency.connection-fields",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/connections" && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).map((c) =>
              typeof c.provisioning_ticket_url === "string"
                ? { ...c, provisioning_ticket_url: "https://stale.example/p?ticket=old" }
                : c,
            ),
          )
        : undefined,
  },
  {
    name: "one-id-for-every-connection",
    rule: "two live connections never share an id (an id taken from a counter that is never incremented)",
    expect: "consistency.connection-fields",
    response: (req, res) =>
      isConnectionAnswer(req) && res.status < 300
        ? mapJson(res, (json) => {
            const same = (c: unknown) =>
              typeof c === "object" && c !== null && "id" in c ? { ...c, id: "con_1" } : c;
            if (req.method === "DELETE") return { ...(json as Json), removed: "con_1" };
            return Array.isArray(json) ? json.map(same) : same(json);
          })
        : undefined,
  },
  {
    name: "patch-500",
    rule: "a method the server does not implement is answered with a 4xx or 501, never another server failure",
    expect: "robustness.other-methods",
    request: (req) =>
      req.method === "PATCH"
        ? error(500, "Cannot read properties of undefined (reading 'handler')")
        : undefined,
  },
  {
    name: "patch-without-auth",
    rule: "each API request must include an access token, whatever its method (a PATCH route mounted before the auth middleware)",
    expect: "robustness.other-methods",
    request: (req, ctx) =>
      req.method === "PATCH" && oneConnection.test(pathOf(req))
        ? { ...withToken(req, ctx.token), method: "GET" }
        : undefined,
  },
  {
    name: "head-without-auth",
    rule: "HEAD needs the token GET needs (a framework's automatic HEAD route that skips the auth hook)",
    expect: "robustness.other-methods",
    request: (req, ctx) => (req.method === "HEAD" ? withToken(req, ctx.token) : undefined),
  },
  {
    name: "batch-delete-answered",
    rule: '"Batch operations are not yet supported": DELETE /api/connections is refused, not answered as done',
    expect: "robustness.other-methods",
    request: (req) =>
      req.method === "DELETE" && pathOf(req) === "/api/connections"
        ? answer(200, { removed: [] })
        : undefined,
  },
  {
    name: "token-basic-500",
    rule: "client credentials in HTTP Basic are taken or refused, never a server failure (a parser that expects a bearer token)",
    expect: "robustness.token-basic",
    request: (req) =>
      isToken(req) && req.headers.authorization?.startsWith("Basic ")
        ? error(500, "Cannot read properties of undefined (reading 'split')")
        : undefined,
  },
  {
    name: "token-basic-secret-unchecked",
    rule: "client credentials in HTTP Basic are checked whole (a server that looks the client up and never compares the secret)",
    expect: "robustness.token-basic",
    request: (req, ctx) => {
      const header = isToken(req) ? req.headers.authorization : undefined;
      if (!header?.startsWith("Basic ")) return undefined;
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      if (decodeURIComponent(decoded.split(":")[0] ?? "") !== ctx.clientId) return undefined;
      const params = form(req);
      params.set("client_id", ctx.clientId);
      params.set("client_secret", ctx.clientSecret);
      const { authorization: _, ...headers } = req.headers;
      return { ...req, headers, body: params.toString() };
    },
  },
  {
    name: "byte-order-mark-500",
    rule: "a body that starts with a byte-order mark is taken or refused, never a server failure (JSON.parse outside a try)",
    expect: "robustness.byte-order-mark",
    request: (req) =>
      req.body.startsWith(BOM)
        ? error(500, "Unexpected token '\uFEFF', is not valid JSON")
        : undefined,
  },
  {
    name: "token-twice-500",
    rule: "a token in both the header and the query is taken or refused, never a server failure",
    expect: "robustness.token-twice",
    request: (req) =>
      req.url.pathname.startsWith("/api") &&
      req.headers.authorization &&
      req.url.searchParams.has("access_token")
        ? error(500, "Assertion failed: one token expected")
        : undefined,
  },
  {
    name: "token-twice-agreement-trusted",
    rule: "no token the server never issued lets a request in, even sent twice (a server that takes two matching tokens for proof)",
    expect: "robustness.token-twice",
    request: (req, ctx) => {
      const query = req.url.searchParams.get("access_token");
      const header = req.headers.authorization?.replace(/^\S+\s+/, "");
      return req.url.pathname.startsWith("/api") && query && query === header
        ? withToken(req, ctx.token)
        : undefined;
    },
  },
);
/** The classes mutation testing of the era server found missing (test/mutation-faults.ts). */
faults.push(...mutationFaults);
