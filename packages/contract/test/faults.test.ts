import { afterEach, describe, expect, it } from "vitest";
import { runSuite } from "../src/index.js";
import { startFaultProxy } from "./fault-proxy.js";
import { faults, variants } from "./faults.js";
import { referenceServer } from "./server.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function judge(
  hooks: Parameters<typeof startFaultProxy>[2],
  limits: { timeoutMs?: number; maxResponseBytes?: number; profile?: "core" | "strict" } = {},
) {
  const server = await referenceServer();
  closers.push(() => server.close());
  const proxy = await startFaultProxy(server.url, server, hooks);
  closers.push(() => proxy.close());
  return runSuite({
    baseUrl: proxy.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    profile: limits.profile ?? "core",
    timeoutMs: limits.timeoutMs ?? 3000,
    ...(limits.maxResponseBytes ? { maxResponseBytes: limits.maxResponseBytes } : {}),
  });
}

describe("the fault catalog", () => {
  it("has at least 20 faults with unique names, each naming a check of the catalog", async () => {
    const { catalog } = await import("../src/index.js");
    expect(faults.length).toBeGreaterThanOrEqual(20);
    expect(new Set(faults.map((f) => f.name)).size).toBe(faults.length);
    for (const fault of faults) expect(catalog.map((c) => c.id)).toContain(fault.expect);
  });
});

describe("each broken server is caught by the right check", () => {
  it.each(faults.map((fault) => [fault.name, fault] as const))("%s", async (_name, fault) => {
    const report = await judge(fault, fault);
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    if (process.env.SHOW_FAULTS)
      console.log(
        fault.name,
        "=>",
        failed.join(" "),
        "|",
        report.checks.find((c) => c.id === fault.expect)?.failures[0]?.observed,
      );
    expect(failed, `${fault.name} breaks: ${fault.rule}`).toContain(fault.expect);
    const failure = report.checks.find((c) => c.id === fault.expect)?.failures[0];
    expect(failure?.requirement).toBeTruthy();
    expect(failure?.observed).toBeTruthy();
  });
});

describe("what the spec allows never fails a check", () => {
  it.each(variants.map((variant) => [variant.name, variant] as const))(
    "%s",
    async (_name, variant) => {
      const report = await judge(variant);
      const failed = report.checks.filter((c) => c.status === "failed");
      expect(
        failed.map((c) => `${c.id}: ${c.failures[0]?.observed}`),
        variant.allowance,
      ).toEqual([]);
      expect(report.summary.passed).toBe(report.summary.total);
    },
  );
});
