import type { CheckResult, Failure, FailureAnswer, RootCause } from "./types.js";

/** At most this many causes open a report: the few that explain most of it. */
export const MAX_CAUSES = 5;

const where = (answer: FailureAnswer) => `${answer.method} ${answer.path}`;

/**
 * The cause a failure points at, strongest first: a server error of an operation explains every
 * failure it caused, whichever rule each check applied; then one validator's rule on one
 * operation; then the same status of one operation where checks expected another.
 */
function causeOf(failure: Failure): { key: string; cause: Omit<RootCause, "checks" | "failures"> } {
  const answer = failure.answer as FailureAnswer;
  const status = answer.status;
  if (status !== undefined && status >= 500) {
    return {
      key: `server-error ${where(answer)} ${status}`,
      cause: {
        summary: `${where(answer)} answers ${status} (a server error)`,
        kind: "server-error",
        answer,
      },
    };
  }
  if (failure.type !== "check") {
    return {
      key: `rule ${failure.type} ${where(answer)}`,
      cause: {
        summary: `${where(answer)} breaks ${failure.type}`,
        kind: "rule",
        type: failure.type,
        answer,
      },
    };
  }
  const shown = status === undefined ? "answers nothing usable" : `answers ${status}`;
  return {
    key: `status ${where(answer)} ${status ?? "none"}`,
    cause: {
      summary: `${where(answer)} ${shown} where checks expected otherwise`,
      kind: "status",
      answer,
    },
  };
}

/**
 * The few causes behind the failures of a run: failures shown by an answer are grouped by what
 * that answer was, and a group is a cause when it explains at least two failures. Most checks
 * explained first; known failures (a baseline's) are left out.
 */
export function rootCauses(checks: readonly CheckResult[], max = MAX_CAUSES): RootCause[] {
  const groups = new Map<string, RootCause>();
  for (const check of checks) {
    for (const failure of check.failures) {
      if (failure.known || !failure.answer) continue;
      const { key, cause } = causeOf(failure);
      let group = groups.get(key);
      if (!group) {
        group = {
          ...cause,
          checks: [],
          failures: 0,
          ...(failure.request !== undefined ? { request: failure.request } : {}),
          ...(failure.curl !== undefined ? { curl: failure.curl } : {}),
        };
        groups.set(key, group);
      }
      group.failures += 1;
      if (!group.checks.includes(check.id)) group.checks.push(check.id);
    }
  }
  return [...groups.values()]
    .filter((c) => c.failures >= 2)
    .sort((a, b) => b.checks.length - a.checks.length || b.failures - a.failures)
    .slice(0, max);
}

/** The report with its `causes` worked out from its checks (none when nothing explains two failures). */
export function withCauses<R extends { checks: readonly CheckResult[]; causes?: RootCause[] }>(
  report: R,
): R & { causes?: RootCause[] } {
  const { causes: _stale, ...rest } = report;
  const causes = rootCauses(report.checks);
  return (causes.length > 0 ? { ...rest, causes } : rest) as R & { causes?: RootCause[] };
}
