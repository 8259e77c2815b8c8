import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runSuite, type SuiteReport } from "@mgmtkit/contract";
import { afterEach, describe, expect, it } from "vitest";
import { type FaultHooks, type ProxyRequest, startFaultProxy } from "./fault-proxy.js";
import { generatedFaults } from "./generated-faults.js";
import { accessToken, referenceServer } from "./server.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A fresh reference server behind a proxy with these hooks. */
async function target(hooks: FaultHooks = {}) {
  const server = await referenceServer();
  closers.push(() => server.close());
  const proxy = await startFaultProxy(server.url, server, hooks);
  closers.push(() => proxy.close());
  return { ...server, url: proxy.url };
}

/**
 * A request as the generated phase sent it, without what differs between two runs of the same
 * cases: the run's id in names and the tokens the server issued.
 */
function shape(req: ProxyRequest): string {
  const url = new URL(req.url);
  url.searchParams.delete("access_token");
  const run = /mgmtkit-contract-[0-9a-f]{6}-/g;
  return `${req.method} ${url.pathname}${url.search} ${req.body}`.replace(
    run,
    "mgmtkit-contract-RUN-",
  );
}

/** The generated phase of one operation against a fresh server: what it sent, and its report. */
async function generated(
  seed: number,
  { only = "generated.create-connection", concurrency = 1, hooks = {} as FaultHooks } = {},
) {
  const sent: string[] = [];
  const server = await target({
    request: (req, ctx) => {
      if (!req.url.pathname.startsWith("/oauth")) sent.push(shape(req));
      return hooks.request?.(req, ctx);
    },
    ...(hooks.response ? { response: hooks.response } : {}),
  });
  const report = await runSuite({
    baseUrl: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    only: [only],
    seed,
    concurrency,
    // What is compared is what was sent: a request that ran into a busy machine's deadline would
    // add a shrink's requests of its own.
    timeoutMs: 30_000,
  });
  return { sent, report };
}

/** The requests one list holds more often than the other, each with its two counts. */
function unmatched(a: string[], b: string[]): string[] {
  const count = (list: string[]) => {
    const counts = new Map<string, number>();
    for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
    return counts;
  };
  const [ca, cb] = [count(a), count(b)];
  return [...new Set([...a, ...b])]
    .filter((item) => ca.get(item) !== cb.get(item))
    .map((item) => `${ca.get(item) ?? 0} / ${cb.get(item) ?? 0}: ${item.slice(0, 300)}`);
}

/** A report's failures without what differs between two runs: the run's id and ports. */
const verdicts = (report: SuiteReport) =>
  report.checks.map((c) => ({
    id: c.id,
    status: c.status,
    failures: c.failures.map((f) =>
      JSON.stringify([f.type, f.case?.id, f.case?.shrinks, f.curl])
        .replace(/mgmtkit-contract-[0-9a-f]{6}-/g, "mgmtkit-contract-RUN-")
        .replace(/127\.0\.0\.1:\d+/g, "HOST"),
    ),
  }));

describe("the generated phase", () => {
  it("sends the same requests for the same seed, whatever the concurrency, and others for another seed", async () => {
    const first = await generated(1234);
    const again = await generated(1234);
    const spread = await generated(1234, { concurrency: 8 });
    const other = await generated(4321, { concurrency: 8 });
    expect(first.report.summary.failed).toBe(0);
    expect(first.sent.length).toBeGreaterThan(50);
    // One after the other, in the same order; side by side, the same requests. A failure names
    // the requests that differ first, and the verdicts, so that a difference seen only on a busy
    // machine says where it came from.
    const why = (other: typeof first) =>
      JSON.stringify({ only: unmatched(first.sent, other.sent), verdicts: verdicts(other.report) });
    expect(unmatched(first.sent, again.sent), why(again)).toEqual([]);
    expect(again.sent).toEqual(first.sent);
    expect(unmatched(first.sent, spread.sent), why(spread)).toEqual([]);
    expect([...spread.sent].sort()).toEqual([...first.sent].sort());
    expect([...other.sent].sort()).not.toEqual([...first.sent].sort());
    expect(first.report.seed).toBe(1234);
    expect(spread.report.generated?.cases).toBe(first.report.generated?.cases);
    expect(first.report.generated?.cases).toBeGreaterThan(50);
  });

  it("reaches the same verdicts, the same cases shrunk the same way, whatever the concurrency", async () => {
    const hooks = generatedFaults.find((f) => f.name === "huge-number-500") as FaultHooks;
    const one = await generated(99, { hooks });
    const many = await generated(99, { hooks, concurrency: 16 });
    expect(one.report.summary.failed).toBe(1);
    expect(verdicts(many.report)).toEqual(verdicts(one.report));
  });

  it("reports a failing case shrunk, with its seed, and a curl line that replays it", async () => {
    const fault = generatedFaults.find((f) => f.name === "huge-number-500") as FaultHooks;
    const server = await target(fault);
    const report = await runSuite({
      baseUrl: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      only: ["generated.create-connection"],
      seed: 99,
    });
    const check = report.checks.find((c) => c.id === "generated.create-connection");
    const failure = check?.failures.find((f) => f.type === "response.server-error");
    expect(failure).toMatchObject({
      seed: 99,
      case: {
        phase: "generated",
        id: expect.stringMatching(/^createConnection\/invalid\/huge-numbers#\d$/),
        kind: "invalid",
        caseSeed: expect.any(Number),
      },
    });
    // Shrunk, the huge number kept.
    expect(failure?.curl).toMatch(/"status":(1e400|-1e400|123456789012345678901234567890|1E\+308)/);
    expect(failure?.case?.shrinks).toBeGreaterThan(0);
    expect(failure?.case?.steps.at(-1)).toBe(failure?.curl);
    // The curl line replays it: the same request gets the same 500.
    const token = await accessToken(server.url, server);
    // The server runs in this process: the shell must not block it.
    const replay = await promisify(execFile)("bash", ["-c", failure?.curl as string], {
      env: { PATH: process.env.PATH ?? "", MGMTKIT_TOKEN: token },
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(replay.stdout).toMatch(/^HTTP\/1\.1 500/);
  });
});
