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
