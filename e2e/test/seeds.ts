import { runSuite, type SuiteReport } from "@mgmtkit/contract";
import { type FaultHooks, startFaultProxy } from "./fault-proxy.js";
import type { Fault } from "./faults.js";
import { referenceServer } from "./server.js";

/**
 * The checks whose requests depend on the seed: every other check sends the same requests under
 * any seed, so a server they judge is judged alike under all of them.
 */
export const SEEDED_CHECKS = ["generated.*", "stateful.*"];

/** How long a server that must pass may take to answer one request, on a busy machine. */
export const PATIENT_TIMEOUT_MS = 15_000;

/** The seeds a fault is judged under: `MGMTKIT_SEEDS` (a list, or a count from 1), or ten. */
export function seedsToJudge(env = process.env.MGMTKIT_SEEDS): number[] {
  const text = env?.trim();
  if (!text) return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  if (/^\d+$/.test(text)) return Array.from({ length: Number(text) }, (_, i) => i + 1);
  return text.split(",").map((s) => Number(s.trim()));
}

/** A fresh reference server behind a proxy with these hooks, judged by the given checks. */
export async function judgeOnce(
  hooks: FaultHooks,
  options: {
    seed: number;
    only: string[];
    profile?: "core" | "strict";
    timeoutMs?: number;
    maxResponseBytes?: number;
  },
): Promise<SuiteReport> {
  const server = await referenceServer();
  try {
    const proxy = await startFaultProxy(server.url, server, hooks);
    try {
      return await runSuite({
        baseUrl: proxy.url,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        profile: options.profile ?? "core",
        seed: options.seed,
        only: options.only,
        concurrency: 4,
        timeoutMs: options.timeoutMs ?? PATIENT_TIMEOUT_MS,
        ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
      });
    } finally {
      await proxy.close();
    }
  } finally {
    await server.close();
  }
}

/** Whether the run caught the fault: its check failed, with the kind of failure it names. */
export function caught(fault: Fault, report: SuiteReport): boolean {
  const check = report.checks.find((c) => c.id === fault.expect);
  if (check?.status !== "failed") return false;
  return fault.type ? check.failures.some((f) => f.type === fault.type) : true;
}

/** Whether a check's requests depend on the seed. */
export const seeded = (checkId: string) =>
  SEEDED_CHECKS.some((pattern) => checkId.startsWith(pattern.replace("*", "")));

/**
 * The seeds, of `seeds`, under which the fault's own check does not catch it. A check whose
 * requests do not depend on the seed is judged once, for all of them.
 */
export async function missedUnder(fault: Fault, seeds: readonly number[]): Promise<number[]> {
  const missed: number[] = [];
  if (!seeded(fault.expect)) {
    const report = await judgeOnce(fault, { ...fault, seed: seeds[0] ?? 1, only: [fault.expect] });
    return caught(fault, report) ? [] : [...seeds];
  }
  for (const seed of seeds) {
    const report = await judgeOnce(fault, { ...fault, seed, only: [fault.expect] });
    if (!caught(fault, report)) missed.push(seed);
  }
  return missed;
}

/** The seeds under which a server that must pass fails a seeded check, with what failed. */
export async function falseAlarmsUnder(
  server: FaultHooks,
  profile: "core" | "strict",
  seeds: readonly number[],
): Promise<string[]> {
  const alarms: string[] = [];
  for (const seed of seeds) {
    // A server that must pass is given time to answer on a machine busy with other judged runs:
    // a late answer here is the machine's, and it would hide the verdicts this run is for.
    const report = await judgeOnce(server, {
      seed,
      profile,
      only: SEEDED_CHECKS,
      timeoutMs: PATIENT_TIMEOUT_MS,
    });
    for (const check of report.checks.filter((c) => c.status === "failed")) {
      alarms.push(`seed ${seed}: ${check.id}: ${check.failures[0]?.observed ?? ""}`);
    }
  }
  return alarms;
}
