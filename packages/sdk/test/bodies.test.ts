// Servers whose 2xx bodies are not what the API promises, and servers with huge error bodies.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  ConnectionError,
  createManagementClient,
  InternalServerError,
  InvalidResponseError,
} from "../src/index.js";
import { json, type LocalServer, localServer } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Client = ReturnType<typeof createManagementClient>;

/** Answers every request with `status`, the given headers and the body text as it is. */
async function answering(status: number, body: string, headers: Record<string, string> = {}) {
  server = await localServer((_req, res) => {
    res.writeHead(status, { "x-request-id": "req-7", ...headers });
    res.end(body);
  });
  return createManagementClient({ baseUrl: server.url, accessToken: "test-access-token" });
}

const html = "<html>Welcome</html>";
const cases: [string, number, string, string, (c: Client) => Promise<unknown>, string][] = [
  [
    "a 200 without a body for a list",
    200,
    "",
    "",
    (c) => c.connections.list(),
    "GET /api/connections answered 200 without the JSON array the API promises.",
  ],
  [
    "a 204 for a list",
    204,
    "",
    "",
    (c) => c.connections.list(),
    "GET /api/connections answered 204 without the JSON array the API promises.",
  ],
  [
    "a 204 for a connection",
    204,
    "",
    "",
    (c) => c.connections.get("acme"),
    "GET /api/connections/acme answered 204 without the JSON object the API promises.",
  ],
  [
    "an object where the users belong",
    200,
    '{"users":[{"user_id":"adfs|a"}]}',
    "application/json",
    (c) => c.users.list(),
    "GET /api/users answered 200 without the JSON array the API promises.",
  ],
  [
    "an array where a connection belongs",
    200,
    "[]",
    "application/json",
    (c) => c.connections.get("acme"),
    "GET /api/connections/acme answered 200 without the JSON object the API promises.",
  ],
  [
    "null where the removed id belongs",
    200,
    "null",
    "application/json",
    (c) => c.connections.delete("acme"),
    "DELETE /api/connections/acme answered 200 without the JSON object the API promises.",
  ],
  [
    "HTML with a 200",
    200,
    html,
    "text/html",
    (c) => c.connections.list(),
    "GET /api/connections answered 200 without the JSON array the API promises.",
  ],
  [
    "invalid JSON with a 201",
    201,
    '{"id": "con_1",',
    "application/json",
    (c) => c.connections.create({} as never),
    "POST /api/connections answered 201 without the JSON object the API promises.",
  ],
];

describe("a 2xx without the JSON the API promises", () => {
  it.each(cases)(
    "%s rejects with InvalidResponseError carrying status, headers and body",
    async (_name, status, body, type, call, message) => {
      const client = await answering(status, body, type ? { "content-type": type } : {});
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ message, status });
      expect((error as ApiError).headers.get("x-request-id")).toBe("req-7");
      expect((error as ApiError).body).toEqual(
        body === "" ? undefined : body === html || body.endsWith(",") ? body : JSON.parse(body),
      );
    },
  );

  it("through raw, is answered as { error, response } instead of a SyntaxError", async () => {
    const client = await answering(200, html, { "content-type": "text/html" });
    const { data, error, response } = await client.raw.GET("/api/connections");
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({
      status: 200,
      body: html,
      message: "GET /api/connections answered 200 with a body that is not JSON.",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(html);
  });

  it("through raw.request, too", async () => {
    const client = await answering(200, "{", { "content-type": "application/json" });
    const { error } = await client.raw.request("get", "/api/connections");
    expect(error).toBeInstanceOf(InvalidResponseError);
  });
});

describe("huge error bodies", () => {
  const huge = "x".repeat(5 * 1024 * 1024);

  it("are cut: a 5 MB message makes a message of a few hundred characters and a body of 4096", async () => {
    server = await localServer((_req, res) =>
      json(res, 500, { statusCode: 500, error: "Internal Server Error", message: huge }),
    );
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      maxRetries: 0,
    });
    const error = (await client.connections.list().catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toMatch(
      /^GET \/api\/connections failed: 500 Internal Server Error \(\{"statusCode":500,.*x\)$/,
    );
    expect(error.body).toBe(
      JSON.stringify({ statusCode: 500, error: "Internal Server Error", message: huge }).slice(
        0,
        4096,
      ),
    );
    expect(JSON.stringify(error).length).toBeLessThan(6000);
    expect(inspect(error, { depth: 10 }).length).toBeLessThan(12_000);
    expect((error.stack ?? "").length).toBeLessThan(3000);
  });

  it("are cut in the causes of a custom fetch's failure too", async () => {
    const client = createManagementClient({
      baseUrl: "https://tenant.example",
      accessToken: "test-access-token",
      maxRetries: 0,
      fetch: async () => {
        throw new TypeError(huge, { cause: new Error(huge) });
      },
    });
    const error = (await client.connections.list().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message.length).toBeLessThan(300);
    expect(inspect(error, { depth: 10 }).length).toBeLessThan(30_000);
  });
});
