// The browser bundle in Debian's Chromium, against a local server on the page's own origin.
import { join } from "node:path";
import { type Browser, launchChromium } from "@mgmtkit/chromium";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adfsConnection,
  apiError,
  json,
  type LocalServer,
  localServer,
  withTokens,
} from "./support/local-server.js";

const dist = join(import.meta.dirname, "../dist/index.js");
const users = Array.from({ length: 5 }, (_, i) => ({ user_id: `windowslive|user${i}` }));

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [dist],
    bundle: true,
    format: "iife",
    globalName: "mgmtkit",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  server = await localServer(
    withTokens((req, res) => {
      const url = new URL(req.url, "http://page");
      if (url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end('<!doctype html><title>sdk</title><script src="/sdk.js"></script>');
      } else if (url.pathname === "/sdk.js") {
        res.writeHead(200, { "content-type": "text/javascript" });
        res.end(script);
      } else if (url.pathname === "/api/connections") {
        json(res, 200, [adfsConnection]);
      } else if (url.pathname === "/api/users") {
        const page = Number(url.searchParams.get("page") ?? 0);
        const link =
          page < 2 ? { link: `</api/users?per_page=2&page=${page + 1}>; rel="next"` } : {};
        json(res, 200, users.slice(page * 2, page * 2 + 2), link);
      } else if (url.pathname === "/api/connections/moved") {
        // Where a browser follows it, a query token or a form body would go along.
        res.writeHead(302, { location: "/api/connections/elsewhere" });
        res.end();
      } else if (url.pathname === "/api/connections/slow") {
        // Never answers: the client's time limit has to end it.
      } else {
        apiError(res, 404, "Not Found", 'No connection named "missing".');
      }
    }),
  );
  browser = await launchChromium("The SDK's browser test");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("in Chromium", () => {
  it("gets a token, lists, pages, throws typed errors and times out", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const result = await page.evaluate(async () => {
      const sdk = (window as unknown as { mgmtkit: typeof import("../src/index.js") }).mgmtkit;
      const client = sdk.createManagementClient({
        baseUrl: location.origin,
        clientId: "browser-client",
        clientSecret: "browser-secret",
        retryDelayMs: 1,
      });
      const [connections, more] = await Promise.all([
        client.connections.list(),
        client.connections.list(),
      ]);
      const ids: string[] = [];
      for await (const user of client.users.iterate({ perPage: 2 })) ids.push(user.user_id);
      const missing = await client.connections.get("missing").catch((e: Error) => e);
      const moved = await client.connections.get("moved").catch((e: Error) => e);
      const slow = await client.connections
        .get("slow", { timeoutMs: 100, maxRetries: 0 })
        .catch((e: Error) => e);
      return {
        names: [...connections, ...more].map((c) => c.name),
        ids,
        missing: [missing instanceof sdk.NotFoundError, (missing as Error).message],
        slow: [slow instanceof sdk.TimeoutError, (slow as Error).message],
        moved: [moved instanceof sdk.ManagementError, (moved as Error).message],
      };
    });
    await page.close();

    expect(result).toEqual({
      names: [adfsConnection.name, adfsConnection.name],
      ids: users.map((u) => u.user_id),
      missing: [
        true,
        'GET /api/connections/missing failed: 404 Not Found (No connection named "missing".)',
      ],
      slow: [true, "GET /api/connections/slow timed out after 100 ms."],
      moved: [
        true,
        "GET /api/connections/moved was redirected; a browser hides where to, so it was not followed.",
      ],
    });
    expect(server.to("/api/connections/elsewhere")).toHaveLength(0);
    expect(server.to("/oauth/token")).toHaveLength(1);
    const apiCalls = server.requests.filter((r) => r.url.startsWith("/api/"));
    expect(apiCalls.every((r) => r.headers.authorization === "Bearer tok-1")).toBe(true);
    // No User-Agent of its own in a browser: it would need CORS approval on every call.
    expect(apiCalls.some((r) => r.headers["user-agent"]?.includes("mgmtkit"))).toBe(false);
  });
});
