import { describe, expect, it } from "vitest";
import { catalog, runSuite, type SuiteReport } from "../src/index.js";
import { type FaultHooks, startFaultProxy } from "./fault-proxy.js";
import { faults, variants } from "./faults.js";
import { referenceServer } from "./server.js";

interface Limits {
  timeoutMs?: number;
  maxResponseBytes?: number;
  profile?: "core" | "strict";
}

/** A fresh reference server behind a proxy with these hooks, judged by the suite. */
async function judge(hooks: FaultHooks, limits: Limits = {}): Promise<SuiteReport> {
  const server = await referenceServer();
  try {
    const proxy = await startFaultProxy(server.url, server, hooks);
    try {
      return await runSuite({
        baseUrl: proxy.url,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        profile: limits.profile ?? "core",
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
    for (const fault of faults) expect(catalog.map((c) => c.id)).toContain(fault.expect);
  });

  it("has a fault for every check", () => {
    const caught = new Set(faults.map((f) => f.expect));
    expect(catalog.filter((c) => !caught.has(c.id)).map((c) => c.id)).toEqual([]);
  });
});

// Each case has its own server and proxy; running a few at once overlaps their waits.
describe.concurrent("each broken server is caught by the right check", () => {
  it.each(faults.map((fault) => [fault.name, fault] as const))("%s", async (_name, fault) => {
    const report = await judge(fault, fault);
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    expect(failed, `${fault.name} breaks: ${fault.rule}`).toContain(fault.expect);
    const failure = report.checks.find((c) => c.id === fault.expect)?.failures[0];
    expect(failure?.requirement).toBeTruthy();
    expect(failure?.observed).toBeTruthy();
  });
});

describe.concurrent("what the spec allows never fails a check", () => {
  it.each(variants.map((variant) => [variant.name, variant] as const))(
    "%s",
    async (_name, variant) => {
      const report = await judge(variant, { profile: variant.profile ?? "strict" });
      const failed = report.checks.filter((c) => c.status === "failed");
      expect(
        failed.map((c) => `${c.id}: ${c.failures[0]?.observed}`),
        variant.allowance,
      ).toEqual([]);
      expect(report.summary.passed).toBe(report.summary.total);
    },
  );
});
