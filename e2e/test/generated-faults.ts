import { answer, type ProxyRequest, type ProxyResponse } from "./fault-proxy.js";
import type { Fault } from "./faults.js";
import {
  bodyOf,
  connectionUsers,
  error,
  form,
  isCreate,
  issued,
  isToken,
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
 * Faults no hand-written check was tuned to: each is a bug a server written elsewhere could have,
 * in the four classes of misses of issue 11. The generated cases, the stateful sequences or the
 * cross-endpoint check of the users must catch every one.
 */

const isWrite = (req: ProxyRequest) =>
  (req.method === "POST" || req.method === "PUT") &&
  req.url.pathname.startsWith("/api/connections");
const strings = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : typeof value === "object" && value !== null
        ? Object.values(value).flatMap(strings)
        : [];
/** What a request presents to be let in, exactly as sent: the key of a cache per client. */
const credentialsOf = (req: ProxyRequest) =>
  `${req.headers.authorization ?? ""} ${req.url.searchParams.getAll("access_token").join(" ")}`;
const listCache = (ctx: { state: Map<string, unknown> }) => {
  return stateOf(ctx, "lists", () => new Map<string, { version: number; res: ProxyResponse }>());
};

export const generatedFaults: Fault[] = [
  // Class 1: inputs that crash a server into a 5xx.
  {
    name: "astral-characters-500",
    rule: "a body with characters outside the Basic Multilingual Plane is answered, never with a 5xx (a utf8mb3 column)",
    expect: "generated.create-connection",
    type: "response.server-error",
    request: (req) =>
      isWrite(req) && /[\u{10000}-\u{10FFFF}]/u.test(req.body)
        ? error(500, "Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'options'")
        : undefined,
  },
  {
    name: "long-option-500",
    rule: "an option of more than 255 characters is answered, never with a 5xx (a VARCHAR(255) column)",
    expect: "generated.update-connection",
    type: "response.server-error",
    request: (req) =>
      isWrite(req) && strings(bodyOf(req)?.options).some((s) => s.length > 255)
        ? error(500, "value too long for type character varying(255)")
        : undefined,
  },
  {
    name: "huge-number-500",
    rule: "a number no float holds is refused with a 4xx, never a 5xx (an integer parser that overflows)",
    expect: "generated.create-connection",
    type: "response.server-error",
    request: (req) =>
      isWrite(req) && /[:[,]\s*-?(\d{16,}|\d+(\.\d+)?[eE][+-]?\d{3,})/.test(req.body)
        ? error(500, "integer out of range")
        : undefined,
  },
  {
    name: "null-option-500",
    rule: "an option set to null is answered, never with a 5xx",
    expect: "generated.create-connection",
    type: "response.server-error",
    request: (req) => {
      const options = isCreate(req) ? bodyOf(req)?.options : undefined;
      return typeof options === "object" &&
        options !== null &&
        Object.values(options).some((v) => v === null)
        ? error(500, "Cannot read properties of null (reading 'length')")
        : undefined;
    },
  },
  {
    name: "repeated-query-500",
    rule: "a query parameter given twice is answered, never with a 5xx (a handler that expects one string)",
    expect: "generated.list-connections",
    type: "response.server-error",
    request: (req) => {
      const names = [...req.url.searchParams.keys()];
      return req.method === "GET" && names.length !== new Set(names).size
        ? error(500, "param.trim is not a function")
        : undefined;
    },
  },
  {
    name: "empty-query-value-500",
    rule: "a query parameter without a value is answered, never with a 5xx (a filter parser)",
    expect: "generated.list-social-connection-users",
    type: "response.server-error",
    request: (req) =>
      pathOf(req) === "/api/socialconnections/users" &&
      [...req.url.searchParams.entries()].some(
        ([name, value]) => name !== "access_token" && value === "",
      )
        ? error(500, "Unexpected end of filter expression")
        : undefined,
  },
  {
    name: "non-ascii-users-path-500",
    rule: "the users of a name with non-ASCII characters are answered, never with a 5xx (a path decoder for ASCII only)",
    expect: "generated.list-connection-users",
    type: "response.server-error",
    request: (req) =>
      req.method === "GET" &&
      connectionUsers.test(pathOf(req)) &&
      /%[89A-F][0-9A-F]/i.test(pathOf(req))
        ? error(500, "URI malformed")
        : undefined,
  },
  // Class 2: consistency across endpoints and over time.
  {
    name: "statusless-create-answered-bare",
    rule: "a create answers the connection as sent, its options included, also when it left status to the server (a second code path for the default that builds the answer from scratch)",
    expect: "generated.create-connection",
    profile: "strict",
    response: (req, res) =>
      isCreate(req) && res.status < 300 && bodyOf(req)?.status === undefined
        ? mapJson(res, (json) => ({ ...(json as Json), status: 0, options: {} }))
        : undefined,
  },
  {
    name: "list-keeps-deleted",
    rule: "the list holds no deleted connection (a soft delete the list does not filter)",
    expect: "stateful.connections",
    request: (req, ctx) => {
      const match = req.method === "DELETE" ? oneConnection.exec(pathOf(req)) : null;
      if (match)
        ctx.state.set("deleted", [
          ...((ctx.state.get("deleted") as string[]) ?? []),
          decodeURIComponent(match[1] ?? ""),
        ]);
      if (isCreate(req)) {
        const name = bodyOf(req)?.name;
        ctx.state.set(
          "deleted",
          ((ctx.state.get("deleted") as string[]) ?? []).filter((n) => n !== name),
        );
      }
      return undefined;
    },
    response: (req, res, ctx) =>
      req.method === "GET" && pathOf(req) === "/api/connections" && res.status === 200
        ? mapJson(res, (json) => [
            ...(json as Json[]),
            ...((ctx.state.get("deleted") as string[]) ?? []).map((name) => ({
              id: `con_deleted_${name.length}`,
              client_id: ctx.clientId,
              name,
              status: 1,
              strategy: "adfs",
              options: {},
              provisioning_ticket: "t",
              provisioning_ticket_url: "https://tenant.example/p/t",
            })),
          ])
        : undefined,
  },
  {
    name: "deleted-name-not-reusable",
    rule: "the name of a deleted connection can be created again (a unique index that keeps soft-deleted rows)",
    expect: "stateful.connections",
    request: (req, ctx) => {
      const deleted = (ctx.state.get("deleted") as Set<unknown> | undefined) ?? new Set();
      ctx.state.set("deleted", deleted);
      const match = req.method === "DELETE" ? oneConnection.exec(pathOf(req)) : null;
      if (match) deleted.add(decodeURIComponent(match[1] ?? ""));
      return isCreate(req) && deleted.has(bodyOf(req)?.name)
        ? error(409, "A connection with this name already exists.")
        : undefined;
    },
  },
  {
    name: "list-stale-after-replace",
    rule: "the list shows a connection as last replaced (a list cache that a PUT does not clear)",
    expect: "stateful.connections",
    // Cached per credentials, and only an answer no write overtook on its way: what breaks does not
    // depend on what other checks send meanwhile, only on a PUT leaving the cache stale.
    request: (req, ctx) => {
      const version = (ctx.state.get("version") as number | undefined) ?? 0;
      if (req.method === "POST" || req.method === "DELETE") {
        ctx.state.set("version", version + 1);
        return undefined;
      }
      if (req.method !== "GET" || pathOf(req) !== "/api/connections") return undefined;
      const cached = listCache(ctx).get(credentialsOf(req));
      if (cached?.version === version) return cached.res;
      return { ...req, headers: { ...req.headers, "x-list-version": String(version) } };
    },
    response: (req, res, ctx) => {
      const version = (ctx.state.get("version") as number | undefined) ?? 0;
      if (
        req.method === "GET" &&
        pathOf(req) === "/api/connections" &&
        res.status === 200 &&
        req.headers["x-list-version"] === String(version)
      )
        listCache(ctx).set(credentialsOf(req), { version, res });
      return undefined;
    },
  },
  {
    name: "users-miss-windowslive",
    rule: "GET /api/users holds every user of every connection (a join that leaves out windowslive)",
    expect: "users.cross-endpoint",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/users" && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).filter((u) => !String(u.user_id).startsWith("windowslive|")),
          )
        : undefined,
  },
  {
    name: "social-without-windowslive",
    rule: "the social list holds the users of enabled windowslive connections too (only google-oauth2 taken as social)",
    expect: "users.cross-endpoint",
    response: (req, res) =>
      req.method === "GET" && pathOf(req) === "/api/socialconnections/users" && res.status === 200
        ? mapJson(res, (json) =>
            (json as Json[]).filter((u) => !String(u.user_id).startsWith("windowslive|")),
          )
        : undefined,
  },
  // Class 3: request variants the document allows.
  {
    name: "media-type-case-sensitive",
    rule: "Application/JSON is application/json: media types are case-insensitive (RFC 9110 section 8.3.1)",
    expect: "generated.create-connection",
    request: (req) => {
      const type = req.headers["content-type"];
      return isWrite(req) &&
        typeof type === "string" &&
        /json/i.test(type) &&
        !type.startsWith("application/json")
        ? error(415, "Send application/json.")
        : undefined;
    },
  },
  {
    name: "charset-refused-on-put",
    rule: "a PUT sent as application/json with a charset parameter is a JSON body",
    expect: "generated.update-connection",
    request: (req) =>
      req.method === "PUT" && String(req.headers["content-type"]).includes(";")
        ? error(415, "Unsupported Content-Type.")
        : undefined,
  },
  {
    name: "accept-wildcard-subtype-406",
    rule: "Accept: application/* is answered in JSON, like any Accept header (line 27)",
    expect: "generated.list-users",
    request: (req) =>
      req.headers.accept === "application/*" ? error(406, "Not Acceptable.") : undefined,
  },
  {
    name: "bearer-upper-case-refused",
    rule: "the scheme word is case-insensitive: BEARER is accepted (RFC 7235; spec quirk 7)",
    expect: "generated.get-connection",
    request: (req) =>
      req.headers.authorization?.startsWith("BEARER ") ? error(401, "Unknown scheme.") : undefined,
  },
  {
    name: "token-form-charset-refused",
    rule: "the token form with a charset parameter is the form of line 16",
    expect: "generated.get-access-token",
    request: (req) =>
      isToken(req) && /charset/i.test(String(req.headers["content-type"]))
        ? answer(400, { error: "invalid_request", error_description: "Unsupported content type." })
        : undefined,
  },
  // Class 4: credentials whose parts are not each checked.
  {
    name: "token-prefix-on-writes",
    rule: "the whole access token is compared on every method (a prefix index used for writes)",
    expect: "generated.delete-connection",
    request: (req, ctx) => {
      const token = presentedToken(req);
      if (req.method === "GET" || !req.url.pathname.startsWith("/api") || !token) return undefined;
      const known = [...issued(ctx)].find((t) => token !== t && token.startsWith(t));
      return known ? withToken(req, known) : undefined;
    },
    response: rememberTokens,
  },
  {
    name: "client-secret-trimmed",
    rule: "the client secret is compared as sent, spaces included (a framework that trims form values)",
    expect: "generated.get-access-token",
    request: (req) => {
      if (!isToken(req)) return undefined;
      const params = form(req);
      const secret = params.get("client_secret");
      if (secret === null || secret === secret.trim()) return undefined;
      params.set("client_secret", secret.trim());
      return { ...req, body: params.toString() };
    },
  },
  {
    name: "repeated-secret-last-wins",
    rule: "a token request that gives client_secret twice is refused with 400 invalid_request (strict: open point token.repeated-parameters; core takes the last value)",
    expect: "generated.get-access-token",
    profile: "strict",
    request: (req) => {
      if (!isToken(req)) return undefined;
      const params = form(req);
      const secrets = params.getAll("client_secret");
      if (secrets.length < 2) return undefined;
      params.delete("client_secret");
      params.set("client_secret", secrets.at(-1) as string);
      return { ...req, body: params.toString() };
    },
  },
  {
    name: "client-id-trimmed",
    rule: "the client id is compared as sent (trimmed before the lookup)",
    expect: "generated.get-access-token",
    request: (req) => {
      if (!isToken(req)) return undefined;
      const params = form(req);
      const id = params.get("client_id");
      if (id === null || id === id.trim()) return undefined;
      params.set("client_id", id.trim());
      return { ...req, body: params.toString() };
    },
  },
];
