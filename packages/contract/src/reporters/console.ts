import type { CheckResult, Failure, SuiteReport } from "../types.js";

export interface ConsoleStyle {
  color: boolean;
}

function paint(style: ConsoleStyle, code: number, text: string): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

const MARK = { passed: "✓", failed: "✗", skipped: "-" } as const;

/** One progress line per check, written as each check ends. */
export function progressLine(result: CheckResult, style: ConsoleStyle): string {
  const color = result.status === "passed" ? 32 : result.status === "failed" ? 31 : 33;
  const suffix =
    result.status === "skipped"
      ? ` (skipped: ${result.skipReason})`
      : result.status === "failed"
        ? ` (${result.failures.length} failure${result.failures.length === 1 ? "" : "s"})`
        : "";
  return `${paint(style, color, MARK[result.status])} ${result.id} ${paint(style, 2, `${result.durationMs} ms`)}${suffix}`;
}

/** Printed before the first check; the seed is what `--seed` needs to generate the same cases. */
export function header(
  report: { baseUrl: string; profile: string; seed?: number },
  total: number,
): string {
  const seed = report.seed === undefined ? "" : ` (seed ${report.seed})`;
  return `mgmtkit-contract: ${total} ${report.profile} checks against ${report.baseUrl}${seed}\n`;
}

/** The lines of a generated or stateful case behind a failure: its family, seed and steps. */
function caseLines(failure: Failure): string[] {
  const found = failure.case;
  if (!found) return [];
  const lines = [
    `  case:     ${found.id} (${found.kind}: ${found.description}), seed ${failure.seed ?? "?"}, shrunk in ${found.shrinks} step${found.shrinks === 1 ? "" : "s"}`,
  ];
  // The failing request is the reproduction below; earlier steps set the scene.
  const before = found.steps.slice(0, -1);
  if (before.length > 0) {
    lines.push("  steps:");
    for (const step of before) lines.push(`    ${step}`);
  }
  return lines;
}

/** The summary after the run: every failure in full, what the run exercised, the totals. */
export function summary(report: SuiteReport, style: ConsoleStyle): string {
  const out: string[] = [""];
  const failed = report.checks.filter((c) => c.status === "failed");
  if (failed.length > 0) {
    out.push(paint(style, 1, "Failures"), "");
    for (const check of failed) {
      for (const failure of check.failures) {
        out.push(`${paint(style, 31, "✗")} ${paint(style, 1, check.id)} — ${check.title}`);
        if (failure.type !== "check") out.push(`  rule:     ${failure.type}`);
        out.push(`  requires: ${failure.requirement}`);
        out.push(`  observed: ${failure.observed}`);
        out.push(`  source:   ${check.source}`);
        out.push(...caseLines(failure));
        if (failure.curl) out.push(`  reproduce: ${failure.curl}`);
        out.push("");
      }
    }
  }
  out.push(paint(style, 1, "Exercised"));
  let documented = 0;
  let hit = 0;
  for (const op of report.coverage) {
    const keys = Object.entries(op.statuses);
    documented += keys.length;
    hit += keys.filter(([, n]) => n > 0).length;
    const statuses = keys
      .map(([key, n]) => (n > 0 ? `${key}×${n}` : paint(style, 2, `${key}×0`)))
      .join(" ");
    const extra = Object.entries(op.undocumented)
      .map(([key, n]) => paint(style, 31, `${key}×${n} undocumented`))
      .join(" ");
    out.push(`  ${`${op.method} ${op.path}`.padEnd(46)} ${statuses}${extra ? ` ${extra}` : ""}`);
  }
  const exercisedOps = report.coverage.filter((op) => op.requests > 0).length;
  out.push(
    `  ${exercisedOps}/${report.coverage.length} operations, ${hit}/${documented} documented statuses exercised`,
    "",
  );
  const { passed, failed: failedCount, skipped, total } = report.summary;
  const verdict = failedCount === 0 ? paint(style, 32, "PASS") : paint(style, 31, "FAIL");
  out.push(
    `${verdict} ${passed} passed, ${failedCount} failed, ${skipped} skipped of ${total} checks; ${report.requests} requests in ${report.durationMs} ms`,
    `${report.generated.cases} generated cases and ${report.generated.sequences} stateful sequences from seed ${report.seed} (--seed ${report.seed} generates them again)`,
  );
  return `${out.join("\n")}\n`;
}
