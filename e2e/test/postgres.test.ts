// The suite against the reference server on PostgreSQL: one instance, then two instances on one
// database behind a proxy that sends each request to the next instance in turn, so that a check's
// create, read, replace and delete land on different processes.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { catalog, runSuite } from "@mgmtkit/contract";
import { type RunningServer, startServer } from "@mgmtkit/reference-server";
import {
  findPostgresBinDir,
  startTestPostgres,
  type TestPostgres,
} from "@mgmtkit/reference-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runsAtOnce } from "./runs-at-once.js";

// In CI these tests always run, and fail saying why when PostgreSQL cannot be started; elsewhere
// they are skipped where PostgreSQL is not installed.
const runs = (() => {
  if (process.env.CI) return true;
  try {
    findPostgresBinDir();
    return true;
  } catch (error) {
    console.warn(`Skipping the PostgreSQL runs of the suite: ${(error as Error).message}`);
    return false;
  }
})();

const credentials = { clientId: "e2e-client", clientSecret: "e2e-secret-on-postgres" };
let cluster: TestPostgres | undefined;
const servers: RunningServer[] = [];

beforeAll(async () => {
  if (!runs) return;
  try {
    cluster = await startTestPostgres();
  } catch (error) {
    throw new Error(`PostgreSQL could not be started: ${(error as Error).message}`, {
      cause: error,
    });
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await cluster?.destroy();
});

async function instances(count: number): Promise<RunningServer[]> {
  const db = await (cluster as TestPostgres).createDatabase();
  const started = await Promise.all(
    Array.from({ length: count }, () =>
      startServer({ host: "127.0.0.1", port: 0, db, logger: false, ...credentials }),
    ),
  );
  servers.push(...started);
  return started;
}

/** A proxy on a free port that forwards each request, whole, to the next target in turn. */
async function roundRobin(targets: string[]): Promise<{ url: string; hits: number[] }> {
  const hits = targets.map(() => 0);
  let next = 0;
  const proxy = createServer((req, res) => {
    const index = next;
    next = (next + 1) % targets.length;
    hits[index] = (hits[index] ?? 0) + 1;
    const target = new URL(req.url ?? "/", targets[index]);
    // The Host header goes along, as a load balancer forwards it: the instances build the URLs
    // they answer (Link, provisioning_ticket_url) on the origin the client used.
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end('{"message":"the instance did not answer"}');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  servers.push({ close: () => new Promise((r) => proxy.close(() => r())) } as RunningServer);
  return { url: `http://127.0.0.1:${port}`, hits };
}

async function judge(baseUrl: string, profile: "core" | "strict", consistencyWindowMs = 0) {
  const report = await runSuite({ baseUrl, ...credentials, profile, consistencyWindowMs });
  const failed = report.checks.filter((c) => c.status !== "passed");
  expect(failed.map((c) => `${c.id}: ${c.failures[0]?.observed ?? c.skipReason}`)).toEqual([]);
  expect(report.summary.total).toBe(
    catalog.filter((c) => profile === "strict" || c.profile === "core").length,
  );
  return report;
}

describe.runIf(runs)("the reference server on PostgreSQL", () => {
  it.each(["core", "strict"] as const)("passes every %s check on one instance", async (profile) => {
    const [only] = await instances(1);
    await judge((only as RunningServer).url, profile);
  });

  it("passes every strict check on two instances sharing one database, requests alternating", async () => {
    const pair = await instances(2);
    const proxy = await roundRobin(pair.map((s) => s.url));
    // An instance sees another's write within 100 ms (the README's promise, tested in the
    // server's own suite); reads may still meet the instance that has not. The window the suite
    // waits out is five times that, for a busy machine.
    const report = await judge(proxy.url, "strict", 500);
    expect(report.network?.consistencyWindowMs).toBe(500);
    // Both instances served about half of the run.
    expect(proxy.hits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(report.requests);
    for (const hits of proxy.hits) expect(hits).toBeGreaterThan(report.requests / 3);
  });

  it.each([2, 4])(
    "passes %i default core runs at once on one instance",
    async (count) => {
      const [only] = await instances(1);
      await runsAtOnce({ url: (only as RunningServer).url, ...credentials }, count);
    },
    240_000,
  );
});
