// What a request line and its Host may be, over real sockets (inject() always sends a path and one
// Host), and the caching rule every answer carries.
import { type RunningServer, startServer } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, getToken, injectApp, rawRequest, type TestApp } from "./helpers.js";

let server: RunningServer;
let token: string;
beforeAll(async () => {
  server = await startServer({ clientId: "c", clientSecret: "target-secret" });
  token = await getToken(server.url, "c", "target-secret");
});
afterAll(() => server.close());

const send = (line: string, headers: string[] = ["Host: 127.0.0.1"]) =>
  rawRequest(server.port, [line, ...headers]);
const withToken = (host = "Host: 127.0.0.1") => [host, `Authorization: Bearer ${token}`];

describe("an absolute-form request target", () => {
  it.each([
    ["a path that matches no route", "GET http://127.0.0.1/api/nope HTTP/1.1"],
    ["a known path", "GET http://127.0.0.1/api/connections HTTP/1.1"],
    ["a known path in upper case", "GET HTTP://127.0.0.1/api/users HTTP/1.1"],
    ["a wrong method", "PATCH http://127.0.0.1/api/connections HTTP/1.1"],
  ])("needs a token under /api like the origin-form does: %s", async (_name, line) => {
    const res = await send(line);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "MGMT_ERR_TOKEN_MISSING" });
  });

  it("answers a wrong method 405 with Allow, as the origin-form does", async () => {
    const res = await send("PATCH http://127.0.0.1/api/connections HTTP/1.1", withToken());
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(res.body).toMatchObject({ code: "MGMT_ERR_METHOD_NOT_ALLOWED" });
  });

  it("names the path, not the URL, in a 404", async () => {
    const res = await send("GET http://127.0.0.1/nowhere HTTP/1.1");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: "There is no GET /nowhere in this API." });
  });

  it("writes one origin into Link, the target's authority rather than the Host header", async () => {
    const res = await send(
      "GET http://api.example.com:8080/api/users?per_page=1 HTTP/1.1",
      withToken("Host: other.example"),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("link")).toBe(
      '<http://api.example.com:8080/api/users?per_page=1&page=1>; rel="next"',
    );
  });

  it("writes provisioning ticket URLs on the target's authority", async () => {
    const res = await send(
      "GET http://api.example.com/api/connections/fabrikam-adfs HTTP/1.1",
      withToken(),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      provisioning_ticket_url: expect.stringMatching(/^http:\/\/api\.example\.com\/p\/adfs\//),
    });
  });

  it("serves an empty path as /", async () => {
    const res = await send("GET http://127.0.0.1?x=1 HTTP/1.1");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: "There is no GET / in this API." });
  });

  it.each([
    ["credentials in the authority", "GET http://user:pw@127.0.0.1/api/connections HTTP/1.1"],
    ["an empty authority", "GET http:///api/connections HTTP/1.1"],
    ["another scheme", "GET ftp://127.0.0.1/api/connections HTTP/1.1"],
  ])("is refused with 400 before the token is looked at: %s", async (_name, line) => {
    const res = await send(line, withToken());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "MGMT_ERR_REQUEST_TARGET" });
    expect(JSON.stringify(res.body)).not.toContain("pw");
  });
});

describe("the Host header", () => {
  it.each([
    ["two Host headers", ["Host: a.example", "Host: b.example"]],
    ["two Host headers in other cases", ["host: a.example", "HOST: a.example"]],
  ])("is refused with 400 when given more than once: %s", async (_name, hosts) => {
    const res = await send("GET /api/users?per_page=1 HTTP/1.1", [
      ...hosts,
      `Authorization: Bearer ${token}`,
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "MGMT_ERR_DUPLICATE_HOST" });
    expect(res.headers.has("link")).toBe(false);
  });

  it("is refused twice even without a token, on any path", async () => {
    const res = await send("GET /healthz HTTP/1.1", ["Host: a.example", "Host: b.example"]);
    expect(res.status).toBe(400);
  });

  it("is accepted once", async () => {
    const res = await send("GET /api/users?per_page=1 HTTP/1.1", withToken("Host: a.example"));
    expect(res.status).toBe(200);
    expect(res.headers.get("link")).toMatch(/^<http:\/\/a\.example\/api\/users\?/);
  });
});

describe("Cache-Control", () => {
  let app: TestApp;
  let appToken: string;
  beforeAll(async () => {
    app = await injectApp({ clientId: "c", clientSecret: "cache-secret" });
    appToken = await getToken(app.app, "c", "cache-secret");
  });
  afterAll(() => app.close());

  const good = { client_id: "c", client_secret: "cache-secret", grant_type: "client_credentials" };
  it.each([
    ["the list, which holds client secrets", "GET", "/api/connections", true, {}],
    ["one connection", "GET", "/api/connections/fabrikam-google", true, {}],
    ["a create", "POST", "/api/connections", true, { json: { name: "c1", strategy: "adfs" } }],
    ["a 400", "POST", "/api/connections", true, { json: { name: 1 } }],
    ["a 401", "GET", "/api/connections", false, {}],
    ["a 404 under /api", "GET", "/api/nope", true, {}],
    ["a 405", "PATCH", "/api/connections", true, {}],
    ["a user list", "GET", "/api/users", true, {}],
    ["a token", "POST", "/oauth/token", false, { form: good }],
    [
      "a refused token request",
      "POST",
      "/oauth/token",
      false,
      { form: { ...good, client_secret: "x" } },
    ],
    [
      "a token request in a media type it does not take",
      "POST",
      "/oauth/token",
      false,
      { raw: "x", headers: { "content-type": "text/plain" } },
    ],
    ["the health check", "GET", "/healthz", false, {}],
  ] as const)("is no-store on %s", async (_name, method, path, authorised, options) => {
    const res = await call(app.app, method, path, {
      ...(authorised ? { token: appToken } : {}),
      ...options,
    });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
