import { catalog, runSuite } from "@mgmtkit/contract";
import { afterEach, describe, expect, it } from "vitest";
import { startFaultProxy } from "./fault-proxy.js";
import { faults } from "./faults.js";
import { accessToken, referenceServer } from "./server.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function server() {
  const started = await referenceServer();
  closers.push(() => started.close());
  return started;
}

async function suiteConnections(
  url: string,
  clientId: string,
  clientSecret: string,
): Promise<string[]> {
  const access_token = await accessToken(url, { clientId, clientSecret });
  const list = (await fetch(`${url}/api/connections`, {
    headers: { authorization: `bearer ${access_token}` },
  }).then((r) => r.json())) as Array<{ name: string }>;
  return list.map((c) => c.name).filter((name) => name.startsWith("mgmtkit-contract-"));
}

describe("the reference server", () => {
  it.each([
    ["core", 1],
    ["core", 16],
    ["strict", 1],
    ["strict", 16],
  ] as const)(
    "passes every %s check at --concurrency %i, and the run exercises every operation",
    async (profile, concurrency) => {
      const target = await server();
      const report = await runSuite({
        baseUrl: target.url,
        clientId: target.clientId,
        clientSecret: target.clientSecret,
        profile,
        concurrency,
      });
      const failed = report.checks.filter((c) => c.status !== "passed");
      expect(failed.map((c) => `${c.id}: ${c.failures[0]?.observed ?? c.skipReason}`)).toEqual([]);
      // In the catalog's order, whatever finished first.
      expect(report.checks.map((c) => c.id)).toEqual(
        catalog.filter((c) => profile === "strict" || c.profile === "core").map((c) => c.id),
      );
      // Connections kept alive: far fewer opened than requests sent.
      expect(report.network?.concurrency).toBe(concurrency);
      const { opened, reused } = report.network?.connections ?? { opened: 0, reused: 0 };
      expect(opened + reused).toBe(report.requests);
      expect(reused).toBeGreaterThan(opened * 5);
      for (const op of report.coverage) {
        expect(op.requests, op.operationId).toBeGreaterThan(0);
        expect(op.undocumented).toEqual({});
      }
      // Every request a check sent is counted, plus the run's own token request and clean-up.
      expect(report.requests).toBeGreaterThan(report.checks.reduce((n, c) => n + c.requests, 0));
      expect(await suiteConnections(target.url, target.clientId, target.clientSecret)).toEqual([]);
    },
  );
});

describe("the suite cleans up", () => {
  it("deletes every connection it created, also when checks fail midway", async () => {
    const target = await server();
    // Lifecycle checks stop right after their create: the connections are left for the sweep.
    const fault = faults.find((f) => f.name === "create-forgets-options");
    const proxy = await startFaultProxy(target.url, target, fault ?? {});
    closers.push(() => proxy.close());
    const report = await runSuite({
      baseUrl: proxy.url,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
    });
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(await suiteConnections(target.url, target.clientId, target.clientSecret)).toEqual([]);
  });

  it("gives every connection it creates a name of its own run", async () => {
    const target = await server();
    const names = new Set<string>();
    const proxy = await startFaultProxy(target.url, target, {
      request: (req) => {
        if (req.method === "POST" && req.url.pathname === "/api/connections") {
          const name = (JSON.parse(req.body || "{}") as { name?: unknown }).name;
          if (typeof name === "string") names.add(name);
        }
        return undefined;
      },
    });
    closers.push(() => proxy.close());
    await runSuite({
      baseUrl: proxy.url,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      only: ["lifecycle", "auth"],
    });
    const runIds = new Set(
      [...names].map((name) => /^mgmtkit-contract-([0-9a-f]{6})-/.exec(name)?.[1]),
    );
    expect(runIds.size).toBe(1);
    expect(runIds.has(undefined)).toBe(false);
  });
});

describe("hostile servers", () => {
  it("a server that answers plain text to every /api request fails the run without crashing it", async () => {
    const target = await server();
    const proxy = await startFaultProxy(target.url, target, {
      response: (req) =>
        req.url.pathname.startsWith("/api")
          ? { status: 200, headers: { "content-type": "text/plain" }, body: "ok" }
          : undefined,
    });
    closers.push(() => proxy.close());
    const report = await runSuite({
      baseUrl: proxy.url,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      timeoutMs: 2000,
    });
    expect(report.summary.total).toBe(catalog.filter((c) => c.profile === "core").length);
    // The token endpoint still works: only the check that uses a token on /api sees the text.
    expect(
      report.checks
        .filter((c) => c.id.startsWith("token.") && c.status !== "passed")
        .map((c) => c.id),
    ).toEqual(["token.response-shape"]);
    const types = new Set(report.checks.flatMap((c) => c.failures.map((f) => f.type)));
    expect(types).toContain("response.json-content-type");
    expect(report.checks.find((c) => c.id === "lifecycle.adfs")?.status).toBe("failed");
  });

  it("a token endpoint that fails reports token.form and skips what needs a token", async () => {
    const target = await server();
    const proxy = await startFaultProxy(target.url, target, {
      request: (req) => (req.url.pathname === "/oauth/token" ? { kind: "reset" } : undefined),
    });
    closers.push(() => proxy.close());
    const report = await runSuite({
      baseUrl: proxy.url,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      only: ["auth.missing-token", "users"],
    });
    expect(report.checks.map((c) => [c.id, c.status]).slice(0, 2)).toEqual([
      ["token.form", "failed"],
      ["auth.missing-token", "skipped"],
    ]);
    expect(report.checks.find((c) => c.id === "token.form")?.failures[0]?.observed).toBe(
      "The server reset the connection.",
    );
    expect(report.summary.failed).toBe(1);
  });
});

describe("selection", () => {
  it("runs only what --only names, minus --skip, and strict checks only when asked", async () => {
    const target = await server();
    const credentials = {
      baseUrl: target.url,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
    };
    const report = await runSuite({
      ...credentials,
      only: ["connections"],
      skip: ["connections.client-id"],
    });
    expect(report.checks.map((c) => c.id)).toEqual([
      "connections.unknown-name",
      "connections.odd-inputs",
      "connections.put-other-name",
      "connections.server-fields-kept",
    ]);
    const strict = await runSuite({
      ...credentials,
      only: ["connections.liberal-create", "token.form"],
    });
    expect(strict.checks.map((c) => c.id)).toEqual(["token.form", "connections.liberal-create"]);
  });
});
