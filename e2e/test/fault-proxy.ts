import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { accessToken } from "./server.js";

/** A request as the proxy received it. */
export interface ProxyRequest {
  method: string;
  /** Path and query, as sent. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer, from the upstream server or made up by the fault. */
export interface ProxyResponse {
  status: number;
  /** An array value sends the field once per element (a duplicated field, on purpose). */
  headers: Record<string, string | string[]>;
  body: string;
}

/** Transport-level misbehaviour instead of an answer. */
export type Sabotage =
  | { kind: "hang" }
  | { kind: "reset" }
  /** Headers, then one byte every `everyMs`, forever. */
  | { kind: "drip"; everyMs: number }
  /** A 200 JSON answer of this many bytes. */
  | { kind: "huge"; bytes: number };

export interface ProxyContext {
  /** A valid token of the upstream server, obtained directly. */
  token: string;
  clientId: string;
  clientSecret: string;
  /** Per-proxy scratch space for stateful faults. */
  state: Map<string, unknown>;
}

export interface FaultHooks {
  /** Rewrites the request, answers it without upstream, or sabotages the exchange. */
  request?(
    req: ProxyRequest,
    ctx: ProxyContext,
  ): ProxyRequest | ProxyResponse | Sabotage | undefined;
  /** Rewrites the upstream answer, or sabotages the exchange. */
  response?(
    req: ProxyRequest,
    res: ProxyResponse,
    ctx: ProxyContext,
  ): ProxyResponse | Sabotage | undefined;
}

/**
 * A hook that decodes a path which is not valid percent-encoding leaves the exchange alone:
 * the server behind the proxy answers it, as it would without the fault.
 */
function passingUriErrors<T>(hook: () => T): T | undefined {
  try {
    return hook();
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }
}

function isSabotage(value: unknown): value is Sabotage {
  return typeof value === "object" && value !== null && "kind" in value;
}

function isResponse(value: unknown): value is ProxyResponse {
  return typeof value === "object" && value !== null && "status" in value && "body" in value;
}

const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
]);

function sabotage(res: ServerResponse, what: Sabotage, timers: Set<NodeJS.Timeout>): void {
  switch (what.kind) {
    case "hang":
      return;
    case "reset":
      res.socket?.destroy();
      return;
    case "drip": {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const timer = setInterval(() => res.write(" "), what.everyMs);
      timers.add(timer);
      res.on("close", () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    case "huge": {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(what.bytes),
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let left = what.bytes - 2;
      res.write("[");
      const pump = () => {
        while (left > 0) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (!res.write(piece)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end("]");
      };
      res.on("error", () => {});
      pump();
      return;
    }
  }
}

/**
 * An HTTP proxy in front of a black-box server that breaks one rule: the hooks see every
 * request and answer and may rewrite them or misbehave at the transport level.
 */
export async function startFaultProxy(
  upstream: string,
  credentials: { clientId: string; clientSecret: string },
  hooks: FaultHooks,
): Promise<{ url: string; close(): Promise<void> }> {
  const token = await accessToken(upstream, credentials);
  const ctx: ProxyContext = { token, ...credentials, state: new Map() };
  // node:http with keep-alive rather than fetch: the proxy sits in every request of the e2e
  // runs, and fetch costs several times the CPU per request.
  const agent = new Agent({ keepAlive: true });
  const forward = (
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const outgoing = { ...headers };
        if (body !== undefined) outgoing["content-length"] = String(Buffer.byteLength(body));
        const req = httpRequest(url, { method, headers: outgoing, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
      },
    );
  const timers = new Set<NodeJS.Timeout>();
  let self = "";

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let request: ProxyRequest = {
      method: req.method ?? "GET",
      url: new URL(req.url ?? "/", "http://proxy.invalid"),
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    try {
      const early = passingUriErrors(() => hooks.request?.(request, ctx));
      if (isSabotage(early)) return sabotage(res, early, timers);
      let answer: ProxyResponse;
      if (isResponse(early)) {
        answer = early;
      } else {
        if (early) request = early;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (!HOP_BY_HOP.has(name) && typeof value === "string") headers[name] = value;
        }
        const upstreamAnswer = await forward(
          `${upstream}${request.url.pathname}${request.url.search}`,
          request.method,
          headers,
          request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
        );
        const kept: Record<string, string> = {};
        for (const name of ["content-type", "link"]) {
          const value = upstreamAnswer.headers[name];
          // Like any reverse proxy, point absolute links at the proxy rather than the upstream.
          if (typeof value === "string") kept[name] = value.replaceAll(upstream, self);
        }
        answer = {
          status: upstreamAnswer.status,
          headers: kept,
          body: upstreamAnswer.body,
        };
      }
      const late = passingUriErrors(() => hooks.response?.(request, answer, ctx));
      if (isSabotage(late)) return sabotage(res, late, timers);
      if (late) answer = late;
      res.writeHead(answer.status, {
        ...answer.headers,
        "content-length": String(Buffer.byteLength(answer.body)),
      });
      res.end(answer.body);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`fault proxy: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  self = `http://127.0.0.1:${port}`;
  return {
    url: self,
    async close() {
      for (const timer of timers) clearInterval(timer);
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Helpers for faults that edit JSON answers. */
export function jsonOf(res: ProxyResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

export function withJson(res: ProxyResponse, value: unknown, status = res.status): ProxyResponse {
  return {
    status,
    headers: { ...res.headers, "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(value),
  };
}

export function answer(status: number, value: unknown): ProxyResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(value),
  };
}
