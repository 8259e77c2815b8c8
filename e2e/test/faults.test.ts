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
async function judge(hooks: FaultHooks, limits: Limits): Promise<SuiteReport> {
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

// Each case has its own server and proxy; running a few at once overlaps their waits.
describe.concurrent("each broken server is caught by the right check", () => {
  it.each(faults.map((fault) => [fault.name, fault] as const))("%s", async (_name, fault) => {
    const seed = seedOf(fault.name);
    const report = await judge(fault, { ...fault, seed });
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    expect(failed, `${fault.name} breaks: ${fault.rule} (seed ${seed})`).toContain(fault.expect);
    const failures = report.checks.find((c) => c.id === fault.expect)?.failures ?? [];
    const failure = fault.type ? failures.find((f) => f.type === fault.type) : failures[0];
    expect(failure, `${fault.name}: no ${fault.type} failure under ${fault.expect}`).toBeDefined();
    expect(failure?.requirement).toBeTruthy();
    expect(failure?.observed).toBeTruthy();
  });
});

describe.concurrent("what the spec allows never fails a check, strict included", () => {
  it.each(specVariants.map((variant) => [variant.name, variant] as const))(
    "%s",
    async (_name, variant) => {
      const seed = seedOf(variant.name);
      const report = await judge(variant, { profile: "strict", seed });
      const failed = report.checks.filter((c) => c.status === "failed");
      expect(
        failed.map((c) => `${c.id}: ${c.failures[0]?.observed}`),
        `${variant.allowance} (seed ${seed})`,
      ).toEqual([]);
      expect(report.summary.passed).toBe(report.summary.total);
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
      const report = await judge(server, { profile: "core", seed });
      const failed = report.checks.filter((c) => c.status === "failed");
      expect(
        failed.map(
          (c) => `${c.id}: ${c.failures.map((f) => `[${f.type}] ${f.observed}`).join(" | ")}`,
        ),
        `${server.openPoint}: ${server.reading} (seed ${seed})`,
      ).toEqual([]);
      expect(report.summary.passed).toBe(report.summary.total);
    },
  );
});
