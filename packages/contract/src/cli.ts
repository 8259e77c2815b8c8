#!/usr/bin/env node
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import pkg from "../package.json" with { type: "json" };
import { header, progressLine, summary } from "./reporters/console.js";
import { junitReport } from "./reporters/junit.js";
import {
  catalog,
  DEFAULT_MAX_EXAMPLES,
  runSuite,
  SuiteConfigError,
  SuiteSetupError,
  selectChecks,
  selectValidators,
  validatorCatalog,
} from "./runner.js";
import type { Profile, SuiteReport } from "./types.js";

type ReporterName = "console" | "json" | "junit";
const REPORTERS: ReporterName[] = ["console", "json", "junit"];

/** Exit codes: 0 every selected check passed, 1 the server failed a check, 2 the suite could not run. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

const list = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
];

interface RunFlags {
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  token?: string;
  profile: Profile;
  only?: string[];
  skip?: string[];
  reporter?: string[];
  output?: string[];
  timeoutMs: string;
  seed?: string;
  maxExamples: string;
}

interface Sink {
  reporter: ReporterName;
  /** A file path, or undefined for standard output. */
  file?: string;
}

/** Pairs file reporters with --output paths in order; the console goes to stderr if stdout is taken. */
function plan(flags: RunFlags): { sinks: Sink[]; consoleStream: NodeJS.WriteStream | undefined } {
  const names = flags.reporter?.length ? flags.reporter : ["console"];
  for (const name of names) {
    if (!REPORTERS.includes(name as ReporterName)) {
      throw new UsageError(
        `--reporter must be console, json or junit, not ${JSON.stringify(name)}.`,
      );
    }
  }
  const unique = [...new Set(names as ReporterName[])];
  const fileReporters = unique.filter((r) => r !== "console");
  const outputs = [...(flags.output ?? [])];
  if (outputs.length > fileReporters.length) {
    throw new UsageError(
      fileReporters.length === 0
        ? "--output needs a json or junit reporter (--reporter json or --reporter junit)."
        : `${outputs.length} --output paths for ${fileReporters.length} file reporter(s); give one per json/junit reporter, in the same order.`,
    );
  }
  const sinks: Sink[] = fileReporters.map((reporter, index) => {
    const file = outputs[index];
    return file ? { reporter, file: resolve(file) } : { reporter };
  });
  if (sinks.filter((s) => !s.file).length > 1) {
    throw new UsageError(
      "Only one report can go to standard output; give --output for the others.",
    );
  }
  for (const sink of sinks) {
    if (!sink.file) continue;
    const dir = dirname(sink.file);
    try {
      if (!statSync(dir).isDirectory()) throw new Error();
      accessSync(dir, constants.W_OK);
    } catch {
      throw new UsageError(
        `Cannot write the report to ${sink.file}: ${dir} is not a writable directory.`,
      );
    }
  }
  const stdoutTaken = sinks.some((s) => !s.file);
  const consoleStream = unique.includes("console")
    ? stdoutTaken
      ? process.stderr
      : process.stdout
    : undefined;
  return { sinks, consoleStream };
}

function render(reporter: ReporterName, report: SuiteReport): string {
  return reporter === "junit" ? junitReport(report) : `${JSON.stringify(report, null, 2)}\n`;
}

async function run(flags: RunFlags): Promise<number> {
  const timeoutMs = Number(flags.timeoutMs);
  if (!/^\d+$/.test(flags.timeoutMs.trim()) || timeoutMs <= 0) {
    throw new UsageError(
      `--timeout-ms must be a positive whole number of milliseconds, not ${JSON.stringify(flags.timeoutMs)}.`,
    );
  }
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (
    flags.seed !== undefined &&
    (!/^-?\d+$/.test(flags.seed.trim()) || !Number.isSafeInteger(seed))
  ) {
    throw new UsageError(`--seed must be a whole number, not ${JSON.stringify(flags.seed)}.`);
  }
  const maxExamples = Number(flags.maxExamples);
  if (!/^\d+$/.test(flags.maxExamples.trim()) || maxExamples < 1) {
    throw new UsageError(
      `--max-examples must be a positive whole number, not ${JSON.stringify(flags.maxExamples)}.`,
    );
  }
  const { sinks, consoleStream } = plan(flags);
  const style = { color: Boolean(consoleStream?.isTTY) && !process.env.NO_COLOR };
  // Checked before any request, so that a typo never costs a run.
  selectChecks({
    profile: flags.profile,
    ...(flags.only ? { only: flags.only } : {}),
    ...(flags.skip ? { skip: flags.skip } : {}),
  });
  selectValidators({ profile: flags.profile, ...(flags.skip ? { skip: flags.skip } : {}) });

  if (!flags.baseUrl) {
    throw new UsageError(
      "Give the server to judge with --base-url URL (or MGMTKIT_BASE_URL) and its credentials; to watch a passing run, `pnpm run demo` in the mgmtkit repository judges the reference server.",
    );
  }
  const useCredentials = Boolean(flags.clientId || flags.clientSecret);
  // The first Ctrl-C lets the check in progress end and the suite delete what it created; a
  // second one leaves at once.
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.usage);
    process.stderr.write(
      "mgmtkit-contract: interrupted; cleaning up (Ctrl-C again to leave at once).\n",
    );
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const report = await runSuite({
    signal: interrupt.signal,
    baseUrl: flags.baseUrl,
    ...(flags.clientId ? { clientId: flags.clientId } : {}),
    ...(flags.clientSecret ? { clientSecret: flags.clientSecret } : {}),
    // With both, the client credentials win: they let the token checks run.
    ...(flags.token && !useCredentials ? { token: flags.token } : {}),
    profile: flags.profile,
    ...(flags.only ? { only: flags.only } : {}),
    ...(flags.skip ? { skip: flags.skip } : {}),
    timeoutMs,
    ...(seed !== undefined ? { seed } : {}),
    maxExamples,
    onStart: (info) => consoleStream?.write(header(info, info.checks)),
    onCheckEnd: (result) => consoleStream?.write(`${progressLine(result, style)}\n`),
  });
  consoleStream?.write(summary(report, style));
  for (const sink of sinks) {
    const text = render(sink.reporter, report);
    if (sink.file) {
      try {
        writeFileSync(sink.file, text);
      } catch (error) {
        throw new UsageError(
          `Cannot write the report to ${sink.file}: ${(error as Error).message}.`,
        );
      }
    } else {
      process.stdout.write(text);
    }
  }
  if (report.summary.failed > 0) return EXIT.failed;
  if (report.interrupted) throw new UsageError("The run was interrupted before every check ran.");
  return EXIT.ok;
}

function listCatalog(flags: { format: string; profile?: Profile }): number {
  const inProfile = (c: { profile: Profile }) =>
    !flags.profile || flags.profile === "strict" || c.profile === "core";
  const entries = [
    ...catalog.filter(inProfile).map((c) => ({ ...c, kind: "check" as const })),
    ...validatorCatalog.filter(inProfile).map((c) => ({ ...c, kind: "validator" as const })),
  ];
  if (flags.format === "json") {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return EXIT.ok;
  }
  const idWidth = Math.max(...entries.map((c) => c.id.length));
  const table = (rows: typeof entries) =>
    rows
      .map(
        (c) =>
          `${c.id.padEnd(idWidth)}  ${c.profile.padEnd(6)}  ${c.title}\n${" ".repeat(idWidth + 10)}${c.source}`,
      )
      .join("\n");
  const checks = entries.filter((c) => c.kind === "check");
  const validators = entries.filter((c) => c.kind === "validator");
  process.stdout.write(
    `${"ID".padEnd(idWidth)}  PROFILE  WHAT IT VERIFIES / WHERE THE DOCUMENT SAYS SO\n${table(checks)}\n\n` +
      `Applied to every answer of every check (a failure is reported under the check that sent the request):\n${table(validators)}\n\n` +
      `${checks.length} checks, ${validators.length} response validators.\n`,
  );
  return EXIT.ok;
}

function program(): Command {
  const cli = new Command("mgmtkit-contract")
    .description(
      "Judge a Management API v1 server against the spec: named checks, curl reproductions, JUnit reports.",
    )
    .version(pkg.version)
    .exitOverride()
    .configureOutput({
      outputError: (message, write) =>
        write(`mgmtkit-contract: ${message.replace(/^error: /, "")}`),
    })
    .showHelpAfterError(false);

  cli
    .command("run")
    .description("Run the conformance checks against the server at --base-url.")
    .addOption(new Option("--base-url <url>", "the server to judge").env("MGMTKIT_BASE_URL"))
    .addOption(
      new Option("--client-id <id>", "client id for POST /oauth/token").env("MGMTKIT_CLIENT_ID"),
    )
    .addOption(
      new Option("--client-secret <secret>", "client secret (prefer the environment variable)").env(
        "MGMTKIT_CLIENT_SECRET",
      ),
    )
    .addOption(
      new Option("--token <token>", "an access token instead of client credentials").env(
        "MGMTKIT_TOKEN",
      ),
    )
    .addOption(
      new Option("--profile <profile>", "core, or strict for core plus strict checks")
        .choices(["core", "strict"])
        .default("core")
        .env("MGMTKIT_PROFILE"),
    )
    .addOption(
      new Option("--only <checks>", "comma-separated check ids or groups (auth, auth.*)")
        .argParser(list)
        .env("MGMTKIT_ONLY"),
    )
    .addOption(
      new Option(
        "--skip <checks>",
        "comma-separated check or response-validator ids, or groups, to leave out",
      )
        .argParser(list)
        .env("MGMTKIT_SKIP"),
    )
    .addOption(
      new Option("--reporter <name>", "console, json or junit; repeatable")
        .argParser(list)
        .env("MGMTKIT_REPORTER"),
    )
    .addOption(
      new Option(
        "--output <file>",
        "file for the json/junit report, one per file reporter in order",
      )
        .argParser(list)
        .env("MGMTKIT_OUTPUT"),
    )
    .addOption(
      new Option("--timeout-ms <ms>", "hard deadline of every request")
        .default("5000")
        .env("MGMTKIT_TIMEOUT_MS"),
    )
    .addOption(
      new Option(
        "--seed <n>",
        "seed of the generated and stateful cases (default: random, printed on every run)",
      ).env("MGMTKIT_SEED"),
    )
    .addOption(
      new Option(
        "--max-examples <n>",
        "generated examples per family of inputs and operation, and stateful sequences",
      )
        .default(String(DEFAULT_MAX_EXAMPLES))
        .env("MGMTKIT_MAX_EXAMPLES"),
    )
    .action(async (flags: RunFlags) => {
      process.exitCode = await run(flags);
    });

  cli
    .command("list")
    .description(
      "Print the catalog of checks and response validators: id, profile, what it verifies, where the document says so.",
    )
    .addOption(
      new Option("--format <format>", "table or json").choices(["table", "json"]).default("table"),
    )
    .addOption(
      new Option("--profile <profile>", "only the checks of this profile").choices([
        "core",
        "strict",
      ]),
    )
    .action((flags: { format: string; profile?: Profile }) => {
      process.exitCode = listCatalog(flags);
    });
  return cli;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander refuses (including no command at all) is bad usage.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (
      error instanceof UsageError ||
      error instanceof SuiteConfigError ||
      error instanceof SuiteSetupError
    ) {
      process.stderr.write(`mgmtkit-contract: ${error.message}\n`);
    } else {
      const message = (error as Error)?.message ?? String(error);
      process.stderr.write(
        `mgmtkit-contract: the suite could not run: ${message.split("\n")[0]}\n`,
      );
    }
    process.exitCode = EXIT.usage;
  }
}

await main(process.argv);
// Flush what was written, then leave: a hostile server can leave sockets half-open, and the
// verdict is in.
await Promise.all(
  [process.stdout, process.stderr].map((s) => new Promise((done) => s.write("", done))),
);
process.exit(process.exitCode ?? 0);
