// `pnpm --filter @mgmtkit/e2e run seeds`: every fault of test/faults.ts judged by its own check
// under ten seeds (MGMTKIT_SEEDS="1,7,99" or MGMTKIT_SEEDS=20 for others), and every lenient and
// spec-allowed server by the seeded checks under the same seeds. Minutes, not for CI: CI runs
// test/seeds.test.ts, a slice of it.
import { afterAll, describe, expect, it } from "vitest";
import { faults } from "../test/faults.js";
import { falseAlarmsUnder, missedUnder, seedsToJudge } from "../test/seeds.js";
import { lenientServers, specVariants } from "../test/variants.js";

const seeds = seedsToJudge();
const misses: string[] = [];
const alarms: string[] = [];

afterAll(() => {
  const lines = [
    `Seeds: ${seeds.join(", ")}.`,
    `${faults.length} faults: ${misses.length === 0 ? "each caught under every seed" : `${misses.length} missed under some seed`}.`,
    ...misses.map((m) => `  missed: ${m}`),
    `${lenientServers.length + specVariants.length} servers that must pass: ${alarms.length === 0 ? "no false alarm under any seed" : `${alarms.length} false alarms`}.`,
    ...alarms.map((a) => `  false alarm: ${a}`),
  ];
  process.stdout.write(`\n${lines.join("\n")}\n`);
});

describe.concurrent("each fault is caught whatever the seed", () => {
  it.each(faults.map((fault) => [fault.name, fault] as const))("%s", async (name, fault) => {
    const missed = await missedUnder(fault, seeds);
    if (missed.length > 0)
      misses.push(`${name} (${fault.expect}) under seeds ${missed.join(", ")}`);
    expect(missed, `${name}: ${fault.rule}`).toEqual([]);
  });
});

describe.concurrent("what the document leaves open passes whatever the seed", () => {
  it.each([
    ...lenientServers.map((s) => [s.name, s, "core"] as const),
    ...specVariants.map((s) => [s.name, s, "strict"] as const),
  ])("%s", async (name, server, profile) => {
    const found = await falseAlarmsUnder(server, profile, seeds);
    alarms.push(...found.map((a) => `${name} (${profile}) ${a}`));
    expect(found).toEqual([]);
  });
});
