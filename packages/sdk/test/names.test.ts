// A server resolves dot-segments as URLs do, so a name like ".." would reach another resource:
// here /api/users answers every user and /api/ and /api/connections/ answer as lists would.
import { afterEach, describe, expect, it } from "vitest";
import { createManagementClient, ManagementError } from "../src/index.js";
import { adfsConnection, json, type LocalServer, localServer } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Client = ReturnType<typeof createManagementClient>;

const calls: [string, (c: Client, name: string) => Promise<unknown>][] = [
  ["connections.get", (c, n) => c.connections.get(n)],
  ["connections.update", (c, n) => c.connections.update(n, adfsConnection as never)],
  ["connections.delete", (c, n) => c.connections.delete(n)],
  ["users.listByConnection", (c, n) => c.users.listByConnection(n)],
  ["users.iterateByConnection", (c, n) => c.users.iterateByConnection(n).next()],
];

describe.each(["", ".", ".."])("the name %j", (name) => {
  it.each(calls)("is refused by %s before any request", async (_method, call) => {
    server = await localServer((req, res) =>
      json(res, 200, req.url.endsWith("users") ? [{ user_id: "adfs|everyone" }] : [adfsConnection]),
    );
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });

    const error = await call(client, name).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ManagementError);
    expect((error as Error).message).toBe(`"${name}" is not a connection name.`);
    expect(server.requests).toHaveLength(0);
  });
});

describe("names that look like dot-segments but are one", () => {
  it.each([
    ["...", "/api/connections/..."],
    [".a", "/api/connections/.a"],
    ["a/..", "/api/connections/a%2F.."],
    ["%2e%2e", "/api/connections/%252e%252e"],
  ])("%j is sent as the single segment %s", async (name, path) => {
    server = await localServer((_req, res) => json(res, 200, adfsConnection));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    await client.connections.get(name);
    expect(server.requests.map((r) => r.url)).toEqual([path]);
  });
});
