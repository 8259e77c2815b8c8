import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createManagementClient,
  InternalServerError,
  ManagementError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnsupportedMediaTypeError,
} from "../src/index.js";
import { apiError, json, type LocalServer, localServer } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("error classes", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [413, PayloadTooLargeError],
    [415, UnsupportedMediaTypeError],
    [418, ApiError],
    [429, RateLimitError],
    [500, InternalServerError],
    [501, InternalServerError],
    [599, InternalServerError],
  ])("status %i becomes %o", async (status, Class) => {
    server = await localServer((_req, res) => apiError(res, status, "Some Error", "It failed."));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      maxRetries: 0,
    });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ApiError).name).toBe(Class.name);
    expect((error as ApiError).status).toBe(status);
  });

  it("keeps timeouts and network failures apart from HTTP answers", () => {
    expect(new TimeoutError("x", { method: "GET", url: "u" })).toBeInstanceOf(ConnectionError);
    expect(new ConnectionError("x", { method: "GET", url: "u" })).not.toBeInstanceOf(ApiError);
  });

  it("names the operation, the status and the server's message, and carries the answer", async () => {
    server = await localServer((_req, res) =>
      apiError(res, 404, "Not Found", 'No connection named "acme".'),
    );
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });

    const error = (await client.connections.get("acme").catch((e: unknown) => e)) as NotFoundError;

    expect(error.message).toBe(
      'GET /api/connections/acme failed: 404 Not Found (No connection named "acme".)',
    );
    expect(String(error)).toBe(`NotFoundError: ${error.message}`);
    expect(error.method).toBe("GET");
    expect(error.url).toBe(`${server.url}/api/connections/acme`);
    expect(error.headers.get("content-type")).toBe("application/json");
    expect(error.body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: 'No connection named "acme".',
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "NotFoundError",
      status: 404,
      method: "GET",
      message: error.message,
    });
  });

  it("quotes the start of a body that is not JSON", async () => {
    server = await localServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad gateway</html>");
    });
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      maxRetries: 0,
    });
    const error = (await client.connections.list().catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe(
      "GET /api/connections failed: 502 Bad Gateway (<html>Bad gateway</html>)",
    );
    expect(error.body).toBe("<html>Bad gateway</html>");
  });

  it("leaves the parenthesis out when the body is empty", async () => {
    server = await localServer((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      maxRetries: 0,
    });
    const error = (await client.connections.list().catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe("GET /api/connections failed: 500 Internal Server Error");
    expect(error.body).toBeUndefined();
  });

  it("says so in one sentence when a success answer is not JSON", async () => {
    server = await localServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Welcome</html>");
    });
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as Error).message).toBe("GET /api/connections answered 200, but not with JSON.");
  });

  it("says so when the token endpoint answers without an access_token", async () => {
    server = await localServer((_req, res) => json(res, 200, { token_type: "bearer" }));
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "secret",
    });
    await expect(client.connections.list()).rejects.toThrow(
      new ManagementError("POST /oauth/token answered without an access_token."),
    );
    expect(server.requests).toHaveLength(1);
  });

  it("returns openapi-fetch's { error, response } from client.raw instead of throwing", async () => {
    server = await localServer((_req, res) => apiError(res, 404, "Not Found", "No such thing."));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const { data, error, response } = await client.raw.GET("/api/connections/{connectionName}", {
      params: { path: { connectionName: "nope" } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual({ statusCode: 404, error: "Not Found", message: "No such thing." });
  });
});

describe("secrets never show", () => {
  const secret = "client-secret-XYZ";
  const token = "access-token-ABC";

  /** Every way an error gets printed or serialised. */
  function renderings(error: unknown): string[] {
    const e = error as Error;
    return [
      e.message,
      String(e),
      JSON.stringify(e),
      inspect(e, { depth: 10 }),
      e.stack ?? "",
      inspect(e.cause, { depth: 10 }),
    ];
  }

  it("scrubs a token and a secret that a hostile server echoes back", async () => {
    server = await localServer((req, res) => {
      if (req.url === "/oauth/token") {
        json(res, 200, { access_token: token, token_type: "bearer" });
        return;
      }
      const echoed = `you sent ${req.headers.authorization} and ${secret} via ${req.url}`;
      res.setHeader("x-echo", echoed);
      apiError(res, 400, "Bad Request", echoed);
    });
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: secret,
      tokenPlacement: "query",
    });

    const error = (await client.connections.get("acme").catch((e: unknown) => e)) as ApiError;

    expect(server.to("/api/connections/acme")[0]?.url).toContain(token);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("[REDACTED]");
    for (const text of renderings(error)) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(error.body)).not.toContain(token);
    expect(error.headers.get("x-echo")).not.toContain(token);
  });

  it("scrubs the client secret echoed by the token endpoint", async () => {
    server = await localServer((req, res) => {
      json(res, 400, { error: "invalid_request", error_description: `Bad body: ${req.body}` });
    });
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: secret,
    });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    for (const text of renderings(error)) expect(text).not.toContain(secret);
  });

  it("redacts the access_token of the URL in network errors and timeouts", async () => {
    server = await localServer(() => {});
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: token,
      tokenPlacement: "query",
      timeoutMs: 50,
      maxRetries: 0,
    });
    const timeout = await client.connections.list().catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);

    const failingFetch = async (input: string) => {
      throw new TypeError(`request to ${input} failed`, { cause: new Error(`reset ${input}`) });
    };
    const broken = createManagementClient({
      baseUrl: server.url,
      accessToken: token,
      tokenPlacement: "query",
      fetch: failingFetch,
      maxRetries: 0,
    });
    const network = await broken.connections.list().catch((e: unknown) => e);
    expect(network).toBeInstanceOf(ConnectionError);
    expect((network as Error).message).toContain("access_token=[REDACTED]");

    for (const error of [timeout, network]) {
      for (const text of renderings(error)) expect(text).not.toContain(token);
    }
  });

  it("keeps credentials out of the client object", () => {
    const client = createManagementClient({
      baseUrl: "https://tenant.example",
      clientId: "id",
      clientSecret: secret,
    });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(secret);
  });
});
