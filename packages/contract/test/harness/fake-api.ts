import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  provisionedStrategies,
  type Strategy,
  socialStrategies,
  strategies,
} from "@mgmtkit/spec/model";

/**
 * A tiny in-memory Management API on node:http, for the checks' unit tests: it follows the spec
 * closely enough to pass every check of both profiles, and a test breaks one behaviour at a time
 * through `Script` hooks. It is no reference server: no durability, no concurrency care, no
 * validation beyond what the checks probe.
 */

export interface FakeRequest {
  method: string;
  /** Path without a trailing slash (the document's URLs end in one). */
  path: string;
  /** The path as sent. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  /** Serialised as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** How a test breaks the fake: answer a request itself, or rewrite the fake's answer. */
export interface Script {
  request?(req: FakeRequest): FakeResponse | undefined;
  response?(req: FakeRequest, res: FakeResponse): FakeResponse | undefined;
}

export interface FakeApi {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Every request the fake received, in order. */
  requests: FakeRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const known = (strategy: unknown): strategy is Strategy =>
  strategies.includes(strategy as Strategy);
const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  409: "Conflict",
  415: "Unsupported Media Type",
};
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/;

const error = (status: number, message: string): FakeResponse => ({
  status,
  json: { statusCode: status, error: REASONS[status] ?? "Error", message },
});
const oauthError = (status: number, code: string): FakeResponse => ({
  status,
  json: { error: code, error_description: code },
});
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function seedUsers(): Map<string, Json[]> {
  const user = (strategy: string, id: string, connection: string): Json => ({
    _id: `${strategy}-${id}`,
    email: `${id}@fabrikam.example`,
    family_name: "Fabrikam",
    given_name: id,
    identities: [{ provider: strategy, user_id: id, connection, isSocial: false }],
    issuer: `https://${strategy}.fabrikam.example`,
    lastLogin: "2013-01-15T01:54:30.578Z",
    loginsCount: 3,
    name: `${id} Fabrikam`,
    nickname: id,
    picture: "",
    user_id: `${strategy}|${id}@fabrikam.example`,
  });
  return new Map([
    ["fabrikam-adfs", ["john", "jane", "joe"].map((id) => user("adfs", id, "fabrikam-adfs"))],
    ["fabrikam-google", ["ann", "bob"].map((id) => user("google-oauth2", id, "fabrikam-google"))],
  ]);
}

function page(users: Json[], req: FakeRequest): FakeResponse {
  const perPage = Number(req.query.get("per_page") ?? 0);
  if (!perPage) return { status: 200, json: users };
  const index = Number(req.query.get("page") ?? 0);
  const slice = users.slice(index * perPage, (index + 1) * perPage);
  const more = (index + 1) * perPage < users.length;
  return {
    status: 200,
    json: slice,
    ...(more
      ? { headers: { link: `<${req.path}?per_page=${perPage}&page=${index + 1}>; rel="next"` } }
      : {}),
  };
}

export interface FakeOptions {
  /** The client secret it accepts. Default: `fake-client-secret`. */
  clientSecret?: string;
  /** The n-th access token it issues. Default: `fake-token-<n>`. */
  token?: (n: number) => string;
}

/** Starts the fake on 127.0.0.1 and a free port, broken as `script` says. */
export async function startFakeApi(
  script: Script = {},
  options: FakeOptions = {},
): Promise<FakeApi> {
  const clientId = "fake-client";
  const clientSecret = options.clientSecret ?? "fake-client-secret";
  const tokens = new Set<string>();
  const connections = new Map<string, Json>([
    [
      "fabrikam-adfs",
      {
        id: "con_seed_1",
        client_id: clientId,
        name: "fabrikam-adfs",
        status: 1,
        strategy: "adfs",
        options: { tenant_domain: "fabrikam.example", adfs_server: "https://adfs.example" },
        provisioning_ticket: "t1",
        provisioning_ticket_url: "https://fake.example/p/adfs/t1",
      },
    ],
    [
      "fabrikam-google",
      {
        id: "con_seed_2",
        client_id: clientId,
        name: "fabrikam-google",
        status: 1,
        strategy: "google-oauth2",
        options: { client_id: "g", client_secret: "gs" },
      },
    ],
  ]);
  const users = seedUsers();
  let sequence = 0;
  const requests: FakeRequest[] = [];

  function token(req: FakeRequest): FakeResponse {
    const type = String(req.headers["content-type"] ?? "");
    let params: Json;
    if (type.startsWith("application/x-www-form-urlencoded")) {
      params = Object.fromEntries(new URLSearchParams(req.body));
    } else if (type.startsWith("application/json")) {
      try {
        params = JSON.parse(req.body);
      } catch {
        return oauthError(400, "invalid_request");
      }
    } else {
      return error(415, "Send the form as application/x-www-form-urlencoded.");
    }
    if (!params.client_id || !params.client_secret || !params.grant_type)
      return oauthError(400, "invalid_request");
    if (params.grant_type !== "client_credentials")
      return oauthError(400, "unsupported_grant_type");
    if (params.client_id !== clientId || params.client_secret !== clientSecret)
      return oauthError(401, "invalid_client");
    sequence += 1;
    const issued = options.token?.(sequence) ?? `fake-token-${sequence}`;
    tokens.add(issued);
    return { status: 200, json: { access_token: issued, token_type: "bearer" } };
  }

  function authorised(req: FakeRequest): boolean {
    const header = req.headers.authorization;
    const match = typeof header === "string" ? /^bearer\s+(.+)$/i.exec(header) : null;
    const presented = match ? match[1] : (req.query.get("access_token") ?? undefined);
    return presented !== undefined && tokens.has(presented);
  }

  /** A create or replace body as the spec reads it: defaults filled in, unknown fields dropped. */
  function readConnection(
    req: FakeRequest,
    defaults: { status?: number; options?: Json },
  ): { body: Json } | { refusal: FakeResponse } {
    const refuse = (status: number, message: string) => ({ refusal: error(status, message) });
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
      return refuse(415, "Send the body as application/json.");
    let raw: unknown;
    try {
      raw = JSON.parse(req.body);
    } catch {
      return refuse(400, "The body is not valid JSON.");
    }
    if (!isRecord(raw)) return refuse(400, "The body is not an object.");
    const body: Json = { ...defaults };
    for (const key of ["name", "status", "strategy", "options"]) {
      if (key in raw) body[key] = raw[key];
    }
    if (typeof body.name !== "string" || !NAME.test(body.name) || body.name.length > 128)
      return refuse(400, "name is invalid.");
    if (body.status !== 0 && body.status !== 1) return refuse(400, "status must be 0 or 1.");
    if (!known(body.strategy)) return refuse(400, "strategy is unknown.");
    if (!isRecord(body.options)) return refuse(400, "options must be an object.");
    return { body };
  }

  function api(req: FakeRequest): FakeResponse {
    if (!authorised(req)) return error(401, "An access token is required.");
    if (req.path === "/api/users") return page([...users.values()].flat(), req);
    if (req.path === "/api/socialconnections/users") {
      const social = [...connections.values()]
        .filter((c) => c.status === 1 && socialStrategies.includes(c.strategy as Strategy))
        .flatMap((c) => users.get(String(c.name)) ?? []);
      return page(social, req);
    }
    const usersOf = /^\/api\/connections\/([^/]+)\/users$/.exec(req.path);
    if (usersOf?.[1] && req.method === "GET") {
      const name = decodeURIComponent(usersOf[1]);
      return connections.has(name)
        ? page(users.get(name) ?? [], req)
        : error(404, `No connection named "${name}".`);
    }
    if (req.path === "/api/connections" && req.method === "GET") {
      return { status: 200, json: [...connections.values()] };
    }
    if (req.path === "/api/connections" && req.method === "POST") {
      const read = readConnection(req, { status: 1, options: {} });
      if ("refusal" in read) return read.refusal;
      const { body } = read;
      const name = String(body.name);
      if (connections.has(name)) return error(409, `A connection named "${name}" exists.`);
      const id = `con_${++sequence}`;
      const strategy = String(body.strategy);
      const connection: Json = {
        ...body,
        // The connection belongs to the token's client, whatever the body says: "client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections).
        client_id: clientId,
        id,
        ...(provisionedStrategies.includes(strategy as Strategy)
          ? {
              provisioning_ticket: `t${sequence}`,
              provisioning_ticket_url: `https://fake.example/p/${strategy}/t${sequence}`,
            }
          : {}),
      };
      connections.set(name, JSON.parse(JSON.stringify(connection)));
      return { status: 201, json: connections.get(name) };
    }
    const one = /^\/api\/connections\/([^/]+)$/.exec(req.path);
    if (!one?.[1]) return error(404, "No such route.");
    const name = decodeURIComponent(one[1]);
    const current = connections.get(name);
    if (req.method === "GET") {
      return current ? { status: 200, json: current } : error(404, `No connection "${name}".`);
    }
    if (req.method === "DELETE") {
      if (!current) return error(404, `No connection "${name}".`);
      connections.delete(name);
      return { status: 200, json: { removed: current.id } };
    }
    if (req.method === "PUT") {
      const read = readConnection(req, {});
      if ("refusal" in read) return read.refusal;
      const { body } = read;
      if (!current) return error(404, `No connection "${name}".`);
      if (body.name !== name) return error(400, "The name cannot change.");
      if (body.strategy !== current.strategy) return error(400, "The strategy cannot change.");
      const replaced = {
        ...body,
        client_id: clientId,
        id: current.id,
        ...(current.provisioning_ticket === undefined
          ? {}
          : {
              provisioning_ticket: current.provisioning_ticket,
              provisioning_ticket_url: current.provisioning_ticket_url,
            }),
      };
      connections.set(name, JSON.parse(JSON.stringify(replaced)));
      return { status: 200, json: connections.get(name) };
    }
    return error(404, "No such route.");
  }

  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", "http://fake.invalid");
    const req: FakeRequest = {
      method: incoming.method ?? "GET",
      path: url.pathname.replace(/(.)\/+$/, "$1"),
      rawPath: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(req);
    let res: FakeResponse;
    try {
      res =
        script.request?.(req) ??
        (req.method === "POST" && req.path === "/oauth/token" ? token(req) : api(req));
    } catch (failure) {
      // A name that is not valid percent-encoding names no connection.
      if (!(failure instanceof URIError)) throw failure;
      res = error(400, "The path is not valid percent-encoding.");
    }
    res = script.response?.(req, res) ?? res;
    const text = res.raw ?? JSON.stringify(res.json);
    // A script's own Content-Length stands: one longer than the body is an answer cut short.
    outgoing.writeHead(res.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(text)),
      ...res.headers,
    });
    outgoing.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request body as JSON, or undefined. */
export function jsonOf(req: FakeRequest): Json | undefined {
  try {
    const value = JSON.parse(req.body);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A script that answers the requests `test` selects itself. */
export function when(
  test: (req: FakeRequest) => boolean,
  answer: FakeResponse | ((req: FakeRequest) => FakeResponse),
): Script {
  return {
    request: (req) =>
      test(req) ? (typeof answer === "function" ? answer(req) : answer) : undefined,
  };
}

/** A script that rewrites the JSON of the fake's answers to the requests `test` selects. */
export function rewrite(
  test: (req: FakeRequest, res: FakeResponse) => boolean,
  edit: (json: unknown, req: FakeRequest) => unknown,
): Script {
  return {
    response: (req, res) => (test(req, res) ? { ...res, json: edit(res.json, req) } : undefined),
  };
}

export const isToken = (req: FakeRequest) => req.method === "POST" && req.path === "/oauth/token";
export const isCreate = (req: FakeRequest) =>
  req.method === "POST" && req.path === "/api/connections";
/** A create the server accepted: for rewriting its answer. */
export const isCreated = (req: FakeRequest, res: { status: number }) =>
  isCreate(req) && res.status < 300;
export const isOne = (req: FakeRequest) => /^\/api\/connections\/[^/]+$/.test(req.path);
export { error as errorAnswer };
