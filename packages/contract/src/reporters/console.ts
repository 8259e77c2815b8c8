import { inert } from "@mgmtkit/spec/secrets";
import { runFails } from "../baseline.js";
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
      ? ` (skipped: ${inert(result.skipReason ?? "")})`
      : result.status === "failed"
        ? ` (${result.failures.length} failure${result.failures.length === 1 ? "" : "s"})`
        : "";
  return `${paint(style, color, MARK[result.status])} ${result.id} ${paint(style, 2, `${result.durationMs} ms`)}${suffix}`;
}

/** How the run used the network, for the last line: connections, and the 429s waited out. */
function network(report: SuiteReport): string {
  const net = report.network;
  if (!net) return "";
  const { opened, reused } = net.connections;
  const throttled = net.throttled.answers
    ? `; ${net.throttled.answers} answer${net.throttled.answers === 1 ? "" : "s"} 429 waited out (${Math.round(net.throttled.waitedMs / 1000)} s)`
    : "";
  const window = net.consistencyWindowMs
    ? `, reads ${net.consistencyWindowMs} ms after a check's writes`
    : "";
  return ` (${net.concurrency} at once${net.rateLimit ? `, at most ${net.rateLimit}/s` : ""}${window}; ${opened} connection${opened === 1 ? "" : "s"} opened, ${reused} request${reused === 1 ? "" : "s"} on one kept alive${throttled})`;
}

/** Printed before the first check; the seed is what `--seed` needs to generate the same cases. */
export function header(
  report: { baseUrl: string; profile: string; seed?: number },
  total: number,
): string {
  const seed = report.seed === undefined ? "" : ` (seed ${report.seed})`;
  return `mgmtkit-contract: ${total} ${report.profile} checks against ${inert(report.baseUrl)}${seed}\n`;
}

/** The lines of a generated or stateful case behind a failure: its family, seed and steps. */
function caseLines(failure: Failure): string[] {
  const found = failure.case;
  if (!found) return [];
  const lines = [
    `  case:     ${found.id} (${found.kind}: ${inert(found.description)}), seed ${failure.seed ?? "?"}, shrunk in ${found.shrinks} step${found.shrinks === 1 ? "" : "s"}`,
  ];
  // The failing request is the reproduction below; earlier steps set the scene.
  const before = found.steps.slice(0, -1);
  if (before.length > 0) {
    lines.push("  steps:");
    for (const step of before) lines.push(`    ${inert(step)}`);
  }
  return lines;
}

/** The few causes behind most failures, each with the checks it explains and one reproduction. */
function causeLines(report: SuiteReport, style: ConsoleStyle): string[] {
  const causes = report.causes ?? [];
  if (causes.length === 0) return [];
  const out = [paint(style, 1, "Root causes"), ""];
  for (const cause of causes) {
    const checks = cause.checks.length;
    out.push(
      `${paint(style, 31, "✗")} ${paint(style, 1, inert(cause.summary))}: explains ${cause.failures} failures of ${checks} check${checks === 1 ? "" : "s"}`,
      `  checks:   ${cause.checks.join(", ")}`,
    );
    if (cause.curl) out.push(`  reproduce: ${inert(cause.curl)}`);
    out.push("");
  }
  return out;
}

/** Every failure in full, after the line that sets the token its reproductions read. */
function failureLines(report: SuiteReport, style: ConsoleStyle): string[] {
  const failed = report.checks.filter((c) => c.status === "failed");
  if (failed.length === 0) return [];
  const out: string[] = [paint(style, 1, "Failures"), ""];
  if (report.tokenCommand) {
    out.push(
      "Each reproduction reads $MGMTKIT_TOKEN; with the client secret in $MGMTKIT_CLIENT_SECRET, set it with:",
      `  ${inert(report.tokenCommand)}`,
      "",
    );
  }
  for (const check of failed) {
    for (const failure of check.failures) {
      const mark = failure.known ? paint(style, 33, "✗") : paint(style, 31, "✗");
      const known = failure.known
        ? paint(style, 33, " (known: in the baseline)")
        : report.baseline
          ? paint(style, 31, " (new: not in the baseline)")
          : "";
      out.push(`${mark} ${paint(style, 1, check.id)} — ${check.title}${known}`);
      if (failure.type !== "check" && failure.type !== check.id)
        out.push(`  rule:     ${failure.type}`);
      // What quotes the server or the client is printed inert: no escape code reaches the terminal.
      out.push(`  requires: ${inert(failure.requirement)}`);
      out.push(`  observed: ${inert(failure.observed)}`);
      out.push(`  source:   ${check.source}`);
      out.push(...caseLines(failure));
      if (failure.curl) out.push(`  reproduce: ${inert(failure.curl)}`);
      if (report.baseline && failure.fingerprint) out.push(`  fingerprint: ${failure.fingerprint}`);
      out.push("");
    }
  }
  return out;
}

/** What the run exercised: each operation's documented statuses, and a proxy's traffic. */
function exercisedLines(report: SuiteReport, style: ConsoleStyle): string[] {
  const out: string[] = [paint(style, 1, "Exercised")];
  let documented = 0;
  let hit = 0;
  for (const op of report.coverage) {
    const keys = Object.entries(op.statuses);
    documented += keys.length;
    hit += keys.filter(([, n]) => n > 0).length;
    const statuses = keys
      .map(([key, n]) =>
        n === 0
          ? paint(style, 2, `${key}×0`)
          : key.startsWith("5")
            ? paint(style, 31, `${key}×${n}`)
            : `${key}×${n}`,
      )
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
  if (report.traffic) {
    const { exchanges, incomplete, unvalidatedBodies, maxBodyBytes } = report.traffic;
    out.push(
      `  ${exchanges} exchanges through ${report.traffic.listen}, ${incomplete} without a complete answer; ${unvalidatedBodies} bodies over ${maxBodyBytes} bytes forwarded whole but not validated`,
      "",
    );
  }
  return out;
}

/** The summary after the run: the root causes, every failure in full, what the run exercised, the totals. */
export function summary(report: SuiteReport, style: ConsoleStyle): string {
  const out: string[] = [""];
  out.push(...causeLines(report, style));
  out.push(...failureLines(report, style));
  out.push(...exercisedLines(report, style));
  const baseline = report.baseline;
  if (baseline) {
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    out.push(
      `${paint(style, 1, "Baseline")} ${baseline.file}: ${plural(baseline.known, "known failure", "known failures")}, ${baseline.new} new`,
    );
    for (const entry of baseline.fixed) {
      out.push(
        `  ${paint(style, baseline.strict ? 31 : 32, "fixed")} ${entry.check}${entry.fingerprint ? ` ${entry.fingerprint}` : ""}: it no longer fails as the baseline expects; remove it (--update-baseline)`,
      );
    }
    if (baseline.notRun.length > 0) {
      const ids = [...new Set(baseline.notRun.map((e) => e.check))].join(", ");
      out.push(
        `  ${plural(baseline.notRun.length, "entry", "entries")} of checks that did not run: ${ids}`,
      );
    }
    out.push("");
  }
  if (report.stopped) out.push(paint(style, 33, inert(report.stopped.message)), "");
  const { passed, failed: failedCount, skipped, total } = report.summary;
  const verdict = report.stopped
    ? paint(style, 33, "STOPPED")
    : runFails(report)
      ? paint(style, 31, "FAIL")
      : paint(style, 32, "PASS");
  const failedText = baseline
    ? `${failedCount} failed (${baseline.known} known, ${baseline.new} new failures)`
    : `${failedCount} failed`;
  out.push(
    `${verdict} ${passed} passed, ${failedText}, ${skipped} skipped of ${total} ${report.traffic ? "rules" : "checks"}; ${report.requests} ${report.traffic ? "exchanges" : "requests"} in ${report.durationMs} ms${network(report)}`,
    ...(report.generated
      ? [
          `${report.generated.cases} generated cases and ${report.generated.sequences} stateful sequences from seed ${report.seed} (--seed ${report.seed} generates them again)`,
        ]
      : []),
  );
  return `${out.join("\n")}\n`;
}
