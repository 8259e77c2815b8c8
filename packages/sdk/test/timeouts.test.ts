import { afterEach, describe, expect, it } from "vitest";
import { createManagementClient, InternalServerError, TimeoutError } from "../src/index.js";
import { adfsConnection, json, type LocalServer, localServer } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { accessToken: "test-access-token", retryDelayMs: 1, retryMaxDelayMs: 5 };
const never = () => {};

describe("time limits", () => {
  it("abandons a hanging attempt after timeoutMs, retries, then throws TimeoutError", async () => {
    server = await localServer(never);
    // Attempts are counted where they start: an aborted one may never reach a busy server.
    let attempts = 0;
    const client = createManagementClient({
      baseUrl: server.url,
      ...fast,
      timeoutMs: 100,
      fetch: (url, init) => {
        attempts++;
        return fetch(url, init);
      },
    });

    const error = await client.connections.list({ maxRetries: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("GET /api/connections timed out after 100 ms.");
    expect(attempts).toBe(2);
  });

  it("answers when a retry after a hang succeeds", async () => {
    let count = 0;
    server = await localServer((_req, res) => {
      if (count++ > 0) json(res, 200, [adfsConnection]);
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast, timeoutMs: 500 });
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect(server.requests).toHaveLength(2);
  });

  it("counts the body towards the time limit: headers then a stalled body time out", async () => {
    server = await localServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast, timeoutMs: 100 });
    await expect(client.connections.list({ maxRetries: 0 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it("takes the per-call timeoutMs over the client's", async () => {
    server = await localServer(never);
    const client = createManagementClient({ baseUrl: server.url, ...fast, timeoutMs: 60_000 });
    const error = await client.connections
      .get("acme", { timeoutMs: 50, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("GET /api/connections/acme timed out after 50 ms.");
  });

  it("hands fetch a signal only when a time limit or the caller's signal can end the attempt", async () => {
    const signals: (AbortSignal | null | undefined)[] = [];
    const client = createManagementClient({
      baseUrl: "http://tenant.invalid",
      accessToken: "test-access-token",
      fetch: async (_url, init) => {
        signals.push(init?.signal);
        return new Response("[]", { headers: { "content-type": "application/json" } });
      },
    });
    await client.connections.list();
    await client.connections.list({ timeoutMs: 0 });
    await client.connections.list({ timeoutMs: 0, totalTimeoutMs: 1000 });
    await client.connections.list({ timeoutMs: 0, signal: new AbortController().signal });

    expect(signals.map((signal) => signal instanceof AbortSignal)).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });
});

describe("the wait for a token", () => {
  it("counts towards the call's timeoutMs, and the shared token request goes on for the others", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    server = await localServer(async (req, res) => {
      if (req.url === "/oauth/token") {
        await gate;
        json(res, 200, { access_token: "slow-token", token_type: "bearer" });
      } else json(res, 200, []);
    });
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "secret",
      timeoutMs: 60_000,
    });
    const patient = client.connections.list();

    const error = await client.connections
      .list({ timeoutMs: 100, maxRetries: 0 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("GET /api/connections timed out after 100 ms.");
    release();
    expect(await patient).toEqual([]);
    expect(server.to("/oauth/token")).toHaveLength(1);
    expect(server.to("/api/connections")).toHaveLength(1);
  });
});

describe("totalTimeoutMs", () => {
  it("ends a hanging attempt when the whole call's time is up, whatever timeoutMs says", async () => {
    server = await localServer(never);
    const client = createManagementClient({
      baseUrl: server.url,
      ...fast,
      timeoutMs: 60_000,
      maxRetries: 5,
      totalTimeoutMs: 150,
    });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe("GET /api/connections timed out after 150 ms.");
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["the client's", { totalTimeoutMs: 700 }, {}],
    ["the call's", { totalTimeoutMs: 0 }, { totalTimeoutMs: 700 }],
  ])(
    "stops retrying when the next wait would outlast %s deadline",
    async (_name, clientOptions, call) => {
      server = await localServer((_req, res) => {
        res.writeHead(503);
        res.end();
      });
      // Backoffs of 300-400 ms, then 600-800 ms: the second cannot end within 700 ms.
      const client = createManagementClient({
        baseUrl: server.url,
        accessToken: "test-access-token",
        retryDelayMs: 400,
        maxRetries: 5,
        ...clientOptions,
      });
      await expect(client.connections.list(call)).rejects.toBeInstanceOf(InternalServerError);
      expect(server.requests).toHaveLength(2);
    },
  );
});

describe("the caller's signal", () => {
  it("cancels a hanging request and rejects with the signal's reason, without retrying", async () => {
    server = await localServer(never);
    const client = createManagementClient({ baseUrl: server.url, ...fast, timeoutMs: 0 });
    const controller = new AbortController();
    const call = client.connections.list({ signal: controller.signal });
    await waitFor(() => server?.requests.length === 1);
    const reason = new Error("the user closed the page");
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests).toHaveLength(1);
  });

  it("cancels the wait between retries", async () => {
    server = await localServer((_req, res) => {
      res.writeHead(503, { "retry-after": "30" });
      res.end();
    });
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    const controller = new AbortController();
    const call = client.connections.list({ signal: controller.signal });
    await waitFor(() => server?.requests.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const error = await call.catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(server.requests).toHaveLength(1);
  });

  it("rejects at once when the signal is already aborted, sending nothing", async () => {
    server = await localServer(never);
    const client = createManagementClient({ baseUrl: server.url, ...fast });
    await expect(client.connections.list({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("stops waiting for a shared token request without cancelling it for the others", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    server = await localServer(async (req, res) => {
      if (req.url === "/oauth/token") {
        await gate;
        json(res, 200, { access_token: "shared", token_type: "bearer" });
      } else json(res, 200, []);
    });
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "secret",
    });
    const controller = new AbortController();
    const cancelled = client.connections.list({ signal: controller.signal });
    const other = client.connections.list();
    await waitFor(() => server?.requests.length === 1);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: "AbortError" });
    release();
    expect(await other).toEqual([]);
    expect(server.to("/oauth/token")).toHaveLength(1);
    expect(server.to("/api/connections")).toHaveLength(1);
  });

  it("cancels requests made through client.raw", async () => {
    server = await localServer(never);
    const client = createManagementClient({ baseUrl: server.url, ...fast, timeoutMs: 0 });
    const controller = new AbortController();
    const call = client.raw.GET("/api/connections", { signal: controller.signal });
    await waitFor(() => server?.requests.length === 1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}
