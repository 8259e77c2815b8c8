import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Transport } from "./transport.js";

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
}

function transport(
  baseUrl: string,
  limits: { timeoutMs?: number; maxResponseBytes?: number } = {},
) {
  return new Transport({
    baseUrl,
    timeoutMs: limits.timeoutMs ?? 1000,
    maxResponseBytes: limits.maxResponseBytes ?? 1024,
  });
}

describe("the transport", () => {
  it("sends exactly what the request describes and records the answer", async () => {
    let seen: { url?: string; headers?: Record<string, unknown>; body?: string } = {};
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        seen = { url: req.url, headers: req.headers, body };
        res.writeHead(201, { "content-type": "application/json" });
        res.end('{"ok":true}');
      });
    });
    const t = transport(url);
    t.token = "tok";
    const exchange = await t.send("x.y", {
      method: "POST",
      path: "/api/connections/",
      query: { a: "1" },
      json: { name: "n" },
    });
    t.close();
    expect(seen.url).toBe("/base/api/connections/?a=1");
    expect(seen.headers?.authorization).toBe("bearer tok");
    expect(seen.headers?.["content-type"]).toBe("application/json");
    expect(seen.body).toBe('{"name":"n"}');
    expect(exchange).toMatchObject({
      checkId: "x.y",
      path: "/api/connections/",
      status: 201,
      isJson: true,
      json: { ok: true },
      documented: "201",
    });
    expect(exchange.operation?.id).toBe("createConnection");
  });

  it.each<[string, RequestListener, { timeoutMs?: number; maxResponseBytes?: number }, RegExp]>([
    ["a hang", () => {}, { timeoutMs: 200 }, /did not answer completely within 200 ms/],
    [
      "a body dripping past the deadline",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        const timer = setInterval(() => res.write(" "), 20);
        res.on("close", () => clearInterval(timer));
      },
      { timeoutMs: 200 },
      /did not answer completely within 200 ms/,
    ],
    [
      "a body over the limit",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`"${"x".repeat(5000)}"`);
      },
      { maxResponseBytes: 1000 },
      /sent a body larger than the suite accepts \(1000 bytes\)/,
    ],
    ["a reset", (req) => req.socket.destroy(), {}, /reset the connection/],
  ])("turns %s into a transport error", async (_name, handler, limits, message) => {
    const t = transport(await serve(handler), limits);
    const exchange = await t.send("x", { method: "GET", path: "/api/users" });
    t.close();
    expect(exchange.transportError).toMatch(message);
    expect(exchange.unreachable).toBeUndefined();
  });
});
