import { runSuite, type SuiteReport } from "@mgmtkit/contract";
import { describe, expect, it } from "vitest";
import { type FaultHooks, startFaultProxy } from "./fault-proxy.js";
import { faults } from "./faults.js";
import { PATIENT_TIMEOUT_MS } from "./seeds.js";
import { referenceServer } from "./server.js";
import { lenientServers, specVariants } from "./variants.js";

interface Limits {
  timeoutMs?: number;
  maxResponseBytes?: number;
  profile?: "core" | "strict";
  /** The seed of the generated cases, fixed so that a failure here can be replayed. */
  seed: number;
}

/** A seed per server, fixed: every server meets other generated cases, and each run the same. */
function seedOf(name: string): number {
  let hash = 7;
  for (const c of name) hash = (Math.imul(hash, 31) + (c.codePointAt(0) ?? 0)) | 0;
  return Math.abs(hash);
}

/** A fresh reference server behind a proxy with these hooks, judged by the suite. */
async function judgeAt(
  hooks: FaultHooks,
  limits: Limits,
  concurrency: number,
): Promise<SuiteReport> {
  const server = await referenceServer();
  try {
    const proxy = await startFaultProxy(server.url, server, hooks);
    try {
      return await runSuite({
        baseUrl: proxy.url,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        profile: limits.profile ?? "core",
        seed: limits.seed,
        concurrency,
        // Patient unless the fault is a hang: a correct answer may take seconds on a busy machine
        // (3 s once timed out one request at --concurrency 1 beside two CPU burners).
        timeoutMs: limits.timeoutMs ?? PATIENT_TIMEOUT_MS,
        ...(limits.maxResponseBytes ? { maxResponseBytes: limits.maxResponseBytes } : {}),
      });
    } finally {
      await proxy.close();
    }
  } finally {
    await server.close();
  }
}

/** The concurrencies every server is judged at: one check after the other, and many at once. */
const CONCURRENCIES = [1, 16] as const;

const failedIds = (report: SuiteReport) =>
  report.checks.filter((c) => c.status === "failed").map((c) => c.id);

/** Each check that failed in one report only, with its first failure: why the runs differ. */
function differences(...reports: SuiteReport[]): string {
  const lines: string[] = [];
  for (const [i, report] of reports.entries()) {
    const others = reports.filter((_, j) => j !== i).map((r) => new Set(failedIds(r)));
    for (const check of report.checks) {
      if (check.status !== "failed" || others.every((ids) => ids.has(check.id))) continue;
      const first = check.failures[0];
      lines.push(
        `\n  only at --concurrency ${CONCURRENCIES[i]}: ${check.id}: ${first?.type ?? "?"}: ${first?.request ?? ""} ${first?.observed ?? ""}`.slice(
          0,
          600,
        ),
      );
    }
  }
  return lines.join("");
}

/**
 * The server judged at each concurrency, one run after the other (the test runs a few servers
 * at once): both runs must reach the same verdicts, the same checks failing.
 */
export async function judge(hooks: FaultHooks, limits: Limits): Promise<SuiteReport[]> {
  const reports: SuiteReport[] = [];
  for (const concurrency of CONCURRENCIES) reports.push(await judgeAt(hooks, limits, concurrency));
  const [one, ...others] = reports as [SuiteReport, ...SuiteReport[]];
  for (const [index, other] of others.entries()) {
    expect(
      failedIds(other),
      `the same checks fail at --concurrency ${CONCURRENCIES[index + 1]} as at 1 (seed ${limits.seed})${differences(one, other)}`,
    ).toEqual(failedIds(one));
  }
  return reports;
}

/**
 * Registers the tests that judge the `shard`-th of `shards` parts of every list of servers: the
 * broken ones, the ones the spec allows, the lenient ones. Each part is a test file of its own,
 * and vitest runs test files side by side, one per core: the judging is work for the CPU.
 */
export function judgeServers(shard: number, shards: number): void {
  const mine = <T>(list: readonly T[]) => list.filter((_, index) => index % shards === shard - 1);

  // Each case has its own servers and proxies; running a few at once (vitest's maxConcurrency)
  // overlaps their waits. Every server is judged at --concurrency 1 and 16, to the same verdicts.
  describe.concurrent("each broken server is caught by the right check", () => {
    it.each(mine(faults).map((fault) => [fault.name, fault] as const))(
      "%s",
      async (_name, fault) => {
        const seed = seedOf(fault.name);
        for (const report of await judge(fault, { ...fault, seed })) {
          expect(failedIds(report), `${fault.name} breaks: ${fault.rule} (seed ${seed})`).toContain(
            fault.expect,
          );
          const failures = report.checks.find((c) => c.id === fault.expect)?.failures ?? [];
          const failure = fault.type ? failures.find((f) => f.type === fault.type) : failures[0];
          expect(
            failure,
            `${fault.name}: no ${fault.type} failure under ${fault.expect}`,
          ).toBeDefined();
          expect(failure?.requirement).toBeTruthy();
          expect(failure?.observed).toBeTruthy();
        }
      },
    );
  });

  describe.concurrent("what the spec allows never fails a check, strict included", () => {
    it.each(mine(specVariants).map((variant) => [variant.name, variant] as const))(
      "%s",
      async (_name, variant) => {
        const seed = seedOf(variant.name);
        for (const report of await judge(variant, { profile: "strict", seed })) {
          const failed = report.checks.filter((c) => c.status === "failed");
          expect(
            failed.map((c) => `${c.id}: ${c.failures[0]?.observed}`),
            `${variant.allowance} (seed ${seed})`,
          ).toEqual([]);
          expect(report.summary.passed).toBe(report.summary.total);
        }
      },
    );
  });

  describe.concurrent("what the document leaves open never fails a core check", () => {
    it.each(mine(lenientServers).map((server) => [server.name, server] as const))(
      "%s",
      async (_name, server) => {
        const seed = seedOf(server.name);
        for (const report of await judge(server, { profile: "core", seed })) {
          const failed = report.checks.filter((c) => c.status === "failed");
          expect(
            failed.map(
              (c) => `${c.id}: ${c.failures.map((f) => `[${f.type}] ${f.observed}`).join(" | ")}`,
            ),
            `${server.openPoint}: ${server.reading} (seed ${seed})`,
          ).toEqual([]);
          expect(report.summary.passed).toBe(report.summary.total);
        }
      },
    );
  });
}
