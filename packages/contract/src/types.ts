/** `core` holds what every conforming server must do; `strict` adds what the spec pins down further. */
export type Profile = "core" | "strict";

/** One entry of the check catalog. */
export interface CheckInfo {
  /** Stable identifier, `<group>.<name>`. */
  id: string;
  profile: Profile;
  /** What the check verifies, in a few words. */
  title: string;
  /** What the document (or the spec's reading of it) requires. */
  requirement: string;
  /** Where in management-api-v1.txt the rule comes from (and the spec section when it resolves a quirk). */
  source: string;
}

/** One way the server broke a rule. */
export interface Failure {
  /** The check that sent the request (or ran the assertion) that showed it. */
  checkId: string;
  /**
   * What kind of rule broke, stable for tools that sort failures: `"check"` for the check's own
   * assertion, or the id of the response validator that found it.
   */
  type: string;
  /** What the document requires. */
  requirement: string;
  /** What the server did. */
  observed: string;
  /** The request that showed it, `METHOD URL`, secrets replaced. */
  request?: string;
  /**
   * The answer that showed it: the operation, its path as the spec writes it, and the status
   * (absent when none arrived). Root causes group failures by it.
   */
  answer?: FailureAnswer;
  /** A curl command that reproduces it, secrets replaced by `$MGMTKIT_TOKEN` / `$MGMTKIT_CLIENT_SECRET`. */
  curl?: string;
  /**
   * Twelve hex digits that stay the same from run to run (and seed to seed) while the failure is
   * the same: the check, the `type`, the operation and the shape of the problem, never names,
   * tokens, timestamps or seeds. A baseline of expected failures holds them.
   */
  fingerprint?: string;
  /** True when the run's baseline (`--baseline`) expects this failure: reported, not failing the run. */
  known?: boolean;
  /**
   * The run's seed, on failures of a generated or stateful case: `--seed <seed>` generates the
   * same cases again.
   */
  seed?: number;
  /** The generated or stateful case that showed it, shrunk to a minimal failing one. */
  case?: FailureCase;
}

/** Which operation answered what, for a failure shown by an exchange. */
export interface FailureAnswer {
  method: string;
  /** The spec's path template (`/api/connections/{name}`), or the path as sent when no operation matches. */
  path: string;
  /** The operation's id, when the request addresses one. */
  operationId?: string;
  status?: number;
}

/**
 * One cause behind several failures: the same operation answering the same server error, or the
 * same rule broken on the same operation, across checks. A report opens with these.
 */
export interface RootCause {
  /** One sentence: `POST /api/connections answers 500 (a server error)`. */
  summary: string;
  /** `"server-error"`: a 5xx; `"rule"`: one validator's rule; `"status"`: the same unexpected status. */
  kind: "server-error" | "rule" | "status";
  /** The rule, for `"rule"` causes. */
  type?: string;
  answer: FailureAnswer;
  /** The checks whose failures it explains, in the report's order. */
  checks: string[];
  /** How many failures it explains. */
  failures: number;
  /** One reproduction: the first explained failure's request and curl command. */
  request?: string;
  curl?: string;
}

/** The generated request (or sequence of requests) behind a failure, as shrinking left it. */
export interface FailureCase {
  /** `"generated"` for one generated request, `"stateful"` for a sequence of operations. */
  phase: "generated" | "stateful";
  /** Stable within a seed: `createConnection/invalid/status-out-of-range#0`, `connections#3`. */
  id: string;
  /**
   * What the request must get: `"valid"` success, `"invalid"` a 4xx refusal, `"open"` success
   * or a 4xx (the document leaves it open), `"sequence"` the model's answer at every step.
   */
  kind: "valid" | "invalid" | "open" | "sequence";
  /** The family of inputs, in a few words (`a create whose status is outside 0 and 1`). */
  description: string;
  /** The case's own seed, derived from the run's seed and the case id. */
  caseSeed: number;
  /** How many smaller requests (or shorter sequences) shrinking tried. */
  shrinks: number;
  /**
   * The shrunk requests, one curl command each, in the order sent: the case's own request
   * (with the connection it needs created first), or every step of a stateful sequence.
   */
  steps: string[];
}

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckResult extends CheckInfo {
  status: CheckStatus;
  durationMs: number;
  /** How many requests the check sent. */
  requests: number;
  failures: Failure[];
  /** Why the check did not run, when skipped. */
  skipReason?: string;
}

/** How often the run exercised one documented response of one operation. */
export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  requests: number;
  /** Documented response keys (`"200"`, `"5XX"`) with how many answers fell under each. */
  statuses: Record<string, number>;
  /** Statuses the server answered that the spec does not document for the operation. */
  undocumented: Record<string, number>;
}

/** One expected failure of a baseline file (`--baseline`). */
export interface BaselineEntry {
  /** The check the failure is reported under. */
  check: string;
  /** The failure's fingerprint; without one, any failure of the check is expected. */
  fingerprint?: string;
  /** What the failure is, for the people who read the file; ignored when matching. */
  comment?: string;
}

/** How a run compares with its baseline of expected failures. */
export interface BaselineOutcome {
  /** The baseline file, as given. */
  file: string;
  /** Whether a fixed entry fails the run (`--strict-baseline`), so that baselines only shrink. */
  strict: boolean;
  /** Failures the baseline expects: reported, not failing the run. */
  known: number;
  /** Failures the baseline does not hold: each fails the run. */
  new: number;
  /** Entries whose check ran and no longer fails as they expect: remove them (`--update-baseline`). */
  fixed: BaselineEntry[];
  /** Entries whose check did not run (skipped, not selected, or a check id the suite lacks). */
  notRun: BaselineEntry[];
}

/** What a validating proxy saw (`mgmtkit-contract proxy`): its report judges traffic, not checks. */
export interface TrafficSummary {
  /** Where the proxy listened. */
  listen: string;
  /** Exchanges forwarded and judged. */
  exchanges: number;
  /** Exchanges that ended without a complete answer from the target (timeout, reset, refused). */
  incomplete: number;
  /** Bodies that were forwarded whole but were larger than `maxBodyBytes`, so not validated. */
  unvalidatedBodies: number;
  /** The largest body the proxy validates, in bytes. */
  maxBodyBytes: number;
}

export interface SuiteReport {
  tool: { name: string; version: string };
  baseUrl: string;
  profile: Profile;
  startedAt: string;
  durationMs: number;
  /** True when `signal` stopped the run before every check ran (the rest are skipped). */
  interrupted: boolean;
  requests: number;
  summary: { total: number; passed: number; failed: number; skipped: number };
  checks: CheckResult[];
  coverage: OperationCoverage[];
  /** The seed of the generated and stateful cases (`--seed`); absent in a proxy's report. */
  seed?: number;
  /** How many generated cases and stateful sequences the run sent; absent in a proxy's report. */
  generated?: { cases: number; sequences: number };
  /** How the run compares with its baseline, when one was given (`--baseline`). */
  baseline?: BaselineOutcome;
  /**
   * The few causes behind most failures, most checks explained first; absent when no cause
   * explains two failures. Known failures (`--baseline`) are left out.
   */
  causes?: RootCause[];
  /** Present in a proxy's report: the traffic it judged. */
  traffic?: TrafficSummary;
  /**
   * The shell line that sets `$MGMTKIT_TOKEN`, which every reproduction reads, from the client
   * id and `$MGMTKIT_CLIENT_SECRET`; absent when the run was given a token (`--token`).
   */
  tokenCommand?: string;
  /** Present in a run's report: how it used the network. */
  network?: NetworkSummary;
  /**
   * Present when the run stopped before its end on its own: its time budget (`--max-duration`)
   * was spent, the server stopped answering (`--stop-after-timeouts`), or the run could not
   * start or go on at all (`fatal`: the server unreachable, the credentials refused). The checks
   * it did not finish are skipped; the CLI exits 2.
   */
  stopped?: { reason: "max-duration" | "timeouts" | "fatal"; message: string };
}

/** How a run used the network: its concurrency, its connections and the throttling it met. */
export interface NetworkSummary {
  /** Checks (and generated cases) run at once (`--concurrency`). */
  concurrency: number;
  /** Requests started per second at most (`--rate-limit`), when limited. */
  rateLimit?: number;
  /** How long a check's reads waited after its own writes (`--consistency-window`), when they did. */
  consistencyWindowMs?: number;
  /** Connections opened, and requests sent over a connection an earlier one opened (keep-alive). */
  connections: { opened: number; reused: number };
  /** 429 answers waited out as their Retry-After asked (not judged), and the time spent waiting. */
  throttled: { answers: number; waitedMs: number };
}

export interface SuiteOptions {
  /** The server to judge, an http or https URL (a path prefix is kept). Required. */
  baseUrl: string;
  /** Client id; with `clientSecret` the suite obtains its own token and runs the token checks. Default: none. */
  clientId?: string;
  /** Client secret, never printed. Default: none. */
  clientSecret?: string;
  /** An access token to use instead of client credentials (the token checks are then skipped). Default: none. */
  token?: string;
  /** Default: `"core"`. `"strict"` runs the strict checks as well. */
  profile?: Profile;
  /** Check ids or group patterns (`auth.*`) to run; default: all of the profile. */
  only?: string[];
  /** Check ids or group patterns to leave out; default: none. */
  skip?: string[];
  /** Hard deadline of every request in milliseconds. Default: 5000. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes. Default: 16 MiB. */
  maxResponseBytes?: number;
  /**
   * Checks run at once (and generated cases of a check, spread over the same slots); the steps
   * of one check stay in order. `1` runs one check after the other. Default: 8.
   */
  concurrency?: number;
  /** Requests started per second at most, for servers that throttle. Default: no limit. */
  rateLimit?: number;
  /**
   * How long after a write, in milliseconds, the server may still answer reads with what was
   * there before it (instances behind a load balancer that share a cache): a check's reads wait
   * that long after its own writes. Default: 0.
   */
  consistencyWindowMs?: number;
  /**
   * The run's time budget in milliseconds: when it is spent, the checks in progress are
   * abandoned, the rest skipped, and the clean-up runs. A 429's Retry-After is waited out only
   * within it. Default: 600000 (ten minutes).
   */
  maxDurationMs?: number;
  /**
   * Stops the run when this many requests in a row ran into `timeoutMs` while the server
   * answered nothing else: it is gone, and every further request would cost a deadline.
   * Default: 5.
   */
  stopAfterTimeouts?: number;
  /**
   * Seed of the generated and stateful cases, an integer; the same seed generates the same cases.
   * Default: a random one, printed in the report.
   */
  seed?: number;
  /**
   * Examples per family of generated inputs and per operation, and stateful sequences per run.
   * Default: 2.
   */
  maxExamples?: number;
  /**
   * Stops the run after the check in progress; the suite still deletes what it created and
   * resolves with the remaining checks skipped. Default: none.
   */
  signal?: AbortSignal;
  /** Called once the target is known, before the first check. Default: none. */
  onStart?: (run: { baseUrl: string; profile: Profile; checks: number; seed: number }) => void;
  /** Called before each check runs. Default: none. */
  onCheckStart?: (check: CheckInfo) => void;
  /** Called after each check with its result (secrets already replaced). Default: none. */
  onCheckEnd?: (result: CheckResult) => void;
}
