// The built files, as `import` and `require` load them: the CommonJS build must reach openapi-fetch's
// CommonJS build through its interop, which the tests of src/ never exercise.
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adfsConnection, json, type LocalServer, localServer } from "./support/local-server.js";

const dist = join(import.meta.dirname, "../dist");
let server: LocalServer;
let stranger: LocalServer;
beforeAll(async () => {
  stranger = await localServer((_req, res) => json(res, 200, []), "127.0.0.2");
  server = await localServer((req, res) => {
    if (req.url === "/api/connections/missing") {
      json(res, 404, { statusCode: 404, error: "Not Found", message: "No such connection." });
    } else if (req.url === "/api/connections/moved") {
      res.writeHead(307, { location: `${stranger.url}/api/connections` });
      res.end();
    } else if (req.url === "/api/connections/echo") {
      const token = (req.headers.authorization ?? "").slice("Bearer ".length);
      json(res, 400, { statusCode: 400, error: "Bad Request", message: encodeURIComponent(token) });
    } else json(res, 200, [adfsConnection]);
  });
});
afterAll(async () => {
  await server.close();
  await stranger.close();
});

type Sdk = typeof import("../src/index.js");

describe.each([
  ["require", () => createRequire(import.meta.url)(join(dist, "index.cjs")) as Sdk],
  ["import", () => import(join(dist, "index.js")) as Promise<Sdk>],
])("dist loaded with %s", (_how, load) => {
  it("lists connections, through the methods and through raw", async () => {
    const sdk = await load();
    const client = sdk.createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect((await client.raw.GET("/api/connections")).data).toEqual([adfsConnection]);
  });

  it("throws its own error classes", async () => {
    const sdk = await load();
    const client = sdk.createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const error = await client.connections.get("missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.NotFoundError);
    expect(error).toBeInstanceOf(sdk.ApiError);
  });

  it("refuses other origins, dot-segments and echoed secrets, and answers withResponse()", async () => {
    const sdk = await load();
    const client = sdk.createManagementClient({
      baseUrl: server.url,
      accessToken: "dist+token/==",
    });
    await expect(client.connections.get("moved")).rejects.toThrow(/to another origin/);
    expect(stranger.requests).toHaveLength(0);
    await expect(client.connections.get("..")).rejects.toThrow('".." is not a connection name.');
    const echoed = await client.connections.get("echo").catch((e: unknown) => e);
    expect(JSON.stringify(echoed)).not.toContain(encodeURIComponent("dist+token/=="));
    expect((echoed as Error).message).toContain("[REDACTED]");
    const { data, response } = await client.connections.list().withResponse();
    expect(data).toEqual([adfsConnection]);
    expect(response.url).toBe(`${server.url}/api/connections`);
  });
});
