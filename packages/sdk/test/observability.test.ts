// What a production caller sees of a call without dropping to raw: withResponse(), the hooks and
// the logger, against a server that fails now and then and echoes what it is sent.
import { afterEach, describe, expect, it } from "vitest";
import {
  type ApiPromise,
  createManagementClient,
  type ManagementError,
  NotFoundError,
  type RequestEvent,
  type ResponseEvent,
} from "../src/index.js";
import {
  adfsConnection,
  apiError,
  json,
  type LocalServer,
  localServer,
  withTokens,
} from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Client = ReturnType<typeof createManagementClient>;

/** A tenant with one connection and two pages of users; each answer names the request it answers. */
async function tenant() {
  server = await localServer(
    withTokens((req, res) => {
      const url = new URL(req.url, "http://x");
      res.setHeader("x-answering", `${req.method} ${req.url}`);
      if (url.pathname === "/api/connections") {
        json(
          res,
          req.method === "POST" ? 201 : 200,
          req.method === "POST" ? adfsConnection : [adfsConnection],
        );
      } else if (url.pathname === "/api/connections/acme-adfs") {
        json(res, 200, req.method === "DELETE" ? { removed: "con_1" } : adfsConnection);
      } else if (url.pathname.endsWith("users")) {
        const page = Number(url.searchParams.get("page") ?? 0);
        const link = page === 0 ? { link: `<${url.pathname}?page=1>; rel="next"` } : {};
        json(res, 200, [{ user_id: `adfs|user${page}` }], link);
      } else apiError(res, 404, "Not Found", "No such thing.");
    }),
  );
  return server;
}

const lastPage = [{ user_id: "adfs|user1" }];
const methods: [string, (c: Client) => ApiPromise<unknown>, string, unknown][] = [
  ["connections.list", (c) => c.connections.list(), "GET /api/connections", [adfsConnection]],
  [
    "connections.get",
    (c) => c.connections.get("acme-adfs"),
    "GET /api/connections/acme-adfs",
    adfsConnection,
  ],
  [
    "connections.create",
    (c) => c.connections.create(adfsConnection as never),
    "POST /api/connections",
    adfsConnection,
  ],
  [
    "connections.update",
    (c) => c.connections.update("acme-adfs", adfsConnection as never),
    "PUT /api/connections/acme-adfs",
    adfsConnection,
  ],
  [
    "connections.delete",
    (c) => c.connections.delete("acme-adfs"),
    "DELETE /api/connections/acme-adfs",
    { removed: "con_1" },
  ],
  ["users.list", (c) => c.users.list(), "GET /api/users?page=1", lastPage],
  [
    "users.listByConnection",
    (c) => c.users.listByConnection("acme-adfs"),
    "GET /api/connections/acme-adfs/users?page=1",
    lastPage,
  ],
  [
    "users.listSocial",
    (c) => c.users.listSocial(),
    "GET /api/socialconnections/users?page=1",
    lastPage,
  ],
];

describe("withResponse()", () => {
  it.each(methods)(
    "of %s answers { data, response }, the response of its last request",
    async (_name, call, last, body) => {
      const { url } = await tenant();
      const client = createManagementClient({ baseUrl: url, clientId: "id", clientSecret: "s" });
      const plain = await call(client);
      const { data, response } = await call(client).withResponse();
      expect(data).toEqual(plain);
      expect(response.ok).toBe(true);
      expect(response.url).toBe(url + last.split(" ")[1]);
      expect(response.headers.get("x-answering")).toBe(last);
      expect(await response.json()).toEqual(body);
    },
  );

  it("rejects as the call does, without an unhandled rejection from the plain promise", async () => {
    const { url } = await tenant();
    const client = createManagementClient({ baseUrl: url, accessToken: "test-access-token" });
    await expect(client.connections.get("missing").withResponse()).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("hooks", () => {
  it("see every attempt of the methods and of raw, pages and retries included, with redacted URLs", async () => {
    let failNext = true;
    server = await localServer((req, res) => {
      if (failNext && req.url.startsWith("/api/users")) {
        failNext = false;
        apiError(res, 503, "Service Unavailable", "Busy.");
      } else if (req.url.startsWith("/api/users?") && !req.url.includes("page=1")) {
        json(res, 200, [{ user_id: "adfs|a" }], { link: '</api/users?page=1>; rel="next"' });
      } else json(res, 200, [{ user_id: "adfs|b" }]);
    });
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "hook-token",
      tokenPlacement: "query",
      retryDelayMs: 1,
      onRequest: (e) => requests.push(e),
      onResponse: (e) => responses.push(e),
    });

    await client.users.list();
    await client.raw.GET("/api/connections");

    const base = server.url;
    expect(requests).toEqual([
      { method: "GET", url: `${base}/api/users`, attempt: 0 },
      { method: "GET", url: `${base}/api/users`, attempt: 1 },
      { method: "GET", url: `${base}/api/users?page=1`, attempt: 0 },
      { method: "GET", url: `${base}/api/connections`, attempt: 0 },
    ]);
    expect(responses.map((e) => [e.url, e.attempt, e.response.status])).toEqual([
      [`${base}/api/users`, 0, 503],
      [`${base}/api/users`, 1, 200],
      [`${base}/api/users?page=1`, 0, 200],
      [`${base}/api/connections`, 0, 200],
    ]);
    expect(responses.every((e) => e.ms >= 0)).toBe(true);
    expect(JSON.stringify(requests)).not.toContain("hook-token");
  });

  it("onError gets every error a call rejects with, from the methods, the pages and raw", async () => {
    server = await localServer((req, res) => {
      if (req.url === "/api/users") {
        json(res, 200, [{ user_id: "adfs|a" }], { link: '<http://127.0.0.2:1/x>; rel="next"' });
      } else apiError(res, 404, "Not Found", "No such thing.");
    });
    const errors: ManagementError[] = [];
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      onError: (e) => errors.push(e),
    });

    const rejections = await Promise.all([
      client.connections.get("missing").catch((e: unknown) => e),
      client.users.list().catch((e: unknown) => e),
      client.connections.get("..").catch((e: unknown) => e),
    ]);
    const { error } = await client.raw.GET("/api/connections/{connectionName}", {
      params: { path: { connectionName: "missing" } },
    });

    // Raw's 404 is an answer, not a rejection: onError hears only of the three rejections.
    expect(errors).toHaveLength(3);
    for (const rejection of rejections) expect(errors).toContain(rejection);
    expect(error).toEqual({ statusCode: 404, error: "Not Found", message: "No such thing." });
  });
});

describe("logger", () => {
  function capture(logLevel?: "debug" | "info" | "warn" | "error" | "off") {
    const lines: string[] = [];
    const logger = {
      debug: (m: string) => lines.push(`debug ${m}`),
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    };
    return { lines, options: logLevel ? { logger, logLevel } : { logger } };
  }

  async function flaky() {
    let count = 0;
    server = await localServer((req, res) => {
      if (req.url === "/oauth/token") json(res, 200, { access_token: "logged-token" });
      else if (count++ === 0) apiError(res, 503, "Service Unavailable", "Busy.");
      else
        apiError(res, 404, "Not Found", `No connection; you sent logged-token and s3cret-value.`);
    });
    return server;
  }

  it.each([
    ["debug", ["debug", "debug", "warn", "debug", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
    ["off", []],
  ] as const)("at level %s logs %j", async (level, levels) => {
    const { url } = await flaky();
    const { lines, options } = capture(level);
    const client = createManagementClient({
      baseUrl: url,
      clientId: "id",
      clientSecret: "s3cret-value",
      tokenPlacement: "query",
      retryDelayMs: 1,
      ...options,
    });
    await client.connections.get("acme").catch(() => {});
    expect(lines.map((l) => l.split(" ")[0])).toEqual(levels);
  });

  it("logs warn and error by default, secrets redacted", async () => {
    const { url } = await flaky();
    const { lines, options } = capture();
    const client = createManagementClient({
      baseUrl: url,
      clientId: "id",
      clientSecret: "s3cret-value",
      tokenPlacement: "query",
      retryDelayMs: 1,
      ...options,
    });
    await client.connections.get("acme").catch(() => {});
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^warn GET ${url}/api/connections/acme answered 503; retrying in \\d+ ms\\.$`),
      ),
      "error GET /api/connections/acme failed: 404 Not Found (No connection; you sent [REDACTED] and [REDACTED].)",
    ]);
  });

  it("redacts the query token from the debug lines", async () => {
    const { url } = await flaky();
    const { lines, options } = capture("debug");
    const client = createManagementClient({
      baseUrl: url,
      accessToken: "logged-token",
      tokenPlacement: "query",
      retryDelayMs: 1,
      ...options,
    });
    await client.connections.get("acme").catch(() => {});
    expect(lines.join("\n")).not.toContain("logged-token");
    expect(lines[0]).toMatch(
      new RegExp(`^debug GET ${url}/api/connections/acme answered 503 in \\d+ ms\\.$`),
    );
  });
});
