import pkg from "../package.json" with { type: "json" };
import { withCauses } from "./causes.js";
import { type Check, checks } from "./checks/index.js";
import { CheckFailed, CheckRun, CheckSkipped } from "./context.js";
import { tokenCommand } from "./curl.js";
import { inProfile } from "./open-points.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_DURATION_MS,
  DEFAULT_MAX_EXAMPLES,
  DEFAULT_STOP_AFTER_TIMEOUTS,
  DEFAULT_TIMEOUT_MS,
  profileOption,
  suiteLimits,
} from "./options.js";
import { compile } from "./patterns.js";
import { Redactor } from "./redact.js";
import { RunState } from "./run-state.js";
import { obtainToken, SuiteConfigError, sweep } from "./setup.js";
import type { CheckInfo, CheckResult, Profile, SuiteOptions, SuiteReport } from "./types.js";
import { type ResponseValidator, responseValidators } from "./validators.js";
import { WorkPool } from "./work-pool.js";

export { SuiteConfigError, SuiteSetupError } from "./setup.js";

/** The check catalog: every check's id, profile, what it verifies and where the rule comes from. */
export const catalog: readonly CheckInfo[] = checks.map(info);

/** The response validators, applied to every answer of every check, described as the checks are. */
export const validatorCatalog: readonly CheckInfo[] = responseValidators.map(info);

export {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_DURATION_MS,
  DEFAULT_MAX_EXAMPLES,
  DEFAULT_STOP_AFTER_TIMEOUTS,
  DEFAULT_TIMEOUT_MS,
};

/** A seed for a run that was given none: a random 31-bit integer, printed in the report. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** A timer waits at most about 24.8 days: a longer budget ends then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The response validators of the profile, less those `skip` names (`response.schema`, `response`). */
export function selectValidators(
  options: Pick<SuiteOptions, "profile" | "skip">,
): ResponseValidator[] {
  const profile = options.profile ?? "core";
  const skip = compile(options.skip, "--skip", [...checks, ...responseValidators]);
  return responseValidators.filter(
    (validator) =>
      inProfile(profile, validator.profile) && !skip.some((p) => p.matches(validator.id)),
  );
}

/**
 * The checks a run executes: those of the profile (`strict` includes `core`), narrowed by `only`
 * (ids, or groups as `auth` / `auth.*`) and reduced by `skip`. A strict check named by its id
 * in `only` runs under the core profile too.
 */
export function selectChecks(options: Pick<SuiteOptions, "profile" | "only" | "skip">): Check[] {
  const profile = profileOption(options.profile);
  const only = compile(options.only, "--only", checks);
  const skip = compile(options.skip, "--skip", [...checks, ...responseValidators]);
  const selected = checks.filter(
    (check) =>
      (inProfile(profile, check.profile) || only.some((p) => p.exact && p.matches(check.id))) &&
      (only.length === 0 || only.some((p) => p.matches(check.id))) &&
      !skip.some((p) => p.matches(check.id)),
  );
  if (selected.length === 0) {
    throw new SuiteConfigError("The --only and --skip options leave no check to run.");
  }
  return selected;
}

function info({ id, profile, title, requirement, source }: CheckInfo): CheckInfo {
  return { id, profile, title, requirement, source };
}

function skipped(check: Check, reason: string): CheckResult {
  return {
    ...info(check),
    status: "skipped",
    durationMs: 0,
    requests: 0,
    failures: [],
    skipReason: reason,
  };
}

async function runCheck(check: Check, run: RunState): Promise<CheckResult> {
  const ctx = new CheckRun(check.id, run);
  const started = performance.now();
  let skipReason: string | undefined;
  if (check.needsToken !== false && !run.transport.token) {
    skipReason = "no access token: the run's token request failed";
  } else {
    try {
      await check.run(ctx);
    } catch (error) {
      if (error instanceof CheckFailed) {
        run.report(check.id, error.failure);
      } else if (error instanceof CheckSkipped) {
        skipReason = error.message;
      } else {
        // A server answer the check could not make sense of must not end the run.
        run.report(check.id, {
          requirement: check.requirement,
          observed: `The check could not evaluate the server's answers: ${(error as Error)?.message ?? String(error)}.`,
        });
      }
    }
  }
  const failures = ctx.failures;
  if (failures.length === 0 && !skipReason) {
    if (ctx.sawStop) {
      skipReason = `the run stopped before the check finished: ${run.transport.stopped ?? "stopped"}`;
    } else if (ctx.answered === 0) {
      // Nothing judged is nothing passed: a check whose requests all went unanswered fails,
      // one that had nothing to send is skipped.
      if (ctx.requests > 0) {
        run.report(check.id, {
          requirement: `The server answers the requests of ${check.id} completely, so that the check has something to judge.`,
          observed: `The server answered none of the check's ${ctx.requests} request${ctx.requests === 1 ? "" : "s"} completely (the last one: it ${ctx.lastMiss ?? "did not answer"}).`,
        });
      } else {
        skipReason = "the check had nothing to judge";
      }
    }
  }
  return {
    ...info(check),
    status: failures.length > 0 ? "failed" : skipReason ? "skipped" : "passed",
    durationMs: Math.round(performance.now() - started),
    requests: ctx.requests,
    failures,
    ...(skipReason && failures.length === 0 ? { skipReason } : {}),
  };
}

/**
 * The report of a run that could not start, or ended on an error before it had a report of its
 * own: every check it would have run skipped, and `stopped` giving `message`, the reason. Reports
 * are written all the same, so that a CI job that uploads them finds why.
 */
export function fatalReport(
  options: Pick<SuiteOptions, "baseUrl" | "profile" | "only" | "skip" | "seed">,
  message: string,
  startedAt: Date,
): SuiteReport {
  let selection: Check[] = [];
  try {
    selection = selectChecks(options);
  } catch {
    // Options that select nothing: the report says why the run did not start, with no checks.
  }
  const results = selection.map((check) => skipped(check, `the run could not go on: ${message}`));
  return {
    tool: { name: pkg.name, version: pkg.version },
    baseUrl: options.baseUrl ?? "",
    profile: options.profile ?? "core",
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    interrupted: false,
    requests: 0,
    summary: { total: results.length, passed: 0, failed: 0, skipped: results.length },
    checks: results,
    coverage: [],
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    stopped: { reason: "fatal", message },
  };
}

/**
 * Runs the conformance suite against a server and returns the complete report.
 * Rejects with SuiteConfigError or SuiteSetupError when the suite cannot run at all; a server
 * that fails checks resolves normally with failed results.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteReport> {
  const limits = suiteLimits(options, randomSeed);
  return runChecks(selectChecks(options), {
    ...options,
    ...limits,
    validators: selectValidators(options),
  });
}

/**
 * Runs `selected` in the run's pool, a check marked `runsAlone` when no other runs, until each
 * ended or `withinBudget` gave up on it; a check abandoned then reports what it found so far.
 * Results come in the order of `selected`, and are told to `onCheckEnd` in that order.
 */
async function runSelected(
  selected: readonly Check[],
  run: RunState,
  pool: WorkPool,
  options: Pick<SuiteOptions, "onCheckStart" | "onCheckEnd" | "signal">,
  withinBudget: <T>(work: Promise<T>) => Promise<T | undefined>,
): Promise<CheckResult[]> {
  const { transport, redactor } = run;
  const results: Array<CheckResult | undefined> = selected.map(() => undefined);
  let reported = 0;
  let over = false;
  // Progress is told in the catalog's order, whatever finished first.
  const settle = (index: number, result: CheckResult) => {
    // A check abandoned at the deadline that ends later changes nothing any more.
    if (over) return;
    results[index] = result;
    for (
      let next = results[reported];
      next && reported < results.length;
      next = results[reported]
    ) {
      options.onCheckEnd?.(next);
      reported += 1;
    }
  };
  const running = new Set<Promise<void>>();
  const start = (index: number, check: Check) => {
    options.onCheckStart?.(info(check));
    const task = runCheck(check, run)
      .then((result) => settle(index, redactor.value(result)))
      .finally(() => {
        pool.release();
        running.delete(task);
      });
    running.add(task);
    return task;
  };
  for (const [index, check] of selected.entries()) {
    const notRun = () =>
      options.signal?.aborted
        ? "the run was interrupted"
        : transport.stopped !== undefined
          ? `the run stopped before the check started: ${transport.stopped}`
          : undefined;
    if (check.runsAlone) await withinBudget(pool.idle());
    const slot = await withinBudget(pool.acquire().then(() => true));
    const reason = notRun();
    if (reason) {
      // Interrupted or stopped: the remaining checks are skipped, and the clean-up below runs.
      if (slot) pool.release();
      settle(index, skipped(check, reason));
      continue;
    }
    const task = start(index, check);
    if (check.runsAlone) await withinBudget(task);
  }
  await withinBudget(Promise.all(running));
  // Checks still running at the deadline are abandoned: what they found so far is reported.
  for (const [index, check] of selected.entries()) {
    if (results[index]) continue;
    const found = [...run.failuresOf(check.id)];
    const why = `the run stopped before the check finished: ${transport.stopped ?? "stopped"}`;
    const result: CheckResult =
      found.length > 0
        ? { ...info(check), status: "failed", durationMs: 0, requests: 0, failures: found }
        : skipped(check, why);
    settle(index, redactor.value(result));
  }
  over = true;
  return results as CheckResult[];
}

/** The report of a run whose checks ended with `checks`, secrets replaced. */
function reportOf(
  run: RunState,
  checks: CheckResult[],
  about: Pick<
    SuiteReport,
    "baseUrl" | "profile" | "durationMs" | "interrupted" | "seed" | "stopped"
  > & {
    startedAt: Date;
    concurrency: number;
    rateLimit?: number;
    consistencyWindowMs?: number;
    /** The client id the run obtained its tokens with, for the line that sets `$MGMTKIT_TOKEN`. */
    clientId?: string;
  },
): SuiteReport {
  const { startedAt, concurrency, rateLimit, consistencyWindowMs, stopped, clientId, ...rest } =
    about;
  const count = (status: CheckResult["status"]) => checks.filter((r) => r.status === status).length;
  const report = run.redactor.value({
    tool: { name: pkg.name, version: pkg.version },
    baseUrl: rest.baseUrl,
    profile: rest.profile,
    startedAt: startedAt.toISOString(),
    durationMs: rest.durationMs,
    interrupted: rest.interrupted,
    requests: run.requests,
    summary: {
      total: checks.length,
      passed: count("passed"),
      failed: count("failed"),
      skipped: count("skipped"),
    },
    checks,
    coverage: run.coverage.result(),
    seed: rest.seed,
    generated: { ...run.generated },
    network: {
      concurrency,
      ...(rateLimit !== undefined ? { rateLimit } : {}),
      ...(consistencyWindowMs ? { consistencyWindowMs } : {}),
      connections: { ...run.transport.connections },
      throttled: { ...run.transport.throttled },
    },
    ...(stopped ? { stopped } : {}),
  });
  return withCauses({
    ...report,
    // The run's own words, with the secret left in the environment.
    ...(clientId ? { tokenCommand: tokenCommand(rest.baseUrl, clientId) } : {}),
  });
}

/**
 * The run's hard ceiling: the checks get the budget less the clean-up's share (one request
 * deadline, at most a tenth of it), the clean-up the rest, and whatever is in flight then is
 * abandoned. `spend` is called when the checks' share is spent, `transport.stop` at the ceiling.
 */
function budgetOf(
  maxDurationMs: number,
  timeoutMs: number,
  spend: (reason: string, message: string) => void,
  stop: (reason: string) => void,
) {
  const cleanupShare = Math.min(timeoutMs, maxDurationMs / 10);
  const seconds = Math.round(maxDurationMs / 100) / 10;
  const reason = `its time budget of ${seconds} s was spent`;
  let spent: () => void = () => {};
  const over = new Promise<void>((resolve) => {
    spent = resolve;
  });
  const budget = setTimeout(
    () => {
      spend(
        reason,
        `The run stopped early: it reached its time budget of ${seconds} s (--max-duration) before every check ended.`,
      );
      spent();
    },
    Math.min(maxDurationMs - cleanupShare, MAX_TIMER_MS),
  );
  const ceiling = setTimeout(() => stop(reason), Math.min(maxDurationMs, MAX_TIMER_MS));
  return {
    /** Resolves with `work`, or with undefined once the checks' share of the budget is spent. */
    withinBudget: <T>(work: Promise<T>): Promise<T | undefined> =>
      Promise.race([work, over.then(() => undefined)]),
    /** The checks ended within their share: only the ceiling holds now. */
    checksEnded: () => clearTimeout(budget),
    clear: () => {
      clearTimeout(budget);
      clearTimeout(ceiling);
    },
  };
}

/**
 * Runs the given checks against a server: the setup token, then the checks, up to
 * `concurrency` at once and each with the validators applied to every answer it causes (a
 * check marked `runsAlone` when no other runs), then the clean-up of every connection the run
 * created. Results come in the order of `selection`, whatever finished first.
 */
export async function runChecks(
  selection: readonly Check[],
  options: SuiteOptions & {
    timeoutMs: number;
    profile: Profile;
    validators: readonly ResponseValidator[];
  },
): Promise<SuiteReport> {
  const { baseUrl, clientId, clientSecret, profile } = options;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const maxDurationMs = options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  const seed = options.seed ?? randomSeed();
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const startedAt = new Date();
  const started = performance.now();
  const endsAt = Date.now() + maxDurationMs;
  const redactor = new Redactor();
  const judge = checks.find((c) => c.judgesSetupToken);
  let stopped: SuiteReport["stopped"];
  const run = new RunState(
    {
      baseUrl,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      concurrency,
      endsAt,
      stopAfterTimeouts: options.stopAfterTimeouts ?? DEFAULT_STOP_AFTER_TIMEOUTS,
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      ...(options.consistencyWindowMs ? { consistencyWindowMs: options.consistencyWindowMs } : {}),
      onStop: (reason) => {
        stopped ??= {
          reason: "timeouts",
          message: `The run stopped early: ${reason} (--stop-after-timeouts ${options.stopAfterTimeouts ?? DEFAULT_STOP_AFTER_TIMEOUTS}).`,
        };
      },
    },
    redactor,
    {
      ...(clientId ? { clientId } : {}),
      ...(clientSecret ? { clientSecret } : {}),
      ...(options.token ? { token: options.token } : {}),
    },
    options.validators,
    { seed, maxExamples, profile },
  );
  const { transport } = run;
  const pool = new WorkPool(concurrency);
  run.pool = pool;
  const { withinBudget, checksEnded, clear } = budgetOf(
    maxDurationMs,
    options.timeoutMs,
    (reason, message) => {
      stopped ??= { reason: "max-duration", message };
      transport.stop(reason);
    },
    (reason) => transport.stop(reason),
  );
  try {
    let selected = [...selection];
    await obtainToken(run, judge?.id, options.token);
    const setupFailed = !transport.token || (judge && run.failuresOf(judge.id).length > 0);
    if (judge && run.setupExchange && setupFailed && !selected.includes(judge)) {
      // The token request failed, or broke a rule, in a way that is the server's fault: say so
      // under its check.
      selected = [judge, ...selected];
    }

    options.onStart?.({ baseUrl, profile, checks: selected.length, seed });
    const results = await runSelected(selected, run, pool, options, withinBudget);
    checksEnded();

    // The clean-up runs whatever stopped the run, in slots of its own (an abandoned check may
    // hold the run's), bounded by the timeouts rule and the end of the budget.
    if (Date.now() < endsAt) transport.resume("cleanup");
    run.pool = new WorkPool(concurrency);
    await sweep(run);

    return reportOf(run, results, {
      baseUrl,
      profile,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      interrupted: options.signal?.aborted === true,
      seed,
      concurrency,
      ...(clientId ? { clientId } : {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      ...(options.consistencyWindowMs ? { consistencyWindowMs: options.consistencyWindowMs } : {}),
      ...(stopped ? { stopped } : {}),
    });
  } catch (error) {
    // A setup error may quote the server's answer, and the server may quote a secret.
    if (error instanceof Error) error.message = redactor.text(error.message);
    throw error;
  } finally {
    clear();
    transport.close();
  }
}
