import { type Check, checks } from "../../src/checks/index.js";
import { runChecks } from "../../src/runner.js";
import type { CheckResult, SuiteReport } from "../../src/types.js";
import { type ResponseValidator, responseValidators } from "../../src/validators.js";
import { type Script, startFakeApi } from "./fake-api.js";

export interface Judgement {
  report: SuiteReport;
  /** The result of one check of the run. */
  result(id: string): CheckResult;
}

/**
 * Runs checks against a fresh fake API broken by `script`: the checks whose id is in `ids`, or
 * that belong to a group named there (`token`), with every response validator (default).
 */
export async function judge(
  ids: readonly string[],
  script: Script = {},
  options: { timeoutMs?: number; validators?: readonly ResponseValidator[] } = {},
): Promise<Judgement> {
  const api = await startFakeApi(script);
  try {
    const selected: Check[] = checks.filter((check) =>
      ids.some((id) => check.id === id || check.id.startsWith(`${id}.`)),
    );
    if (selected.length === 0) throw new Error(`no check matches ${ids.join(", ")}`);
    const report = await runChecks(selected, {
      baseUrl: api.url,
      clientId: api.clientId,
      clientSecret: api.clientSecret,
      timeoutMs: options.timeoutMs ?? 2000,
      profile: "strict",
      validators: options.validators ?? responseValidators,
    });
    return {
      report,
      result(id) {
        const found = report.checks.find((c) => c.id === id);
        if (!found) throw new Error(`${id} did not run`);
        return found;
      },
    };
  } finally {
    await api.close();
  }
}

/** The check's outcome in one line per failure, for assertions that show what went wrong. */
export function outcome(result: CheckResult): string[] {
  return result.failures.map((f) => `${f.type}: ${f.requirement} | ${f.observed}`);
}
