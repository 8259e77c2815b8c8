// The validating proxy of the suite between the SDK and a server: against the reference server
// it finds nothing wrong; against a deliberately broken one it reports each violation as it
// happens, naming the operation.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startProxy, type Violation } from "@mgmtkit/contract";
import {
  type ConnectionCreate,
  createManagementClient,
  ManagementError,
  NotFoundError,
  type Strategy,
} from "@mgmtkit/sdk";
import { exampleConnections, operations, strategies } from "@mgmtkit/spec/model";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jsonOf, startFaultProxy, withJson } from "./fault-proxy.js";
import { referenceServer } from "./server.js";

const manifest = createRequire(import.meta.url).resolve("@mgmtkit/contract/package.json");
const cli = join(dirname(manifest), "dist", "cli.js");

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mgmtkit-proxy-e2e-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unique = (label: string) =>
  `proxy-test-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

const body = (strategy: Strategy, name: string) =>
  ({ ...exampleConnections[strategy], name, status: 1 }) as ConnectionCreate;

describe("mgmtkit-contract proxy between the SDK and a server", () => {
  it("finds no violation in the SDK's traffic with the reference server, every operation exercised", async () => {
    const server = await referenceServer();
    closers.push(() => server.close());
    const violations: Violation[] = [];
    const proxy = await startProxy({
      target: server.url,
      profile: "strict",
      onViolation: (v) => violations.push(v),
    });
    closers.push(() => proxy.close());
    const client = createManagementClient({
      baseUrl: proxy.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      maxRetries: 0,
    });

    const names = strategies.map((s) => unique(s));
    await Promise.all(strategies.map((s, i) => client.connections.create(body(s, names[i] ?? ""))));
    const listed = await client.connections.list();
    expect(listed.map((c) => c.name)).toEqual(expect.arrayContaining(names));
    for (const name of names) {
      const fetched = await client.connections.get(name);
      await client.connections.update(name, { ...fetched, status: 0 });
      await client.users.listByConnection(name, { perPage: 2 });
    }
    // Pages are followed through the proxy: the next-page links point at it.
    const all = await client.users.list();
    expect(await client.users.list({ perPage: 1 })).toHaveLength(all.length);
    await client.users.listSocial({ perPage: 2 });
    await Promise.all(names.map((n) => client.connections.delete(n)));
    await expect(client.connections.get(names[0] ?? "")).rejects.toBeInstanceOf(NotFoundError);

    const report = await proxy.close();
    expect(violations.map((v) => v.line)).toEqual([]);
    expect(report.summary.failed).toBe(0);
    expect(report.traffic?.incomplete).toBe(0);
    const exercised = report.coverage.filter((op) => op.requests > 0).map((op) => op.operationId);
    expect(exercised.sort()).toEqual(operations.map((op) => op.id).sort());
    const users = report.coverage.find((op) => op.operationId === "listUsers");
    expect(users?.requests).toBeGreaterThan(all.length);
    expect(JSON.stringify(report)).not.toContain(server.clientSecret);
  });

  it("prints a broken server's violations as they happen, naming the operation, and reports them on Ctrl-C", async () => {
    const server = await referenceServer();
    closers.push(() => server.close());
    // Two broken rules: a connection read without its strategy, and the user list failing as HTML.
    const broken = await startFaultProxy(server.url, server, {
      request: (req) =>
        req.method === "GET" && req.url.pathname === "/api/users"
          ? {
              status: 500,
              headers: { "content-type": "text/html" },
              body: "<h1>Internal Server Error</h1>",
            }
          : undefined,
      response: (req, res) => {
        if (req.method !== "GET" || !/^\/api\/connections\/[^/]+$/.test(req.url.pathname))
          return undefined;
        const json = jsonOf(res) as Record<string, unknown> | undefined;
        if (res.status !== 200 || !json) return undefined;
        const { strategy: _dropped, ...rest } = json;
        return withJson(res, rest);
      },
    });
    closers.push(() => broken.close());

    const file = join(dir, "broken.json");
    const child = spawn(
      process.execPath,
      [cli, "proxy", "--target", broken.url, "--reporter", "console,json", "--output", file],
      { env: { ...process.env, NO_COLOR: "1" } },
    );
    closers.push(async () => child.kill("SIGKILL"));
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(stdout)) {
        if (child.exitCode !== null) throw new Error(`the proxy ended:\n${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return pattern.exec(stdout) as RegExpExecArray;
    };
    const [, url] = await waitFor(/^mgmtkit-contract proxy: forwarding (\S+) to /m);

    const client = createManagementClient({
      baseUrl: url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      maxRetries: 0,
    });
    const name = unique("broken");
    await client.connections.create(body("google-apps", name));
    try {
      await client.connections.get(name);
      const lost = await waitFor(/^✗ getConnection .*$/m);
      expect(lost[0]).toMatch(
        new RegExp(
          `^✗ getConnection \\(GET /api/connections/\\{connectionName\\}\\) response\\.schema: The server answered 200 with a body that breaks the schema: the body must have required property 'strategy'\\. Reproduce: curl -sS -i '${broken.url.replace(/[.]/g, "\\.")}/api/connections/${name}' .*-H "authorization: Bearer \\$MGMTKIT_TOKEN"`,
        ),
      );
      const failed = await client.users.list().catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(ManagementError);
      await waitFor(/^✗ listUsers \(GET \/api\/users\) response\.server-error: /m);
      await waitFor(/^✗ listUsers \(GET \/api\/users\) response\.json-content-type: /m);
    } finally {
      await client.connections.delete(name);
    }

    child.kill("SIGINT");
    expect(await exited).toBe(1);
    expect(stdout).toMatch(/^FAIL \d+ passed, 3 failed, \d+ skipped of \d+ rules; \d+ exchanges/m);
    expect(stdout).not.toContain(server.clientSecret);
    const report = JSON.parse(readFileSync(file, "utf8"));
    const failed = report.checks
      .filter((c: { status: string }) => c.status === "failed")
      .map((c: { id: string; failures: Array<{ request: string }> }) => [
        c.id,
        c.failures.map((f) => f.request.replace(/^(\w+) \S+?(\/api\/.*)$/, "$1 $2")),
      ]);
    expect(failed).toEqual([
      ["response.server-error", ["GET /api/users"]],
      ["response.json-content-type", ["GET /api/users"]],
      // The HTML error is no JSON body of the spec's error schema either.
      ["response.schema", [`GET /api/connections/${name}`, "GET /api/users"]],
    ]);
    expect(JSON.stringify(report)).not.toContain(server.clientSecret);
  });
});
