import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runSuite } from "../src/index.js";

/**
 * A check passes only on answers it judged. Servers that answer nothing, or answer only what
 * leaves a check nothing to judge (no connection, no user, no create), must see every such
 * check fail or skip: never pass.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const TOKEN = "nothing-to-judge-token";
const json = (res: Parameters<RequestListener>[1], status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const isToken = (req: Parameters<RequestListener>[0]) =>
  req.method === "POST" && req.url?.startsWith("/oauth/token");
const issue: RequestListener = (_req, res) =>
  json(res, 200, { access_token: TOKEN, token_type: "bearer" });

/** Answers the token, every list with an empty array, refuses every create; the rest is 404. */
const empty: RequestListener = (req, res) => {
  if (isToken(req)) return issue(req, res);
  const url = new URL(req.url ?? "/", "http://x");
  const authorised =
    req.headers.authorization === `bearer ${TOKEN}` ||
    url.searchParams.get("access_token") === TOKEN;
  if (!authorised) return json(res, 401, { statusCode: 401, error: "Unauthorized", message: "" });
  const path = url.pathname.replace(/\/$/, "");
  if (req.method === "GET" && (path === "/api/connections" || path.endsWith("/users")))
    return json(res, 200, []);
  if (req.method === "POST") return json(res, 400, { statusCode: 400, error: "Bad Request" });
  return json(res, 404, { statusCode: 404, error: "Not Found", message: "none" });
};

const TOKEN_ENDPOINT_CHECKS = [
  "token.form",
  "token.form-without-type",
  "token.json-body",
  "generated.get-access-token",
];

describe("a check with nothing to judge", () => {
  it.each<[string, RequestListener, number, string[]]>([
    ["a server that never answers", () => {}, 150, []],
    ["a server that resets every connection", (req) => req.socket.destroy(), 2000, []],
    [
      "a server that answers only the token endpoint",
      (req, res) => (isToken(req) ? issue(req, res) : req.socket.destroy()),
      2000,
      TOKEN_ENDPOINT_CHECKS,
    ],
  ])("never passes against %s", async (_name, handler, timeoutMs, mayPass) => {
    const report = await runSuite({
      baseUrl: await serve(handler),
      clientId: "client",
      clientSecret: "secret",
      profile: "strict",
      timeoutMs,
      // Every check meets the server: the run does not stop early.
      stopAfterTimeouts: 10_000,
      seed: 7,
    });
    const passed = report.checks.filter((c) => c.status === "passed").map((c) => c.id);
    expect(passed.filter((id) => !mayPass.includes(id))).toEqual([]);
    expect(report.summary.failed).toBeGreaterThan(0);
  });

  it("skips, saying why, when the server has no connection, no user and accepts no create", async () => {
    const report = await runSuite({
      baseUrl: await serve(empty),
      clientId: "client",
      clientSecret: "secret",
      profile: "strict",
      seed: 7,
    });
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    for (const id of [
      "users.connection-strategy",
      "users.cross-endpoint",
      "users.social-split",
      "users.pagination",
    ]) {
      expect(status[id]?.status, id).toBe("skipped");
      expect(status[id]?.skipReason).toMatch(/^[a-z0-9].+[a-z)]$/);
    }
    // Generated cases that need a connection of their own could not be sent: the others may
    // fail, but the check cannot pass.
    for (const id of [
      "generated.get-connection",
      "generated.update-connection",
      "generated.delete-connection",
      "generated.list-connection-users",
    ]) {
      expect(status[id]?.status, id).not.toBe("passed");
      if (status[id]?.status === "skipped") {
        expect(status[id]?.skipReason).toMatch(/generated cases could not be judged/);
      }
    }
    // What the server answered is judged as usual: an empty list is a list.
    expect(status["users.list"]?.status).toBe("passed");
  });
});
