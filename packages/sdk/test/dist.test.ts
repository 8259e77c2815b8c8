// The built files, as `import` and `require` load them: the CommonJS build must reach openapi-fetch's
// CommonJS build through its interop, which the tests of src/ never exercise.
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adfsConnection, json, type LocalServer, localServer } from "./support/local-server.js";

const dist = join(import.meta.dirname, "../dist");
let server: LocalServer;
beforeAll(async () => {
  server = await localServer((req, res) =>
    req.url === "/api/connections/missing"
      ? json(res, 404, { statusCode: 404, error: "Not Found", message: "No such connection." })
      : json(res, 200, [adfsConnection]),
  );
});
afterAll(() => server.close());

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
});
