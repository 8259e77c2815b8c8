import { answer, jsonOf, type ProxyRequest, type ProxyResponse, withJson } from "./fault-proxy.js";

/** Helpers for faults and variants that read and edit the traffic through the proxy. */

export type Json = Record<string, unknown>;

export const pathOf = (req: ProxyRequest) => req.url.pathname.replace(/(.)\/+$/, "$1");
export const isToken = (req: ProxyRequest) =>
  req.method === "POST" && pathOf(req) === "/oauth/token";
export const isCreate = (req: ProxyRequest) =>
  req.method === "POST" && pathOf(req) === "/api/connections";
export const oneConnection = /^\/api\/connections\/([^/]+)$/;
export const connectionUsers = /^\/api\/connections\/([^/]+)\/users$/;
export const isUserList = (req: ProxyRequest) =>
  req.method === "GET" &&
  (pathOf(req) === "/api/users" ||
    pathOf(req) === "/api/socialconnections/users" ||
    connectionUsers.test(pathOf(req)));
export const form = (req: ProxyRequest) => new URLSearchParams(req.body);
export const bodyOf = (req: ProxyRequest): Json | undefined => {
  try {
    const value = JSON.parse(req.body);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
};
export const error = (status: number, message: string) =>
  answer(status, {
    statusCode: status,
    error:
      {
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        406: "Not Acceptable",
        500: "Internal Server Error",
      }[status] ?? "Error",
    message,
  });
export const echoCreated = (body: Json) =>
  answer(201, {
    id: `con_fault_${Math.random().toString(36).slice(2, 10)}`,
    client_id: "fault",
    ...body,
  });
export const presentedToken = (req: ProxyRequest) => {
  const header = req.headers.authorization;
  if (typeof header === "string") return header.replace(/^\S+\s+/, "");
  return req.url.searchParams.get("access_token") ?? undefined;
};
export const mapJson = (res: ProxyResponse, edit: (json: unknown) => unknown) => {
  const json = jsonOf(res);
  return json === undefined ? res : withJson(res, edit(json));
};

/** The per-server state of a fault at `key`, made by `make` on first use. */
export function stateOf<T>(ctx: { state: Map<string, unknown> }, key: string, make: () => T): T {
  if (!ctx.state.has(key)) ctx.state.set(key, make());
  return ctx.state.get(key) as T;
}

/** The access tokens the server issued, as a fault's response hook saw them. */
export const issued = (ctx: { state: Map<string, unknown> }) =>
  stateOf(ctx, "issued", () => new Set<string>());

/** A response hook that remembers every token the server issues (in `issued`). */
export const rememberTokens = (
  req: ProxyRequest,
  res: ProxyResponse,
  ctx: { state: Map<string, unknown> },
) => {
  if (isToken(req) && res.status === 200) {
    const token = (jsonOf(res) as Json | undefined)?.access_token;
    if (typeof token === "string") issued(ctx).add(token);
  }
  return undefined;
};

/** The request with `token` in its Authorization header and no query token. */
export const withToken = (req: ProxyRequest, token: string): ProxyRequest => {
  const url = new URL(req.url);
  url.searchParams.delete("access_token");
  return { ...req, url, headers: { ...req.headers, authorization: `bearer ${token}` } };
};
