import { afterEach, describe, expect, it } from "vitest";
import {
  ConflictError,
  ConnectionError,
  createManagementClient,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "../src/index.js";
import { backoff, retryAfterMs } from "../src/transport.js";
import {
  adfsConnection,
  apiError,
  json,
  type LocalServer,
  localServer,
} from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Tiny backoff so that a wait the tests observe can only come from Retry-After.
const fast = { accessToken: "test-access-token", retryDelayMs: 1, retryMaxDelayMs: 5 };

/** A server that answers `failures` with the given status first, then 200. */
async function failingFirst(
  failures: number,
  status: number,
  headers: Record<string, string> = {},
  ok: unknown = [adfsConnection],
) {
  let count = 0;
  return localServer((_req, res) => {
    if (count++ < failures) {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(
        JSON.stringify({ statusCode: status, error: "Failure", message: `Attempt ${count}.` }),
      );
    } else {
      json(res, 200, ok);
    }
  });
}

describe("retries", () => {
  it("retries a 503 and answers the 200 that follows", async () => {
    server = await failingFirst(1, 503);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect(server.requests).toHaveLength(2);
  });

  it.each([408, 429, 500, 502, 503, 504])("retries status %i", async (status) => {
    server = await failingFirst(2, status);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [400, "BadRequestError"],
    [404, NotFoundError.name],
    [409, ConflictError.name],
    [413, "PayloadTooLargeError"],
  ])("does not retry status %i", async (status, name) => {
    server = await failingFirst(5, status);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect((error as Error).name).toBe(name);
    expect(server.requests).toHaveLength(1);
  });

  it("stops after maxRetries (default 2) and throws the last answer as an error", async () => {
    server = await failingFirst(10, 503);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(503);
    expect((error as Error).message).toBe(
      "GET /api/connections failed: 503 Service Unavailable (Attempt 3.)",
    );
    expect(server.requests).toHaveLength(3);
  });

  it("honours maxRetries from the client and from the call", async () => {
    server = await failingFirst(10, 500);
    const client = createManagementClient({ baseUrl: server.url, ...fast, maxRetries: 4 });
    await expect(client.connections.list()).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(5);
    await expect(client.connections.list({ maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(6);
  });

  it("waits the Retry-After seconds of a 429 before retrying", async () => {
    server = await failingFirst(1, 429, { "retry-after": "1" });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await client.connections.list();
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    // Without Retry-After the client would come back within a few milliseconds.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("waits until the HTTP date of Retry-After", async () => {
    const when = new Date(Date.now() + 2000).toUTCString();
    server = await failingFirst(1, 503, { "retry-after": when });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await client.connections.list();
    const [first, second] = server.requests;
    // HTTP dates have whole seconds, so the wait is between one and two seconds.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("backs off as usual after a negative Retry-After, instead of retrying at once", async () => {
    server = await failingFirst(1, 503, { "retry-after": "-5" });
    const lines: string[] = [];
    const logger = { debug() {}, info() {}, warn: (l: string) => lines.push(l), error() {} };
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      retryDelayMs: 400,
      logger,
    });
    await client.connections.list();
    expect(server.requests).toHaveLength(2);
    const [line] = lines;
    const wait = Number(/retrying in (\d+) ms/.exec(line ?? "")?.[1]);
    // The first backoff is 400 ms less up to 25% jitter; a negative Retry-After would make it 0.
    expect(wait).toBeGreaterThanOrEqual(300);
    expect(wait).toBeLessThanOrEqual(400);
  });

  it("fails at once when Retry-After asks for longer than maxRetryAfterMs", async () => {
    server = await failingFirst(1, 429, { "retry-after": "120" });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get("retry-after")).toBe("120");
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["PUT", (c: Client) => c.connections.update("acme-adfs", adfsConnection as never)],
    ["DELETE", (c: Client) => c.connections.delete("acme-adfs")],
    ["GET", (c: Client) => c.connections.get("acme-adfs")],
  ])("retries %s by default", async (method, call) => {
    server = await failingFirst(1, 503, {}, adfsConnection);
    await call(createManagementClient({ baseUrl: server.url, ...fast }));
    expect(server.requests.map((r) => r.method)).toEqual([method, method]);
  });

  it("resends the same body on each attempt of a PUT", async () => {
    server = await failingFirst(2, 502, {}, adfsConnection);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await client.connections.update("acme-adfs", adfsConnection as never);
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([
      adfsConnection,
      adfsConnection,
      adfsConnection,
    ]);
    expect(server.requests[2]?.headers["content-type"]).toBe("application/json");
  });

  it("does not retry a POST unless the caller opts in", async () => {
    server = await failingFirst(1, 503, {}, adfsConnection);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await expect(client.connections.create(adfsConnection as never)).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(1);

    expect(await client.connections.create(adfsConnection as never, { retryPost: true })).toEqual(
      adfsConnection,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("retries POSTs for every call when the client sets retryPost", async () => {
    server = await failingFirst(1, 500, {}, adfsConnection);
    const client = createManagementClient({ baseUrl: server.url, ...fast, retryPost: true });
    await client.connections.create(adfsConnection as never);
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(JSON.parse(server.requests[1]?.body ?? "")).toEqual(adfsConnection);
  });

  it("retries a connection reset and answers the 200 that follows", async () => {
    let count = 0;
    server = await localServer((_req, res) => {
      if (count++ === 0) res.socket?.destroy();
      else json(res, 200, [adfsConnection]);
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect(server.requests).toHaveLength(2);
  });

  it("throws ConnectionError with the cause when every attempt is reset", async () => {
    server = await localServer((_req, res) => {
      res.socket?.destroy();
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(
      /^GET \/api\/connections failed: no answer from the server \(.+\)\.$/,
    );
    expect((error as Error).cause).toBeDefined();
    expect(server.requests).toHaveLength(3);
  });

  it("throws ConnectionError when nothing listens", async () => {
    server = await localServer(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    const client = createManagementClient({ baseUrl: url, ...fast, maxRetries: 1 });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(
      "GET /api/connections failed: no answer from the server (ECONNREFUSED).",
    );
  });

  it("does not retry a POST after a connection reset unless the caller opts in", async () => {
    server = await localServer((_req, res) => {
      res.socket?.destroy();
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await expect(client.connections.create(adfsConnection as never)).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a retried DELETE with NotFoundError when the first attempt deleted it but its answer was lost", async () => {
    let exists = true;
    server = await localServer((_req, res) => {
      if (exists) {
        exists = false;
        res.socket?.destroy();
      } else apiError(res, 404, "Not Found", 'No connection named "acme-adfs".');
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await expect(client.connections.delete("acme-adfs")).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(exists).toBe(false);
  });

  it("retries the token request like a GET", async () => {
    let count = 0;
    server = await localServer((req, res) => {
      if (req.url === "/oauth/token") {
        if (count++ === 0) apiError(res, 503, "Service Unavailable", "Try again.");
        else json(res, 200, { access_token: "fresh", token_type: "bearer" });
      } else json(res, 200, []);
    });
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "secret",
      retryDelayMs: 1,
    });
    await client.connections.list();
    expect(server.to("/oauth/token")).toHaveLength(2);
    expect(server.to("/api/connections")[0]?.headers.authorization).toBe("Bearer fresh");
  });
});

type Client = ReturnType<typeof createManagementClient>;

describe("retryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["absent", null, undefined],
    ["seconds", "3", 3000],
    ["fractional seconds", "0.5", 500],
    ["zero", "0", 0],
    ["an HTTP date", "Thu, 01 Jan 2026 00:00:05 GMT", 5000],
    ["a past date", "Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["garbage", "soon", undefined],
    ["negative seconds", "-5", undefined],
    ["negative fractional seconds", "-0.5", undefined],
    ["a date without letters, not an HTTP date", "2026-01-01", undefined],
  ])("reads %s", (_name, given, want) => {
    expect(retryAfterMs(given, now)).toBe(want);
  });
});

describe("backoff", () => {
  it.each([
    ["the first retry", 0, 500],
    ["the second retry", 1, 1000],
    ["the third retry", 2, 2000],
    ["a late retry, capped", 6, 8000],
  ])("before %s, waits three quarters to all of the doubled delay", (_name, attempt, full) => {
    const waits = Array.from({ length: 200 }, () => backoff(attempt, 500, 8000));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(full * 0.75);
    expect(Math.max(...waits)).toBeLessThanOrEqual(full);
    // Jitter: the 200 waits are not all the same.
    expect(new Set(waits).size).toBeGreaterThan(1);
  });
});
