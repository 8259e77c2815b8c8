import { readFileSync } from "node:fs";
import {
  catalog,
  openPoints,
  runSuite,
  type SuiteReport,
  validatorCatalog,
} from "@mgmtkit/contract";
import { describe, expect, it } from "vitest";
import { type FaultHooks, startFaultProxy } from "./fault-proxy.js";
import { faults } from "./faults.js";
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
        timeoutMs: limits.timeoutMs ?? 3000,
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

/**
 * The server judged at each concurrency, one run after the other (the test runs a few servers
 * at once): both runs must reach the same verdicts, the same checks failing.
 */
async function judge(hooks: FaultHooks, limits: Limits): Promise<SuiteReport[]> {
  const reports: SuiteReport[] = [];
  for (const concurrency of CONCURRENCIES) reports.push(await judgeAt(hooks, limits, concurrency));
  const [one, ...others] = reports as [SuiteReport, ...SuiteReport[]];
  for (const [index, other] of others.entries()) {
    expect(
      failedIds(other),
      `the same checks fail at --concurrency ${CONCURRENCIES[index + 1]} as at 1 (seed ${limits.seed})`,
    ).toEqual(failedIds(one));
  }
  return reports;
}

describe("the fault catalog", () => {
  it("has at least 20 faults with unique names, each naming a check of the catalog", () => {
    expect(faults.length).toBeGreaterThanOrEqual(20);
    expect(new Set(faults.map((f) => f.name)).size).toBe(faults.length);
    for (const fault of faults) {
      expect(catalog.map((c) => c.id)).toContain(fault.expect);
      if (fault.type) expect(["check", ...validatorCatalog.map((v) => v.id)]).toContain(fault.type);
    }
  });

  it("is counted as it is in the README", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const stated = /the\s+suite against (\d+) deliberately broken servers/.exec(readme);
    expect(Number(stated?.[1])).toBe(faults.length);
  });

  it("has a fault for every check and every response validator", () => {
    const caught = new Set(faults.flatMap((f) => [f.expect, f.type]));
    expect(
      [...catalog, ...validatorCatalog].filter((c) => !caught.has(c.id)).map((c) => c.id),
    ).toEqual([]);
  });
});

// Each case has its own servers and proxies; running a few at once (vitest's maxConcurrency)
// overlaps their waits. Every server is judged at --concurrency 1 and 16, to the same verdicts.
describe.concurrent("each broken server is caught by the right check", () => {
  it.each(faults.map((fault) => [fault.name, fault] as const))("%s", async (_name, fault) => {
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
  });
});

describe.concurrent("what the spec allows never fails a check, strict included", () => {
  it.each(specVariants.map((variant) => [variant.name, variant] as const))(
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

describe("the lenient servers", () => {
  it("cover every open point of the suite", () => {
    const covered = new Set(
      [...lenientServers, ...specVariants].map((v) => v.openPoint).filter(Boolean),
    );
    expect(openPoints.map((p) => p.id).filter((id) => !covered.has(id))).toEqual([]);
    for (const server of lenientServers)
      expect(openPoints.map((p) => p.id)).toContain(server.openPoint);
  });

  it("take each stricter-than-document reading of the spec audit (issue 19, items 1-7)", () => {
    const taken = new Set(lenientServers.map((s) => s.audit));
    expect([1, 2, 3, 4, 5, 6, 7].filter((item) => !taken.has(item))).toEqual([]);
  });
});

describe.concurrent("what the document leaves open never fails a core check", () => {
  it.each(lenientServers.map((server) => [server.name, server] as const))(
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
