import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { withCauses } from "./causes.js";
import { fingerprintOf } from "./fingerprint.js";
import type { BaselineEntry, BaselineOutcome, Failure, SuiteReport } from "./types.js";

/**
 * A baseline is a committed file of the failures a server is known to have, as the OpenID
 * conformance suite and web-platform-tests keep expectation files: a run reports them but fails
 * only on new ones, and an entry that now passes is reported as fixed so that the file only
 * shrinks.
 *
 * ```json
 * { "version": 1, "expected": [{ "check": "document.accept-xml", "fingerprint": "3f2a…", "comment": "…" }] }
 * ```
 */

/** A baseline file that cannot be read, parsed or written (the CLI exits 2). */
export class BaselineError extends Error {
  override name = "BaselineError";
}

const FINGERPRINT = /^[0-9a-f]{12}$/;
const ENTRY_KEYS = new Set(["check", "fingerprint", "comment"]);

/** The entries of a baseline file's text; throws BaselineError with one sentence naming `file`. */
export function parseBaseline(text: string, file: string): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(
      `The baseline ${file} is not JSON (${(error as Error).message.replace(/\s+/g, " ").replace(/\.$/, "")}).`,
    );
  }
  const bad = (what: string) =>
    new BaselineError(
      `The baseline ${file} ${what}; it holds { "version": 1, "expected": [{ "check": "<check id>", "fingerprint": "<12 hex digits, optional>" }] }.`,
    );
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw bad("is not a JSON object");
  }
  const { version, expected } = data as { version?: unknown; expected?: unknown };
  if (version !== undefined && version !== 1) {
    throw bad(`has version ${JSON.stringify(version)}, which this suite does not read`);
  }
  if (!Array.isArray(expected)) throw bad('has no "expected" array');
  return expected.map((entry: unknown, index) => {
    const where = `entry ${index + 1} of "expected"`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw bad(`has an ${where} that is not an object`);
    }
    const record = entry as Record<string, unknown>;
    const unknownKey = Object.keys(record).find((key) => !ENTRY_KEYS.has(key));
    if (unknownKey !== undefined) {
      throw bad(`has an unknown property ${JSON.stringify(unknownKey)} in ${where}`);
    }
    if (typeof record.check !== "string" || record.check.trim() === "") {
      throw bad(`has no "check" id in ${where}`);
    }
    if (
      record.fingerprint !== undefined &&
      (typeof record.fingerprint !== "string" || !FINGERPRINT.test(record.fingerprint))
    ) {
      throw bad(`has a "fingerprint" in ${where} that is not 12 lower-case hex digits`);
    }
    if (record.comment !== undefined && typeof record.comment !== "string") {
      throw bad(`has a "comment" in ${where} that is not a string`);
    }
    return {
      check: record.check.trim(),
      ...(record.fingerprint !== undefined ? { fingerprint: record.fingerprint as string } : {}),
      ...(record.comment !== undefined ? { comment: record.comment as string } : {}),
    };
  });
}

/**
 * Reads a baseline file. A missing file is an error unless `missingIsEmpty` (the run is about to
 * write it with `--update-baseline`).
 */
export function readBaseline(file: string, { missingIsEmpty = false } = {}): BaselineEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" && missingIsEmpty) return [];
    throw new BaselineError(
      code === "ENOENT"
        ? `The baseline ${file} does not exist; create it with --update-baseline.`
        : `Cannot read the baseline ${file}: ${(error as Error).message}.`,
    );
  }
  return parseBaseline(text, file);
}

/** The baseline file's text for these entries: sorted, one per line of intent, ending in a newline. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort(
    (a, b) =>
      a.check.localeCompare(b.check) || (a.fingerprint ?? "").localeCompare(b.fingerprint ?? ""),
  );
  return `${JSON.stringify({ version: 1, expected: sorted }, null, 2)}\n`;
}

/** Writes the baseline whole or not at all (a temporary file renamed over it). */
export function writeBaseline(file: string, entries: readonly BaselineEntry[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, formatBaseline(entries));
    renameSync(temporary, file);
  } catch (error) {
    throw new BaselineError(`Cannot write the baseline ${file}: ${(error as Error).message}.`);
  }
}

const covers = (entry: BaselineEntry, print: string) =>
  entry.fingerprint === undefined || entry.fingerprint === print;

/** The checks that ran to the end (passed or failed): only they can confirm or clear an entry. */
function ranChecks(report: SuiteReport): Map<string, Failure[]> {
  return new Map(
    report.checks.filter((c) => c.status !== "skipped").map((c) => [c.id, c.failures]),
  );
}

/**
 * The report with each failure the baseline expects marked `known`, and the comparison in
 * `baseline`: how many failures are known and new, which entries are fixed, how many did not run.
 */
export function applyBaseline(
  report: SuiteReport,
  entries: readonly BaselineEntry[],
  options: { file: string; strict?: boolean },
): SuiteReport {
  const ran = ranChecks(report);
  let known = 0;
  let fresh = 0;
  const checks = report.checks.map((check) => {
    const mine = entries.filter((e) => e.check === check.id);
    const failures = check.failures.map((failure) => {
      const print = fingerprintOf(failure, report.baseUrl);
      const expected = mine.some((e) => covers(e, print));
      if (expected) known += 1;
      else fresh += 1;
      return { ...failure, fingerprint: print, ...(expected ? { known: true } : {}) };
    });
    return { ...check, failures };
  });
  const fixed: BaselineEntry[] = [];
  const notRun: BaselineEntry[] = [];
  for (const entry of entries) {
    const failures = ran.get(entry.check);
    if (failures === undefined) notRun.push(entry);
    else if (!failures.some((f) => covers(entry, fingerprintOf(f, report.baseUrl))))
      fixed.push(entry);
  }
  const outcome: BaselineOutcome = {
    file: options.file,
    strict: options.strict === true,
    known,
    new: fresh,
    fixed,
    notRun,
  };
  return withCauses({ ...report, checks, baseline: outcome });
}

/** Whether a run compared with its baseline fails: a new failure, or (strict) a fixed entry left in. */
export function baselineFails(outcome: BaselineOutcome): boolean {
  return outcome.new > 0 || (outcome.strict && outcome.fixed.length > 0);
}

/** Keeps a comment free of what changes from run to run, so an update rewrites only what changed. */
function comment(failure: Failure): string {
  const requirement = failure.requirement
    .replace(/mgmtkit-contract-[0-9a-f]{6}[\w.~%-]*/g, "<name>")
    .replace(/\bhttps?:\/\/[^\s/"'<>]+/g, "");
  return failure.type === "check" ? requirement : `${failure.type}: ${requirement}`;
}

/**
 * The baseline after this run (`--update-baseline`): the entries of checks that did not run are
 * kept; for the checks that ran, an entry without a fingerprint stays while the check still
 * fails, and every other failure gets an entry of its own (an existing entry's comment kept).
 */
export function updatedBaseline(
  report: SuiteReport,
  entries: readonly BaselineEntry[],
): BaselineEntry[] {
  const ran = ranChecks(report);
  const next: BaselineEntry[] = entries.filter((e) => !ran.has(e.check));
  for (const [check, failures] of ran) {
    if (failures.length === 0) continue;
    const mine = entries.filter((e) => e.check === check);
    const whole = mine.filter((e) => e.fingerprint === undefined);
    next.push(...whole);
    if (whole.length > 0) continue;
    const seen = new Set<string>();
    for (const failure of failures) {
      const print = fingerprintOf(failure, report.baseUrl);
      if (seen.has(print)) continue;
      seen.add(print);
      const kept = mine.find((e) => e.fingerprint === print);
      next.push(kept ?? { check, fingerprint: print, comment: comment(failure) });
    }
  }
  return next;
}

/** Whether the run fails: any failed check, or with a baseline, a new failure (or a fixed entry, strict). */
export function runFails(report: SuiteReport): boolean {
  return report.baseline ? baselineFails(report.baseline) : report.summary.failed > 0;
}
