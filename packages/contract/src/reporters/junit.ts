import { inert } from "@mgmtkit/spec/secrets";
import type { CheckResult, RootCause, SuiteReport } from "../types.js";

/** XML 1.0 forbids most control characters even when escaped; they become U+FFFD. */
function withoutControlCharacters(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code !== 0xfffe && code !== 0xffff);
    out += allowed ? char : "\uFFFD";
  }
  return out;
}

function xml(text: string): string {
  // Text from the server or the client, inert line by line (`\x1b`, `\r` shown escaped); the
  // report's own line breaks stay.
  return withoutControlCharacters(text.split("\n").map(inert).join("\n"))
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** A failed check with a failure the baseline does not expect (without a baseline, any failed check). */
const failing = (check: CheckResult) =>
  check.status === "failed" && check.failures.some((f) => !f.known);

/** The root causes a check's failures fall under, as the first lines of its failure. */
function causeLines(check: CheckResult, causes: readonly RootCause[]): string[] {
  return causes
    .filter((cause) => cause.checks.includes(check.id))
    .map(
      (cause) =>
        `Cause: ${cause.summary} (explains ${cause.failures} failures of ${cause.checks.length} checks)`,
    );
}

function testcase(check: CheckResult, causes: readonly RootCause[]): string {
  const group = check.id.split(".")[0];
  const open = `    <testcase classname="mgmtkit-contract.${xml(group ?? "")}" name="${xml(check.id)}" time="${seconds(check.durationMs)}">`;
  const lines = [open];
  const details = check.failures
    .map((f) =>
      [
        ...(f.known ? ["Known: the baseline expects this failure"] : []),
        ...(f.type !== "check" ? [`Rule: ${f.type}`] : []),
        `Requires: ${f.requirement}`,
        `Observed: ${f.observed}`,
        ...(f.request ? [`Request: ${f.request}`] : []),
        ...(f.case
          ? [
              `Case: ${f.case.id} (${f.case.kind}: ${f.case.description}), seed ${f.seed}, shrunk in ${f.case.shrinks} steps`,
              ...f.case.steps.slice(0, -1).map((step) => `Step: ${step}`),
            ]
          : []),
        ...(f.curl ? [`Reproduce: ${f.curl}`] : []),
        ...(f.fingerprint ? [`Fingerprint: ${f.fingerprint}`] : []),
      ].join("\n"),
    )
    .join("\n\n");
  // A check whose every failure the baseline expects is shown as skipped, as test runners show
  // an expected failure, so that a JUnit consumer does not turn the build red for it.
  const onlyKnown = check.status === "failed" && check.failures.every((f) => f.known);
  if (check.status === "failed" && !onlyKnown) {
    const first = check.failures.find((f) => !f.known) ?? check.failures[0];
    lines.push(
      `      <failure message="${xml(first ? first.observed : "failed")}" type="${xml(check.id)}">${xml(
        [...causeLines(check, causes), check.title, `Source: ${check.source}`, "", details].join(
          "\n",
        ),
      )}</failure>`,
    );
  } else if (onlyKnown) {
    lines.push(
      `      <skipped message="${xml(`expected failure: the baseline expects ${check.failures.length === 1 ? "its failure" : `its ${check.failures.length} failures`}`)}"/>`,
    );
  } else if (check.status === "skipped") {
    lines.push(`      <skipped message="${xml(check.skipReason ?? "skipped")}"/>`);
  }
  lines.push(
    `      <system-out>${xml(`${check.requirement}\nSource: ${check.source}\nRequests: ${check.requests}${onlyKnown ? `\n\n${details}` : ""}`)}</system-out>`,
  );
  lines.push("    </testcase>");
  return lines.join("\n");
}

/**
 * A JUnit XML report in the form CI systems read (Jenkins, GitLab, GitHub test reporters):
 * one testsuite per check group, one testcase per check, failures with the reproduction command.
 */
export function junitReport(report: SuiteReport): string {
  const causes = report.causes ?? [];
  const groups = new Map<string, CheckResult[]>();
  for (const check of report.checks) {
    const group = check.id.split(".")[0] ?? "checks";
    groups.set(group, [...(groups.get(group) ?? []), check]);
  }
  const suites = [...groups.entries()].map(([group, results]) => {
    const failures = results.filter(failing).length;
    const skipped = results.length - failures - results.filter((r) => r.status === "passed").length;
    const time = results.reduce((sum, r) => sum + r.durationMs, 0);
    return [
      `  <testsuite name="mgmtkit-contract.${xml(group)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${xml(report.startedAt.replace(/\.\d+Z$/, ""))}">`,
      "    <properties>",
      `      <property name="baseUrl" value="${xml(report.baseUrl)}"/>`,
      `      <property name="profile" value="${xml(report.profile)}"/>`,
      ...(report.tokenCommand
        ? [
            `      <property name="reproduce: set MGMTKIT_TOKEN" value="${xml(report.tokenCommand)}"/>`,
          ]
        : []),
      // The few causes behind most failures of the whole run, before its checks.
      ...causes.map(
        (cause, i) =>
          `      <property name="root cause ${i + 1}" value="${xml(
            `${cause.summary}: explains ${cause.failures} failures of ${cause.checks.join(", ")}${cause.curl ? `; reproduce: ${cause.curl}` : ""}`,
          )}"/>`,
      ),
      // Which operations and documented statuses the whole run exercised.
      ...report.coverage.map(
        (op) =>
          `      <property name="exercised ${xml(`${op.method} ${op.path}`)}" value="${xml(
            [
              ...Object.entries(op.statuses).map(([key, n]) => `${key}×${n}`),
              ...Object.entries(op.undocumented).map(([key, n]) => `${key}×${n} undocumented`),
            ].join(" "),
          )}"/>`,
      ),
      "    </properties>",
      ...results.map((check) => testcase(check, causes)),
      "  </testsuite>",
    ].join("\n");
  });
  const { total } = report.summary;
  const failed = report.checks.filter(failing).length;
  const skipped = report.checks.filter((c) => c.status !== "passed").length - failed;
  // A run that stopped (or could not start) says why as an error, which CI shows as one.
  const stopped = report.stopped
    ? [
        `  <testsuite name="mgmtkit-contract.run" tests="1" failures="0" errors="1" skipped="0" time="${seconds(report.durationMs)}">`,
        `    <testcase classname="mgmtkit-contract.run" name="run" time="${seconds(report.durationMs)}">`,
        `      <error message="${xml(report.stopped.message)}" type="${xml(report.stopped.reason)}"/>`,
        "    </testcase>",
        "  </testsuite>",
      ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mgmtkit-contract" tests="${total + (stopped.length > 0 ? 1 : 0)}" failures="${failed}" errors="${stopped.length > 0 ? 1 : 0}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
    ...stopped,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
