import { afterEach, describe, expect, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { createManagementClient, ManagementError } from "../src/index.js";
import { json, type LocalServer, localServer, withTokens } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A fetch that records what it is asked and answers an empty list. */
function recordingFetch() {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response("[]", { headers: { "content-type": "application/json" } });
  };
  return { calls, fetch };
}

describe("createManagementClient options", () => {
  it.each([
    ["a namespace", { namespace: "tenant.example" }, "https://tenant.example/api/connections"],
    ["a baseUrl", { baseUrl: "http://127.0.0.1:9/" }, "http://127.0.0.1:9/api/connections"],
    [
      "a baseUrl with a path",
      { baseUrl: "https://t.example/mgmt" },
      "https://t.example/mgmt/api/connections",
    ],
    [
      "a namespace with its scheme",
      { namespace: "https://tenant.example" },
      "https://tenant.example/api/connections",
    ],
    [
      "both (baseUrl wins)",
      { baseUrl: "https://a.example", namespace: "b.example" },
      "https://a.example/api/connections",
    ],
  ])("calls the tenant given by %s", async (_name, given, want) => {
    const { calls, fetch } = recordingFetch();
    const client = createManagementClient({ ...given, accessToken: "test-access-token", fetch });
    await client.connections.list();
    expect(calls.map((c) => c.url)).toEqual([want]);
  });

  it.each([
    ["no tenant", { accessToken: "x" }, "createManagementClient needs baseUrl or namespace."],
    [
      "a baseUrl without a scheme",
      { baseUrl: "tenant.example", accessToken: "x" },
      'baseUrl must be an absolute URL such as https://tenant.example, not "tenant.example".',
    ],
    [
      "no credentials",
      { namespace: "t.example" },
      "createManagementClient needs clientId and clientSecret, or accessToken.",
    ],
    [
      "a client id without a secret",
      { namespace: "t.example", clientId: "id" },
      "createManagementClient needs clientId and clientSecret, or accessToken.",
    ],
  ])("refuses %s in one sentence", (_name, given, message) => {
    expect(() => createManagementClient(given)).toThrow(new ManagementError(message));
  });

  it("sends mgmtkit-sdk/<version> as User-Agent by default, the given one, or none", async () => {
    server = await localServer((_req, res) => json(res, 200, []));
    const base = { baseUrl: server.url, accessToken: "test-access-token" };
    await createManagementClient(base).connections.list();
    await createManagementClient({ ...base, userAgent: "acme-sync/2.1" }).connections.list();
    await createManagementClient({ ...base, userAgent: false }).connections.list();
    const sent = server.requests.map((r) => r.headers["user-agent"]);
    expect(sent.slice(0, 2)).toEqual([`mgmtkit-sdk/${pkg.version}`, "acme-sync/2.1"]);
    // Without one the runtime's own (Node's fetch says "node") goes out.
    expect(sent[2]).not.toMatch(/mgmtkit|acme/);
  });

  it("sends the client's headers on the token request too, but not the call's", async () => {
    server = await localServer(withTokens((_req, res) => json(res, 200, [])));
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "secret",
      headers: { "x-team": "identity" },
    });
    await client.connections.list({ headers: { "x-trace": "call" } });
    const [token, list] = server.requests;
    expect(token?.url).toBe("/oauth/token");
    expect(token?.headers["x-team"]).toBe("identity");
    expect(token?.headers["x-trace"]).toBeUndefined();
    expect(list?.headers).toMatchObject({ "x-team": "identity", "x-trace": "call" });
  });

  it("asks for JSON on every request, unless the caller asks otherwise through raw", async () => {
    server = await localServer(withTokens((_req, res) => json(res, 200, [])));
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "s",
    });
    await client.connections.list();
    await client.raw.GET("/api/connections");
    await client.raw.GET("/api/connections", { headers: { accept: "application/problem+json" } });
    expect(server.requests.map((r) => r.headers.accept)).toEqual([
      "application/json",
      "application/json",
      "application/json",
      "application/problem+json",
    ]);
  });

  it("adds the client's headers and the call's headers; the call's win", async () => {
    server = await localServer((_req, res) => json(res, 200, []));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      headers: { "x-team": "identity", "x-trace": "client" },
    });
    await client.connections.list({ headers: { "x-trace": "call" } });
    expect(server.requests[0]?.headers).toMatchObject({ "x-team": "identity", "x-trace": "call" });
  });

  it("looks up globalThis.fetch on each call when no fetch is given", async () => {
    const { calls, fetch } = recordingFetch();
    const client = createManagementClient({
      namespace: "t.example",
      accessToken: "test-access-token",
    });
    const original = globalThis.fetch;
    globalThis.fetch = fetch as typeof globalThis.fetch;
    try {
      await client.connections.list();
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toHaveLength(1);
  });

  it("exposes the typed openapi-fetch client as raw, with the same token", async () => {
    server = await localServer((_req, res) => json(res, 200, { removed: "con_1" }));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const { data, response } = await client.raw.DELETE("/api/connections/{connectionName}", {
      params: { path: { connectionName: "acme" } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ removed: "con_1" });
    expect(server.requests[0]).toMatchObject({
      method: "DELETE",
      url: "/api/connections/acme",
      headers: { authorization: "Bearer test-access-token" },
    });
  });

  it("encodes connection names in paths", async () => {
    const { calls, fetch } = recordingFetch();
    const client = createManagementClient({
      namespace: "t.example",
      accessToken: "test-access-token",
      fetch,
    });
    await client.connections.get("a b/c").catch(() => {});
    await client.users.listByConnection("a b/c");
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual([
      "/api/connections/a%20b%2Fc",
      "/api/connections/a%20b%2Fc/users",
    ]);
  });
});
