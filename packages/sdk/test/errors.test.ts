import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createManagementClient,
  InternalServerError,
  InvalidResponseError,
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
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toBe(
      "GET /api/connections answered 200 without the JSON array the API promises.",
    );
  });

  it("says so when the token endpoint answers without an access_token", async () => {
    server = await localServer((_req, res) => json(res, 200, { token_type: "bearer" }));
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret: "secret",
    });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({
      message: "POST /oauth/token answered 200 without an access_token.",
      status: 200,
      body: { token_type: "bearer" },
    });
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
