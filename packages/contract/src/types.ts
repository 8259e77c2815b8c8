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
  /** A curl command that reproduces it, secrets replaced by `$MGMTKIT_TOKEN` / `$MGMTKIT_CLIENT_SECRET`. */
  curl?: string;
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
   * Stops the run after the check in progress; the suite still deletes what it created and
   * resolves with the remaining checks skipped. Default: none.
   */
  signal?: AbortSignal;
  /** Called once the target is known, before the first check. Default: none. */
  onStart?: (run: { baseUrl: string; profile: Profile; checks: number }) => void;
  /** Called before each check runs. Default: none. */
  onCheckStart?: (check: CheckInfo) => void;
  /** Called after each check with its result (secrets already replaced). Default: none. */
  onCheckEnd?: (result: CheckResult) => void;
}
