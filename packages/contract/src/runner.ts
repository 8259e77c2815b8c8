import pkg from "../package.json" with { type: "json" };
import { type Check, checks } from "./checks/index.js";
import { CheckFailed, CheckRun, CheckSkipped } from "./context.js";
import { CoverageTally } from "./coverage.js";
import { Redactor } from "./redact.js";
import { RunState } from "./run-state.js";
import { obtainToken, SuiteConfigError, sweep } from "./setup.js";
import type { Transport } from "./transport.js";
import type {
  CheckInfo,
  CheckResult,
  OperationCoverage,
  Profile,
  SuiteOptions,
  SuiteReport,
} from "./types.js";
import { type ResponseValidator, responseValidators } from "./validators.js";

export { SuiteConfigError, SuiteSetupError } from "./setup.js";

/** The check catalog: every check's id, profile, what it verifies and where the rule comes from. */
export const catalog: readonly CheckInfo[] = checks.map(info);

/** The response validators, applied to every answer of every check, described as the checks are. */
export const validatorCatalog: readonly CheckInfo[] = responseValidators.map(info);

const DEFAULT_TIMEOUT_MS = 5000;
/** Examples per family of generated inputs: keeps a whole core run well under 5 s. */
export const DEFAULT_MAX_EXAMPLES = 2;
/** More examples than this would make a run of hours against a slow server. */
const MAX_MAX_EXAMPLES = 1000;

/** A seed for a run that was given none: a random 31-bit integer, printed in the report. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface Pattern {
  matches(id: string): boolean;
  /** Names one check by its id, which selects it even outside the profile. */
  exact: boolean;
}

function pattern(text: string): Pattern {
  if (text.endsWith(".*")) {
    const group = text.slice(0, -1);
    return { matches: (id) => id.startsWith(group), exact: false };
  }
  if (!text.includes(".")) return { matches: (id) => id.startsWith(`${text}.`), exact: false };
  return { matches: (id) => id === text, exact: true };
}

/** The patterns (ids, or groups as `auth` / `auth.*`) of a flag; throws SuiteConfigError for one that names nothing of `among`. */
export function compile(
  patterns: string[] | undefined,
  flag: string,
  among: ReadonlyArray<{ id: string }>,
): Pattern[] {
  return (patterns ?? [])
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((text) => {
      const compiled = pattern(text);
      if (!among.some((entry) => compiled.matches(entry.id))) {
        throw new SuiteConfigError(
          `${flag} ${text} matches no check; run \`mgmtkit-contract list\` for the catalog.`,
        );
      }
      return compiled;
    });
}

/** The response validators of the profile, less those `skip` names (`response.schema`, `response`). */
export function selectValidators(
  options: Pick<SuiteOptions, "profile" | "skip">,
): ResponseValidator[] {
  const profile = options.profile ?? "core";
  const skip = compile(options.skip, "--skip", [...checks, ...responseValidators]);
  return responseValidators.filter(
    (validator) =>
      (profile === "strict" || validator.profile === "core") &&
      !skip.some((p) => p.matches(validator.id)),
  );
}

/**
 * The checks a run executes: those of the profile (`strict` includes `core`), narrowed by `only`
 * (ids, or groups as `auth` / `auth.*`) and reduced by `skip`. A strict check named by its id
 * in `only` runs under the core profile too.
 */
export function selectChecks(options: Pick<SuiteOptions, "profile" | "only" | "skip">): Check[] {
  const profile = options.profile ?? "core";
  if (profile !== "core" && profile !== "strict") {
    throw new SuiteConfigError(`--profile must be core or strict, not ${JSON.stringify(profile)}.`);
  }
  const only = compile(options.only, "--only", checks);
  const skip = compile(options.skip, "--skip", [...checks, ...responseValidators]);
  const selected = checks.filter(
    (check) =>
      (profile === "strict" ||
        check.profile === "core" ||
        only.some((p) => p.exact && p.matches(check.id))) &&
      (only.length === 0 || only.some((p) => p.matches(check.id))) &&
      !skip.some((p) => p.matches(check.id)),
  );
  if (selected.length === 0) {
    throw new SuiteConfigError("The --only and --skip options leave no check to run.");
  }
  return selected;
}

function validate(options: SuiteOptions): {
  timeoutMs: number;
  profile: Profile;
  seed: number;
  maxExamples: number;
} {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seed = options.seed ?? randomSeed();
  if (!Number.isSafeInteger(seed)) {
    throw new SuiteConfigError(`--seed must be a whole number, not ${options.seed}.`);
  }
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  if (!Number.isInteger(maxExamples) || maxExamples < 1 || maxExamples > MAX_MAX_EXAMPLES) {
    throw new SuiteConfigError(
      `--max-examples must be a whole number from 1 to ${MAX_MAX_EXAMPLES}, not ${options.maxExamples}.`,
    );
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new SuiteConfigError(
      `--timeout-ms must be a positive whole number of milliseconds, not ${options.timeoutMs}.`,
    );
  }
  if (!options.baseUrl) {
    throw new SuiteConfigError(
      "Give the server to judge with --base-url (runSuite's baseUrl option).",
    );
  }
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new SuiteConfigError(`--base-url ${JSON.stringify(options.baseUrl)} is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SuiteConfigError(`--base-url must be an http or https URL, not ${url.protocol}.`);
  }
  if (url.search || url.hash)
    throw new SuiteConfigError("--base-url must not carry a query string or a fragment.");
  if (Boolean(options.clientId) !== Boolean(options.clientSecret)) {
    throw new SuiteConfigError("Give both --client-id and --client-secret, or neither.");
  }
  if (!options.token && !options.clientId) {
    throw new SuiteConfigError(
      "Give the server's client credentials (--client-id and --client-secret) or an access token (--token).",
    );
  }
  return { timeoutMs, profile: options.profile ?? "core", seed, maxExamples };
}

function coverage(transport: Transport): OperationCoverage[] {
  const tally = new CoverageTally();
  for (const exchange of transport.exchanges) tally.add(exchange);
  return tally.result();
}

function info({ id, profile, title, requirement, source }: CheckInfo): CheckInfo {
  return { id, profile, title, requirement, source };
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
 * Runs the conformance suite against a server and returns the complete report.
 * Rejects with SuiteConfigError or SuiteSetupError when the suite cannot run at all; a server
 * that fails checks resolves normally with failed results.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteReport> {
  const { timeoutMs, profile, seed, maxExamples } = validate(options);
  return runChecks(selectChecks(options), {
    ...options,
    timeoutMs,
    profile,
    seed,
    maxExamples,
    validators: selectValidators(options),
  });
}

/**
 * Runs the given checks, in their order, against a server: the setup token, each check with the
 * validators applied to every answer it causes, then the clean-up of every connection the run
 * created.
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
  const seed = options.seed ?? randomSeed();
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const startedAt = new Date();
  const started = performance.now();
  const redactor = new Redactor();
  const judge = checks.find((c) => c.judgesSetupToken);
  const run = new RunState(
    {
      baseUrl,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    },
    redactor,
    {
      ...(clientId ? { clientId } : {}),
      ...(clientSecret ? { clientSecret } : {}),
      ...(options.token ? { token: options.token } : {}),
    },
    {
      validators: options.validators,
      checks: new Set([...selection, ...(judge ? [judge] : [])].map((c) => c.id)),
    },
    { seed, maxExamples, profile },
  );
  const { transport } = run;
  try {
    let selected = [...selection];
    await obtainToken(run, judge?.id ?? "setup", options.token);
    const setupFailed = !transport.token || run.failuresOf(judge?.id ?? "setup").length > 0;
    if (judge && run.setupExchange && setupFailed && !selected.includes(judge)) {
      // The token request failed, or broke a rule, in a way that is the server's fault: say so
      // under its check.
      selected = [judge, ...selected];
    }

    options.onStart?.({ baseUrl, profile, checks: selected.length, seed });
    const results: CheckResult[] = [];
    for (const check of selected) {
      if (options.signal?.aborted) {
        // Interrupted: the remaining checks are skipped, and the clean-up below still runs.
        results.push({
          ...info(check),
          status: "skipped",
          durationMs: 0,
          requests: 0,
          failures: [],
          skipReason: "the run was interrupted",
        });
        continue;
      }
      options.onCheckStart?.(info(check));
      const result = redactor.value(await runCheck(check, run));
      results.push(result);
      options.onCheckEnd?.(result);
    }
    await sweep(run);

    const summary = {
      total: results.length,
      passed: results.filter((r) => r.status === "passed").length,
      failed: results.filter((r) => r.status === "failed").length,
      skipped: results.filter((r) => r.status === "skipped").length,
    };
    return redactor.value({
      tool: { name: pkg.name, version: pkg.version },
      baseUrl,
      profile,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      interrupted: options.signal?.aborted === true,
      requests: transport.exchanges.length,
      summary,
      checks: results,
      coverage: coverage(transport),
      seed,
      generated: { ...run.generated },
    });
  } finally {
    transport.close();
  }
}
