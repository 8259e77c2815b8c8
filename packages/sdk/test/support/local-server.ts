import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getOperation } from "@mgmtkit/spec/model";
import type { Connection } from "../../src/index.js";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

export type Handler = (
  req: SeenRequest,
  res: ServerResponse,
  raw: IncomingMessage,
) => void | Promise<void>;

export interface LocalServer {
  url: string;
  requests: SeenRequest[];
  /** Requests to one path (query ignored). */
  to(path: string): SeenRequest[];
  close(): Promise<void>;
}

/**
 * A small HTTP server on a loopback address (127.0.0.1 unless given; 127.0.0.2 makes a second
 * origin) and a free port that records every request it gets.
 */
export async function localServer(handler: Handler, host = "127.0.0.1"): Promise<LocalServer> {
  const requests: SeenRequest[] = [];
  const server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: raw.method ?? "",
      url: raw.url ?? "",
      headers: raw.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    requests.push(seen);
    await handler(seen, res, raw);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.url.split("?")[0] === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The /api error body of the spec. */
export function apiError(res: ServerResponse, status: number, error: string, message: string) {
  json(res, status, { statusCode: status, error, message });
}

/** Answers the token endpoint with `tok-1`, `tok-2`, … and lets `api` handle the rest. */
export function withTokens(
  api: Handler,
  options: { delayMs?: number; expiresIn?: number } = {},
): Handler & { issued: string[] } {
  const issued: string[] = [];
  const handler = async (req: SeenRequest, res: ServerResponse, raw: IncomingMessage) => {
    if (req.url === "/oauth/token") {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const token = `tok-${issued.length + 1}`;
      issued.push(token);
      json(res, 200, {
        access_token: token,
        token_type: "bearer",
        ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
      });
      return;
    }
    await api(req, res, raw);
  };
  return Object.assign(handler, { issued });
}

/** A stored adfs connection as a server answers it: the spec's own example of the list answer. */
const listed = getOperation("listConnections").responseFor(200)?.json?.examples[0]?.value;
export const adfsConnection = (listed as Connection[]).find(
  (c) => c.strategy === "adfs",
) as Connection;
