import { createHash } from "node:crypto";
import { answer, type FaultHooks, jsonOf, type ProxyRequest } from "./fault-proxy.js";
import {
  bodyOf,
  connectionUsers,
  error,
  isCreate,
  isToken,
  isUserList,
  type Json,
  mapJson,
  oneConnection,
  pathOf,
  stateOf,
} from "./traffic.js";

/** A server that makes a choice the spec leaves open: it must pass every check, strict included. */
export interface Variant extends FaultHooks {
  name: string;
  /** What the spec allows. */
  allowance: string;
  /** The open point of `@mgmtkit/contract` it settles, if any. */
  openPoint?: string;
}

/**
 * A server that reads a point the document leaves open otherwise than the spec does: it must
 * pass every core check (strict may fail it, as it checks the spec's own choice).
 */
export interface LenientServer extends FaultHooks {
  name: string;
  /** The open point of `@mgmtkit/contract` it reads otherwise (or those, when it reads several). */
  openPoint: string | readonly string[];
  /** Its reading, in a few words. */
  reading: string;
  /** The item of the spec audit (issue 19) whose stricter reading it takes, if any. */
  audit?: number;
}

export const specVariants: Variant[] = [
  {
    name: "create-answers-200",
    allowance: "a successful create answers 200 or 201 (spec quirk 8)",
    openPoint: "create.success-status",
    response: (req, res) =>
      isCreate(req) && res.status === 201 ? { ...res, status: 200 } : undefined,
  },
  {
    name: "extra-properties-everywhere",
    allowance: "answers may carry properties the spec does not list",
    response: (_req, res) =>
      mapJson(res, (json) => {
        const extra = (value: unknown) =>
          typeof value === "object" && value !== null && !Array.isArray(value)
            ? { ...value, x_vendor: { note: "extra" } }
            : value;
        return Array.isArray(json) ? json.map(extra) : extra(json);
      }),
  },
  {
    name: "pagination-ignored",
    openPoint: "users.pagination",
    allowance: "a server may ignore per_page and page and answer the whole list (spec quirk 14)",
    request: (req) => {
      if (!isUserList(req)) return undefined;
      const url = new URL(req.url);
      url.searchParams.delete("per_page");
      url.searchParams.delete("page");
      return { ...req, url };
    },
  },
  {
    name: "token-type-capitalized",
    allowance: "token_type is compared case-insensitively; expires_in may be absent",
    response: (req, res) =>
      isToken(req) && res.status === 200
        ? mapJson(res, (json) => {
            const { expires_in: _, ...rest } = json as Json;
            return { ...rest, token_type: "Bearer" };
          })
        : undefined,
  },
  {
    name: "client-secret-withheld",
    openPoint: "connection.client-secret",
    allowance:
      "options typically contain what was entered; none is required in answers (line 88; spec quirk 10)",
    response: (req, res) =>
      req.url.pathname.startsWith("/api/connections") && !req.url.pathname.endsWith("/users")
        ? mapJson(res, (json) => {
            const hide = (value: unknown) => {
              if (typeof value !== "object" || value === null || !("options" in value))
                return value;
              const { client_secret: _, ...options } = (value as { options: Json }).options;
              return { ...value, options };
            };
            return Array.isArray(json) ? json.map(hide) : hide(json);
          })
        : undefined,
  },
  {
    name: "json-without-charset",
    allowance: "application/json with or without a charset parameter",
    response: (_req, res) =>
      String(res.headers["content-type"]).startsWith("application/json")
        ? { ...res, headers: { ...res.headers, "content-type": "application/json" } }
        : undefined,
  },
];

const api = (req: ProxyRequest) => req.url.pathname.startsWith("/api");
const isPut = (req: ProxyRequest) => req.method === "PUT" && oneConnection.test(pathOf(req));
const isGetOne = (req: ProxyRequest) => req.method === "GET" && oneConnection.test(pathOf(req));
const isList = (req: ProxyRequest) => req.method === "GET" && pathOf(req) === "/api/connections";
const CONNECTION_FIELDS = ["id", "client_id", "name", "status", "strategy", "options"];
const PROVISIONING = ["provisioning_ticket", "provisioning_ticket_url"];
const withBody = (req: ProxyRequest, body: Json): ProxyRequest => ({
  ...req,
  body: JSON.stringify(body),
});
/** Applies `edit` to every connection object of a connections answer. */
const eachConnection = (json: unknown, edit: (connection: Json) => Json): unknown =>
  Array.isArray(json)
    ? json.map((item) => (typeof item === "object" && item !== null ? edit(item as Json) : item))
    : typeof json === "object" && json !== null && "strategy" in json
      ? edit(json as Json)
      : json;
const connectionAnswer = (req: ProxyRequest) =>
  api(req) && !isUserList(req) && req.method !== "DELETE";

/** The names a strict upstream refuses, kept for it under a name it accepts. */
const VALID_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
function upstreamName(name: string, names: Map<string, string>): string {
  if (VALID_NAME.test(name) && name.length <= 128) return name;
  const kept = `odd-${createHash("sha256").update(name).digest("hex").slice(0, 24)}`;
  names.set(kept, name);
  return kept;
}
function namesOf(state: Map<string, unknown>): Map<string, string> {
  let names = state.get("names") as Map<string, string> | undefined;
  if (!names) {
    names = new Map();
    state.set("names", names);
  }
  return names;
}
function originalNames(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => originalNames(item, names));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      (key === "name" || key === "connection") && typeof item === "string" && names.has(item)
        ? names.get(item)
        : originalNames(item, names),
    ]),
  );
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The options a request sent, kept by the request the proxy forwarded in their place. */
const sentOptions = new WeakMap<ProxyRequest, { name: string; options: Json }>();

/** The connection name a create or replace addresses: the body's, or the path's for a replace. */
function addressed(req: ProxyRequest, body: Json): string | undefined {
  const path = oneConnection.exec(pathOf(req));
  if (path?.[1]) {
    try {
      return decodeURIComponent(path[1]);
    } catch {
      return undefined;
    }
  }
  return typeof body.name === "string" ? body.name : undefined;
}

/** The connection objects of an answer with `edit` applied to those `stored` holds options for. */
const withStoredOptions = (json: unknown, stored: Map<string, Json>) =>
  eachConnection(json, (connection) =>
    typeof connection.name === "string" && stored.has(connection.name)
      ? { ...connection, options: stored.get(connection.name) }
      : connection,
  );

/**
 * One server that reads several open points otherwise, each as `parts` says: their request hooks
 * in turn until one answers, then their response hooks in turn.
 */
function combined(name: string, reading: string, parts: LenientServer[]): LenientServer {
  return {
    name,
    reading,
    openPoint: parts.flatMap((part) => [part.openPoint].flat()),
    request: (req, ctx) => {
      let current = req;
      for (const part of parts) {
        const next = part.request?.(current, ctx);
        if (next === undefined) continue;
        if (!("url" in next)) return next;
        current = next;
      }
      return current === req ? undefined : current;
    },
    response: (req, res, ctx) => {
      let current = res;
      for (const part of parts) {
        const next = part.response?.(req, current, ctx);
        if (next === undefined) continue;
        if (!("body" in next)) return next;
        current = next;
      }
      return current === res ? undefined : current;
    },
  };
}

export const lenientServers: LenientServer[] = [
  {
    name: "token-errors-as-400",
    openPoint: "token.error-status",
    reading: "RFC 6749's default: a client authenticating in the body gets 400 invalid_client",
    audit: 7,
    response: (req, res) =>
      isToken(req) && res.status === 401 ? { ...res, status: 400 } : undefined,
  },
  {
    name: "other-grant-as-invalid-grant",
    openPoint: "token.other-grant",
    reading: "the password grant exists, and made-up user credentials are an invalid_grant",
    response: (req, res) =>
      isToken(req) && (jsonOf(res) as Json | undefined)?.error === "unsupported_grant_type"
        ? answer(400, { error: "invalid_grant", error_description: "Wrong user credentials." })
        : undefined,
  },
  {
    name: "errors-without-body",
    openPoint: "errors.body",
    reading: "an error is its status alone: no body, no Content-Type",
    response: (req, res) =>
      api(req) && res.status >= 400 ? { status: res.status, headers: {}, body: "" } : undefined,
  },
  {
    name: "errors-of-another-shape",
    openPoint: "errors.body",
    reading: "errors are JSON of the server's own shape",
    response: (req, res) =>
      api(req) && res.status >= 400
        ? answer(res.status, { msg: "refused", code: res.status })
        : undefined,
  },
  {
    name: "refusals-as-422",
    openPoint: "errors.refusal-status",
    reading: "a body the server cannot use is 422 Unprocessable Content",
    response: (req, res) => (api(req) && res.status === 400 ? { ...res, status: 422 } : undefined),
  },
  {
    name: "duplicates-as-400",
    openPoint: "errors.refusal-status",
    reading: "a duplicate name is one more bad request",
    response: (req, res) =>
      isCreate(req) && res.status === 409 ? { ...res, status: 400 } : undefined,
  },
  {
    name: "status-required",
    openPoint: "create.status-omitted",
    reading: "a create must carry status",
    audit: 1,
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && !("status" in body) ? error(400, "status is required.") : undefined;
    },
  },
  {
    name: "status-defaulted",
    openPoint: "create.status-omitted",
    reading: "a create without status makes an active connection",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && !("status" in body) ? withBody(req, { ...body, status: 1 }) : undefined;
    },
  },
  {
    name: "options-required",
    openPoint: "create.options-omitted",
    reading: "a create must carry options",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && !("options" in body) ? error(400, "options is required.") : undefined;
    },
  },
  {
    name: "options-defaulted",
    openPoint: "create.options-omitted",
    reading: "a create without options gets placeholder settings, to be filled in later",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && !("options" in body)
        ? withBody(req, {
            ...body,
            options: {
              client_id: "to-be-set",
              client_secret: "to-be-set",
              tenant_domain: "to-be-set.example",
              adfs_server: "https://to-be-set.example/FederationMetadata.xml",
            },
          })
        : undefined;
    },
  },
  {
    name: "essential-option-keys-required",
    openPoint: "create.option-keys",
    reading: "client_id, client_secret and tenant_domain are required where the strategy uses them",
    audit: 2,
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      const options = (body?.options ?? {}) as Json;
      const needs: Record<string, string[]> = {
        adfs: ["tenant_domain"],
        "google-apps": ["client_id", "client_secret", "tenant_domain"],
        "google-oauth2": ["client_id", "client_secret"],
        office365: ["client_id", "client_secret", "tenant_domain"],
        windowslive: ["client_id", "client_secret"],
      };
      const missing = (needs[String(body?.strategy)] ?? []).filter((key) => !options[key]);
      return body && typeof body.options === "object" && missing.length > 0
        ? error(400, `options.${missing[0]} is required.`)
        : undefined;
    },
  },
  {
    name: "unknown-fields-refused",
    openPoint: "create.unknown-fields",
    reading: "a field the server does not know is refused",
    request: (req) => {
      const body = isCreate(req) || isPut(req) ? bodyOf(req) : undefined;
      const unknown = Object.keys(body ?? {}).filter(
        (key) => !CONNECTION_FIELDS.includes(key) && !PROVISIONING.includes(key),
      );
      return unknown.length > 0 ? error(400, `Unknown field ${unknown[0]}.`) : undefined;
    },
  },
  {
    name: "unknown-fields-ignored",
    openPoint: "create.unknown-fields",
    reading: "a field the server does not know is ignored",
    audit: 5,
    request: (req) => {
      const body = isCreate(req) || isPut(req) ? bodyOf(req) : undefined;
      if (!body || Array.isArray(body)) return undefined;
      const known = Object.fromEntries(
        Object.entries(body).filter(
          ([key]) => CONNECTION_FIELDS.includes(key) || PROVISIONING.includes(key),
        ),
      );
      return withBody(req, known);
    },
  },
  {
    name: "ids-only-in-the-create-answer",
    openPoint: "connection.id-shown",
    reading:
      'the list and get objects are those of line 49, without id; only the create answer adds "the entity id"',
    audit: 3,
    response: (req, res) =>
      (isList(req) || isGetOne(req) || isPut(req)) && res.status === 200
        ? mapJson(res, (json) =>
            eachConnection(json, (connection) => {
              const { id: _, ...rest } = connection;
              return rest;
            }),
          )
        : undefined,
  },
  {
    name: "numeric-ids",
    openPoint: "delete.removed",
    reading: "ids are numbers, and removed is the number",
    audit: 4,
    response: (req, res, ctx) => {
      const ids = stateOf(ctx, "ids", () => new Map<unknown, number>());
      const numeric = (id: unknown) => {
        if (!ids.has(id)) ids.set(id, 1000 + ids.size);
        return ids.get(id);
      };
      if (!api(req) || res.status >= 300 || isUserList(req)) return undefined;
      return mapJson(res, (json) => {
        if (req.method === "DELETE")
          return { ...(json as Json), removed: numeric((json as Json).removed) };
        return eachConnection(json, (connection) =>
          "id" in connection ? { ...connection, id: numeric(connection.id) } : connection,
        );
      });
    },
  },
  {
    name: "deleted-as-410",
    openPoint: "delete.gone-status",
    reading: "a deleted connection is Gone",
    request: (req, ctx) => {
      if (req.method === "DELETE" && oneConnection.test(pathOf(req))) {
        stateOf(ctx, "gone", () => new Set<string>()).add(pathOf(req));
      }
      return undefined;
    },
    response: (req, res, ctx) =>
      isGetOne(req) &&
      res.status === 404 &&
      (ctx.state.get("gone") as Set<string> | undefined)?.has(pathOf(req))
        ? { ...res, status: 410 }
        : undefined,
  },
  {
    name: "client-secret-masked",
    openPoint: "connection.client-secret",
    reading: "secrets are shown masked",
    response: (req, res) =>
      connectionAnswer(req) && res.status < 300
        ? mapJson(res, (json) =>
            eachConnection(json, (connection) => {
              const options = connection.options as Json | undefined;
              return options && "client_secret" in options
                ? { ...connection, options: { ...options, client_secret: "********" } }
                : connection;
            }),
          )
        : undefined,
  },
  {
    name: "names-liberal",
    openPoint: "connection.names",
    reading: "names may hold spaces, non-ASCII and astral characters, and run past 128 characters",
    audit: 6,
    request: (req, ctx) => {
      // However liberal, an empty name addresses nothing (GET /api/connections/ is the list).
      if (isCreate(req) && bodyOf(req)?.name === "") return error(400, "name must not be empty.");
      const names = namesOf(ctx.state);
      let next = req;
      const path = /^(\/api\/connections\/)([^/]+)(.*)$/.exec(req.url.pathname);
      if (path) {
        const url = new URL(req.url);
        url.pathname = `${path[1]}${encodeURIComponent(upstreamName(decodeURIComponent(path[2] ?? ""), names))}${path[3]}`;
        next = { ...next, url };
      }
      const body = isCreate(req) || isPut(req) ? bodyOf(req) : undefined;
      if (body && typeof body.name === "string") {
        next = withBody(next, { ...body, name: upstreamName(body.name, names) });
      }
      return next === req ? undefined : next;
    },
    response: (req, res, ctx) =>
      api(req) ? mapJson(res, (json) => originalNames(json, namesOf(ctx.state))) : undefined,
  },
  {
    name: "names-plain-only",
    openPoint: "connection.names",
    reading: "names are lower-case letters, digits and hyphens only",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body && typeof body.name === "string" && !/^[a-z0-9-]+$/.test(body.name)
        ? error(400, "name must be lower-case letters, digits and hyphens.")
        : undefined;
    },
  },
  {
    name: "unknown-connection-users-empty",
    openPoint: "users.unknown-connection",
    reading: "nobody signed in through a connection that does not exist",
    response: (req, res) =>
      req.method === "GET" && connectionUsers.test(pathOf(req)) && res.status === 404
        ? answer(200, [])
        : undefined,
  },
  {
    name: "per-page-refused",
    openPoint: "users.pagination",
    reading: "the document has no per_page: an unknown parameter is refused",
    request: (req) =>
      isUserList(req) && req.url.searchParams.has("per_page")
        ? error(400, "Unknown parameter per_page.")
        : undefined,
  },
  {
    name: "adfs-users-are-social",
    openPoint: "users.social",
    reading: "only the enterprise directories of line 157 are not social: ADFS users are listed",
    // Listed once: on the last page where the server pages (no Link rel="next").
    response: (req, res) =>
      req.method === "GET" &&
      pathOf(req) === "/api/socialconnections/users" &&
      res.status === 200 &&
      !res.headers.link?.includes('rel="next"')
        ? mapJson(res, (json) => [
            ...(json as Json[]),
            {
              _id: "7eb1ae32568910b0f46e981aa99b56556",
              email: "john@fabrikam.com",
              family_name: "Fabrikam",
              given_name: "John",
              identities: [
                {
                  provider: "adfs",
                  user_id: "john@fabrikam.com",
                  connection: "fabrikam-adfs",
                  isSocial: false,
                },
              ],
              issuer: "https://adfs.fabrikam.com/adfs/services/trust",
              lastLogin: "2013-01-15T01:54:30.578Z",
              loginsCount: 13,
              name: "John Fabrikam",
              nickname: "john",
              picture: "",
              user_id: "adfs|john@fabrikam.com",
            },
          ])
        : undefined,
  },
  {
    // As the era's server on a document store: whatever the options hold, they are kept.
    name: "options-stored-as-sent",
    openPoint: "create.option-values",
    reading:
      "options are stored and shown exactly as sent, a value of another type or null included",
    request: (req) => {
      const body = isCreate(req) || isPut(req) ? bodyOf(req) : undefined;
      if (!body || !isObject(body) || !isObject(body.options)) return undefined;
      const name = addressed(req, body);
      if (name === undefined) return undefined;
      // The upstream stores no option; the proxy keeps them, as sent, for the answers.
      const forwarded = withBody(req, { ...body, options: {} });
      sentOptions.set(forwarded, { name, options: body.options });
      return forwarded;
    },
    response: (req, res, ctx) => {
      const stored = stateOf(ctx, "options", () => new Map<string, Json>());
      const sent = sentOptions.get(req);
      if (sent && res.status >= 200 && res.status < 300) stored.set(sent.name, sent.options);
      const deleted = req.method === "DELETE" ? oneConnection.exec(pathOf(req))?.[1] : undefined;
      if (deleted && res.status === 200) stored.delete(decodeURIComponent(deleted));
      return connectionAnswer(req) && res.status < 300
        ? mapJson(res, (json) => withStoredOptions(json, stored))
        : undefined;
    },
  },
  {
    name: "repeated-token-parameters-first-wins",
    openPoint: "token.repeated-parameters",
    reading: "a token parameter sent twice is read as most form parsers do: its first value counts",
    request: (req) => {
      if (!isToken(req) || !String(req.headers["content-type"] ?? "").includes("form")) {
        return undefined;
      }
      const params = new URLSearchParams(req.body);
      const first = new URLSearchParams();
      for (const [name, value] of params) if (!first.has(name)) first.append(name, value);
      return first.toString() === params.toString()
        ? undefined
        : { ...req, body: first.toString() };
    },
  },
  combined(
    "liberal-request-readings",
    "reads each request the document leaves open its own way: loose values taken, any media type read as JSON, a renaming PUT a 409, a PUT answered with what it replaced, a token request read from its form alone",
    [
      {
        name: "loose-values-coerced",
        openPoint: "create.loose-values",
        reading:
          "status true and false are 1 and 0, status null the default, options null or a list none",
        request: (req) => {
          const body = isCreate(req) || isPut(req) ? bodyOf(req) : undefined;
          if (!body || !isObject(body)) return undefined;
          const next: Json = { ...body };
          if (typeof body.status === "boolean") next.status = body.status ? 1 : 0;
          if (body.status === null) delete next.status;
          if (body.options === null || Array.isArray(body.options)) next.options = {};
          return JSON.stringify(next) === JSON.stringify(body) ? undefined : withBody(req, next);
        },
      },

      {
        name: "any-media-type-read-as-json",
        openPoint: "request.media-type",
        reading: "a connection body is read as JSON whatever Content-Type it came with",
        request: (req) => {
          if (!isCreate(req) && !isPut(req)) return undefined;
          if (String(req.headers["content-type"] ?? "").includes("json")) return undefined;
          try {
            JSON.parse(req.body);
          } catch {
            return undefined;
          }
          return { ...req, headers: { ...req.headers, "content-type": "application/json" } };
        },
      },

      {
        name: "fixed-fields-as-409",
        openPoint: "replace.fixed-fields",
        reading: "a PUT that renames a connection or changes its strategy conflicts with it: 409",
        response: (req, res, ctx) => {
          const strategies = stateOf(ctx, "strategies", () => new Map<string, unknown>());
          const body = isPut(req) ? bodyOf(req) : undefined;
          const name = body ? addressed(req, {}) : undefined;
          if (body && name !== undefined && res.status === 400) {
            const known = strategies.get(name);
            const changes = body.name !== name || (known !== undefined && body.strategy !== known);
            return changes ? { ...res, status: 409 } : undefined;
          }
          if (connectionAnswer(req) && res.status < 300) {
            eachConnection(jsonOf(res), (connection) => {
              if (typeof connection.name === "string")
                strategies.set(connection.name, connection.strategy);
              return connection;
            });
          }
          return undefined;
        },
      },

      {
        name: "put-answers-what-was-replaced",
        openPoint: "replace.answer",
        reading: "a PUT answers the connection as it was before the replace",
        response: (req, res, ctx) => {
          const shown = stateOf(ctx, "shown", () => new Map<string, Json>());
          if (!connectionAnswer(req) || res.status >= 300) return undefined;
          const json = jsonOf(res);
          if (isPut(req)) {
            const name = addressed(req, {});
            const before = name === undefined ? undefined : shown.get(name);
            if (name !== undefined && isObject(json)) shown.set(name, json);
            return before ? answer(200, before) : undefined;
          }
          eachConnection(json, (connection) => {
            if (typeof connection.name === "string") shown.set(connection.name, connection);
            return connection;
          });
          return undefined;
        },
      },

      {
        name: "token-form-only",
        openPoint: "token.request-variants",
        reading:
          "the token endpoint reads the form of line 16 only: JSON is 415, unknown parameters 400, and type is not read",
        request: (req) => {
          if (!isToken(req)) return undefined;
          if (String(req.headers["content-type"] ?? "").includes("json")) {
            return error(415, "Send the token request form-encoded.");
          }
          const params = new URLSearchParams(req.body);
          const known = ["client_id", "client_secret", "grant_type", "type"];
          const unknown = [...params.keys()].find((name) => !known.includes(name));
          if (unknown) {
            return answer(400, {
              error: "invalid_request",
              error_description: `Unknown parameter ${unknown}.`,
            });
          }
          if (!params.has("type")) return undefined;
          params.delete("type");
          return { ...req, body: params.toString() };
        },
      },
    ],
  ),
  {
    name: "foreign-client-id-refused",
    openPoint: "client-id.foreign",
    reading: "a create naming another client is refused",
    request: (req, ctx) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      return body?.client_id !== undefined && body.client_id !== ctx.clientId
        ? error(400, "client_id must be your own.")
        : undefined;
    },
  },
  {
    name: "foreign-client-id-ignored",
    openPoint: "client-id.foreign",
    reading:
      "client_id belongs to the server: whatever a create says, the token's client is stored",
    request: (req) => {
      const body = isCreate(req) ? bodyOf(req) : undefined;
      if (!body || !("client_id" in body)) return undefined;
      const { client_id: _, ...rest } = body;
      return withBody(req, rest);
    },
  },
];
