// The methods and `raw` share one request path: openapi-fetch's own client, the SDK's transport
// as its `fetch`, none of its methods replaced (issue 28, point 5).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import createClient, { type Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { createManagementClient } from "../src/index.js";

const verbs = ["request", "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

/** A client whose fetch answers every request with `body`, and what its raw middleware saw. */
function client(body = "[]") {
  const fetch = async () => new Response(body, { headers: { "content-type": "application/json" } });
  const sdk = createManagementClient({ baseUrl: "https://t.example", accessToken: "t", fetch });
  const seen: { method: string; schemaPath: string; params: unknown; url: string }[] = [];
  const watch: Middleware = {
    onRequest({ request, schemaPath, params }) {
      seen.push({ method: request.method, schemaPath, params, url: request.url });
    },
  };
  sdk.raw.use(watch);
  return { sdk, seen };
}

describe("one request path", () => {
  it("raw is openapi-fetch's client with its own methods, none replaced", () => {
    const { sdk } = client();
    const bare = createClient({ baseUrl: "https://t.example" }) as unknown as Record<
      string,
      unknown
    >;
    const raw = sdk.raw as unknown as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(Object.keys(bare).sort());
    for (const verb of verbs) expect(String(raw[verb]), verb).toBe(String(bare[verb]));
  });

  it("no source file assigns to a method of openapi-fetch's client, nor copies it to override one", () => {
    const src = join(import.meta.dirname, "../src");
    // An assignment to a property of `client` or `raw` (dotted or indexed), or a copy of the client
    // made to override some of its methods.
    const replacing = /\b(client|raw)\s*(\.\s*\w+|\[[^\]]*\])\s*=[^=]|\{\s*\.\.\.(client|raw)\b/;
    for (const file of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
      const lines = readFileSync(join(src, file), "utf8").split("\n");
      for (const [i, line] of lines.entries()) {
        expect(replacing.test(line), `${file}:${i + 1}: ${line.trim()}`).toBe(false);
      }
    }
    // The pattern finds what it is for: the way the SDK replaced them before.
    expect(
      replacing.test(
        "  const raw = { ...client, request: rawRequest } as Record<string, unknown>;",
      ),
    ).toBe(true);
    expect(
      replacing.test("    raw[m] = (path: string, init?: object) => rawRequest(m, path, init);"),
    ).toBe(true);
    expect(replacing.test("client.GET = wrapped;")).toBe(true);
    expect(replacing.test("if (raw.GET === bare.GET) {}")).toBe(false);
  });

  it("sends the methods through raw, with the path template and typed params", async () => {
    const { sdk, seen } = client(JSON.stringify({ id: "con_1", name: "a/b" }));
    await sdk.connections.get("a/b");
    await sdk.connections.update("a/b", {
      name: "a/b",
      strategy: "adfs",
      status: 1,
      options: {},
    } as never);
    await sdk.connections.delete("a/b");
    expect(seen).toEqual(
      ["GET", "PUT", "DELETE"].map((method) => ({
        method,
        schemaPath: "/api/connections/{connectionName}",
        params: { path: { connectionName: "a/b" } },
        url: "https://t.example/api/connections/a%2Fb",
      })),
    );
  });

  it("sends each page of a list through raw, the first with per_page as a typed query", async () => {
    const { sdk, seen } = client();
    await sdk.users.listByConnection("corp", { perPage: 5 });
    await sdk.connections.list();
    expect(seen).toEqual([
      {
        method: "GET",
        schemaPath: "/api/connections/{connectionName}/users",
        params: { query: { per_page: 5 }, path: { connectionName: "corp" } },
        url: "https://t.example/api/connections/corp/users?per_page=5",
      },
      {
        method: "GET",
        schemaPath: "/api/connections",
        params: {},
        url: "https://t.example/api/connections",
      },
    ]);
  });
});
