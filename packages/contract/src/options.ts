import { Option } from "commander";
import { isProfile } from "./open-points.js";
import { SuiteConfigError } from "./setup.js";
import type { Profile, SuiteOptions } from "./types.js";

/** The two commands that take a server's options; `list` has its own two. */
export type Command = "run" | "proxy";

/** How a value given on the command line or the environment is read. */
type Kind =
  /** Text taken as given. */
  | { type: "text" }
  /** A flag that is on or off. */
  | { type: "switch" }
  /** Comma-separated values; the flag can be repeated. */
  | { type: "list" }
  /** One of the listed words. */
  | { type: "choice"; choices: readonly string[] }
  /**
   * A number within `[min, max]`; `whole` refuses fractions, `above` refuses `min` itself.
   * `what` is what the number must be, for the one sentence that refuses a bad value.
   */
  | { type: "number"; whole: boolean; min: number; max?: number; above?: boolean; what: string };

export interface OptionSpec {
  /** The flag, `--timeout-ms`, without its argument. */
  flag: string;
  /** The argument's name in the help, `<ms>`; none for a switch. */
  arg?: string;
  /** The environment variable that gives the value when the flag does not. */
  env?: string;
  kind: Kind;
  /** The value when neither the flag nor the environment gives one. */
  default?: number | string;
  /** One line of help, for each command that takes the option. */
  doc: Partial<Record<Command, string>>;
}

/** Each request's deadline when none is given, for runs and for the proxy. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Examples per family of generated inputs: keeps a whole core run well under 5 s. */
export const DEFAULT_MAX_EXAMPLES = 2;
/** Checks at once: enough that a remote server's round trips overlap, few enough to be polite. */
export const DEFAULT_CONCURRENCY = 8;
/** Ten minutes: a core run against a remote server takes seconds, a slow one minutes. */
export const DEFAULT_MAX_DURATION_MS = 10 * 60 * 1000;
export const DEFAULT_STOP_AFTER_TIMEOUTS = 5;
/** The largest body the proxy keeps to validate. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const whole = (min: number, what: string, max?: number): Kind => ({
  type: "number",
  whole: true,
  min,
  ...(max !== undefined ? { max } : {}),
  what,
});
const positive = (what: string): Kind => ({
  type: "number",
  whole: false,
  min: 0,
  above: true,
  what,
});

/**
 * Every option of `run` and `proxy`, in the order of the help: the one place a flag, its
 * environment variable, its default and what a bad value is told are written down. The CLI
 * builds its commander options from it, and `runSuite` and `startProxy` check what they are
 * given against it, so a bad value reads the same whichever way it came.
 */
export const OPTIONS = {
  baseUrl: {
    flag: "--base-url",
    arg: "<url>",
    env: "MGMTKIT_BASE_URL",
    kind: { type: "text" },
    doc: { run: "the server to judge" },
  },
  clientId: {
    flag: "--client-id",
    arg: "<id>",
    env: "MGMTKIT_CLIENT_ID",
    kind: { type: "text" },
    doc: { run: "client id for POST /oauth/token" },
  },
  clientSecret: {
    flag: "--client-secret",
    arg: "<secret>",
    env: "MGMTKIT_CLIENT_SECRET",
    kind: { type: "text" },
    doc: { run: "client secret (prefer the environment variable)" },
  },
  token: {
    flag: "--token",
    arg: "<token>",
    env: "MGMTKIT_TOKEN",
    kind: { type: "text" },
    doc: { run: "an access token instead of client credentials" },
  },
  target: {
    flag: "--target",
    arg: "<url>",
    env: "MGMTKIT_PROXY_TARGET",
    kind: { type: "text" },
    doc: { proxy: "the server to forward to" },
  },
  port: {
    flag: "--port",
    arg: "<port>",
    env: "MGMTKIT_PROXY_PORT",
    kind: whole(0, "a whole number", 65535),
    default: 0,
    doc: { proxy: "port to listen on; 0 takes a free one" },
  },
  host: {
    flag: "--host",
    arg: "<host>",
    env: "MGMTKIT_PROXY_HOST",
    kind: { type: "text" },
    default: "127.0.0.1",
    doc: { proxy: "address to listen on" },
  },
  duration: {
    flag: "--duration",
    arg: "<seconds>",
    env: "MGMTKIT_PROXY_DURATION",
    kind: positive("a positive number of seconds"),
    doc: { proxy: "stop and report after this long (default: on Ctrl-C)" },
  },
  profile: {
    flag: "--profile",
    arg: "<profile>",
    env: "MGMTKIT_PROFILE",
    kind: { type: "choice", choices: ["core", "strict"] },
    default: "core",
    doc: {
      run: "core, or strict for core plus strict checks",
      proxy: "core, or strict for the spec's stricter reading",
    },
  },
  only: {
    flag: "--only",
    arg: "<checks>",
    env: "MGMTKIT_ONLY",
    kind: { type: "list" },
    doc: { run: "comma-separated check ids or groups (auth, auth.*)" },
  },
  skip: {
    flag: "--skip",
    arg: "<checks>",
    env: "MGMTKIT_SKIP",
    kind: { type: "list" },
    doc: {
      run: "comma-separated check or response-validator ids, or groups, to leave out",
      proxy: "comma-separated rule ids or groups to leave out",
    },
  },
  maxBodyBytes: {
    flag: "--max-body-bytes",
    arg: "<bytes>",
    env: "MGMTKIT_PROXY_MAX_BODY_BYTES",
    kind: whole(0, "a whole number of bytes"),
    default: DEFAULT_MAX_BODY_BYTES,
    doc: { proxy: "larger bodies are forwarded whole but not validated" },
  },
  rewriteHost: {
    flag: "--rewrite-host",
    env: "MGMTKIT_PROXY_REWRITE_HOST",
    kind: { type: "switch" },
    doc: {
      proxy: "send the target's host in Host, for a virtual-hosted target (default: the client's)",
    },
  },
  reporter: {
    flag: "--reporter",
    arg: "<name>",
    env: "MGMTKIT_REPORTER",
    kind: { type: "list" },
    doc: {
      run: "console, json, junit or html; repeatable",
      proxy: "console, json, junit or html; repeatable",
    },
  },
  output: {
    flag: "--output",
    arg: "<file>",
    env: "MGMTKIT_OUTPUT",
    kind: { type: "list" },
    doc: {
      run: "file for the json/junit/html report, one per file reporter in order",
      proxy: "file for the json/junit/html report, one per file reporter",
    },
  },
  baseline: {
    flag: "--baseline",
    arg: "<file>",
    env: "MGMTKIT_BASELINE",
    kind: { type: "text" },
    doc: { run: "JSON file of expected failures: only new ones fail the run" },
  },
  strictBaseline: {
    flag: "--strict-baseline",
    env: "MGMTKIT_STRICT_BASELINE",
    kind: { type: "switch" },
    doc: { run: "fail the run when a baseline entry no longer fails" },
  },
  updateBaseline: {
    flag: "--update-baseline",
    kind: { type: "switch" },
    doc: { run: "write the run's failures to the --baseline file" },
  },
  timeoutMs: {
    flag: "--timeout-ms",
    arg: "<ms>",
    env: "MGMTKIT_TIMEOUT_MS",
    kind: whole(1, "a positive whole number of milliseconds"),
    default: DEFAULT_TIMEOUT_MS,
    doc: {
      run: "hard deadline of every request",
      proxy: "deadline of every exchange, answer included",
    },
  },
  concurrency: {
    flag: "--concurrency",
    arg: "<n>",
    env: "MGMTKIT_CONCURRENCY",
    // More at once than 64 is a load test, not a conformance run.
    kind: whole(1, "a whole number", 64),
    default: DEFAULT_CONCURRENCY,
    doc: { run: "checks run at once; 1 runs them one after the other" },
  },
  rateLimit: {
    flag: "--rate-limit",
    arg: "<rps>",
    env: "MGMTKIT_RATE_LIMIT",
    kind: positive("a positive number of requests per second"),
    doc: { run: "requests per second at most, for servers that throttle (default: no limit)" },
  },
  consistencyWindow: {
    flag: "--consistency-window",
    arg: "<ms>",
    env: "MGMTKIT_CONSISTENCY_WINDOW",
    // A window of more than a minute is no consistency a client can work with.
    kind: whole(0, "a whole number of milliseconds", 60_000),
    default: 0,
    doc: {
      run: "how long after a write the server may still answer reads with what was there before (instances sharing a cache); a check's reads wait that long after its own writes",
    },
  },
  maxDuration: {
    flag: "--max-duration",
    arg: "<seconds>",
    env: "MGMTKIT_MAX_DURATION",
    kind: positive("a positive number of seconds"),
    default: DEFAULT_MAX_DURATION_MS / 1000,
    doc: { run: "time budget of the whole run" },
  },
  stopAfterTimeouts: {
    flag: "--stop-after-timeouts",
    arg: "<n>",
    env: "MGMTKIT_STOP_AFTER_TIMEOUTS",
    kind: whole(1, "a positive whole number of timeouts"),
    default: DEFAULT_STOP_AFTER_TIMEOUTS,
    doc: { run: "stop the run after this many requests in a row got no answer in time" },
  },
  seed: {
    flag: "--seed",
    arg: "<n>",
    env: "MGMTKIT_SEED",
    kind: whole(Number.MIN_SAFE_INTEGER, "a whole number"),
    doc: {
      run: "seed of the generated and stateful cases (default: random, printed on every run)",
    },
  },
  maxExamples: {
    flag: "--max-examples",
    arg: "<n>",
    env: "MGMTKIT_MAX_EXAMPLES",
    // More examples than 1000 would make a run of hours against a slow server.
    kind: whole(1, "a whole number", 1000),
    default: DEFAULT_MAX_EXAMPLES,
    doc: { run: "generated examples per family of inputs and operation, and stateful sequences" },
  },
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;
/** The number options with a default, and those without one. */
type Defaulted =
  | "port"
  | "maxBodyBytes"
  | "timeoutMs"
  | "concurrency"
  | "consistencyWindow"
  | "maxDuration"
  | "stopAfterTimeouts"
  | "maxExamples";
type NumberOption = Defaulted | "duration" | "rateLimit" | "seed";

const list = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
];

/** The commander options of `command`, in the table's order, each with its env var and default. */
export function commanderOptions(command: Command): Option[] {
  return Object.values(OPTIONS as Record<string, OptionSpec>).flatMap((spec) => {
    const doc = spec.doc[command];
    if (doc === undefined) return [];
    const option = new Option(spec.arg ? `${spec.flag} ${spec.arg}` : spec.flag, doc);
    if (spec.env) option.env(spec.env);
    if (spec.kind.type === "list") option.argParser(list);
    if (spec.kind.type === "choice") option.choices(spec.kind.choices);
    // Numbers stay text until `numberOption` reads them, so a bad one is told in its sentence.
    if (spec.default !== undefined) option.default(String(spec.default));
    return [option];
  });
}

/** The one sentence that refuses a bad value of `name`, however it was given. */
export function badValue(name: OptionName, value: unknown): SuiteConfigError {
  const spec: OptionSpec = OPTIONS[name];
  const kind = spec.kind;
  let what = "a valid value";
  if (kind.type === "choice") what = kind.choices.join(" or ");
  if (kind.type === "number") {
    what = kind.max === undefined ? kind.what : `${kind.what} from ${kind.min} to ${kind.max}`;
  }
  const shown =
    typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()))
      ? String(value).trim()
      : JSON.stringify(value);
  return new SuiteConfigError(`${spec.flag} must be ${what}, not ${shown}.`);
}

/**
 * The value of the number option `name`: its default when `value` is undefined, the number
 * `value` is or reads as otherwise; throws the option's one sentence for anything else.
 */
export function numberOption(name: Defaulted, value: number | string | undefined): number;
export function numberOption(
  name: NumberOption,
  value: number | string | undefined,
): number | undefined;
export function numberOption(
  name: NumberOption,
  value: number | string | undefined,
): number | undefined {
  const spec: OptionSpec = OPTIONS[name];
  const kind = spec.kind as Extract<Kind, { type: "number" }>;
  if (value === undefined) return spec.default as number | undefined;
  const syntax = kind.whole ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/;
  const number =
    typeof value === "number" ? value : syntax.test(value.trim()) ? Number(value) : Number.NaN;
  const ok =
    Number.isFinite(number) &&
    (!kind.whole || Number.isSafeInteger(number)) &&
    (kind.above ? number > kind.min : number >= kind.min) &&
    (kind.max === undefined || number <= kind.max);
  if (!ok) throw badValue(name, value);
  return number;
}

/** The profile, `core` when none is given; throws the option's one sentence for anything else. */
export function profileOption(value: unknown): Profile {
  if (value === undefined) return "core";
  if (!isProfile(value)) throw badValue("profile", value);
  return value;
}

/** What a run is held to, once its options are checked. */
export interface Limits {
  timeoutMs: number;
  profile: Profile;
  concurrency: number;
  maxDurationMs: number;
  stopAfterTimeouts: number;
  rateLimit?: number;
  consistencyWindowMs: number;
  seed: number;
  maxExamples: number;
}

/**
 * The limits of a run `runSuite` is given, each checked against the table, and the rest of its
 * options checked too; throws SuiteConfigError with the one sentence for the first bad one.
 */
export function suiteLimits(options: SuiteOptions, randomSeed: () => number): Limits {
  const seed = numberOption("seed", options.seed) ?? randomSeed();
  const maxExamples = numberOption("maxExamples", options.maxExamples);
  const timeoutMs = numberOption("timeoutMs", options.timeoutMs);
  const concurrency = numberOption("concurrency", options.concurrency);
  const maxDurationMs =
    numberOption(
      "maxDuration",
      options.maxDurationMs === undefined ? undefined : options.maxDurationMs / 1000,
    ) * 1000;
  const stopAfterTimeouts = numberOption("stopAfterTimeouts", options.stopAfterTimeouts);
  const rateLimit = numberOption("rateLimit", options.rateLimit);
  const consistencyWindowMs = numberOption("consistencyWindow", options.consistencyWindowMs);
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
  return {
    timeoutMs,
    profile: profileOption(options.profile),
    concurrency,
    maxDurationMs,
    stopAfterTimeouts,
    consistencyWindowMs,
    seed,
    maxExamples,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  };
}
