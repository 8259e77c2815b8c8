#!/usr/bin/env node
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { inert } from "@mgmtkit/spec/secrets";
import { Command, CommanderError, Option } from "commander";
import pkg from "../package.json" with { type: "json" };
import {
  applyBaseline,
  BaselineError,
  readBaseline,
  runFails,
  updatedBaseline,
  writeBaseline,
} from "./baseline.js";
import { inProfile as memberOf } from "./open-points.js";
import { commanderOptions, numberOption } from "./options.js";
import { startProxy } from "./proxy.js";
import { header, progressLine, summary } from "./reporters/console.js";
import { htmlReport } from "./reporters/html.js";
import { jsonReport } from "./reporters/json.js";
import { junitReport } from "./reporters/junit.js";
import {
  catalog,
  fatalReport,
  runSuite,
  SuiteConfigError,
  SuiteSetupError,
  selectChecks,
  selectValidators,
  validatorCatalog,
} from "./runner.js";
import type { Profile, SuiteReport } from "./types.js";

type ReporterName = "console" | "json" | "junit" | "html";
const REPORTERS: ReporterName[] = ["console", "json", "junit", "html"];

/** Exit codes: 0 every selected check passed, 1 the server failed a check, 2 the suite could not run. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

/** The flags `run` and `proxy` share: what they judge by and where the reports go. */
interface ReportFlags {
  profile: Profile;
  skip?: string[];
  reporter?: string[];
  output?: string[];
  timeoutMs: string;
  seed?: string;
  maxExamples: string;
}

interface RunFlags extends ReportFlags {
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  token?: string;
  only?: string[];
  baseline?: string;
  strictBaseline?: boolean;
  updateBaseline?: boolean;
  concurrency: string;
  rateLimit?: string;
  consistencyWindow?: string;
  maxDuration: string;
  stopAfterTimeouts: string;
}

interface ProxyFlags extends ReportFlags {
  target?: string;
  port: string;
  host: string;
  duration?: string;
  maxBodyBytes: string;
  rewriteHost?: boolean;
}

interface Sink {
  reporter: ReporterName;
  /** A file path, or undefined for standard output. */
  file?: string;
}

/** Pairs file reporters with --output paths in order; the console goes to stderr if stdout is taken. */
function plan(flags: ReportFlags): {
  sinks: Sink[];
  consoleStream: NodeJS.WriteStream | undefined;
} {
  const names = flags.reporter?.length ? flags.reporter : ["console"];
  for (const name of names) {
    if (!REPORTERS.includes(name as ReporterName)) {
      throw new UsageError(
        `--reporter must be console, json, junit or html, not ${JSON.stringify(name)}.`,
      );
    }
  }
  const unique = [...new Set(names as ReporterName[])];
  const fileReporters = unique.filter((r) => r !== "console");
  const outputs = [...(flags.output ?? [])];
  if (outputs.length > fileReporters.length) {
    throw new UsageError(
      fileReporters.length === 0
        ? "--output needs a json, junit or html reporter (--reporter json, junit or html)."
        : `${outputs.length} --output paths for ${fileReporters.length} file reporter(s); give one per json/junit/html reporter, in the same order.`,
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
  if (reporter === "junit") return junitReport(report);
  if (reporter === "html") return htmlReport(report);
  return jsonReport(report);
}

function writeReports(sinks: Sink[], report: SuiteReport): void {
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
}

/** The baseline to compare with, read before any request so that a bad file costs no run. */
function baselineOf(
  flags: RunFlags,
): { file: string; entries: ReturnType<typeof readBaseline> } | undefined {
  if (!flags.baseline) {
    if (flags.updateBaseline) {
      throw new UsageError("--update-baseline needs --baseline FILE, the file to write.");
    }
    if (flags.strictBaseline) {
      throw new UsageError(
        "--strict-baseline needs --baseline FILE, the baseline to hold the run to.",
      );
    }
    return undefined;
  }
  const entries = readBaseline(resolve(flags.baseline), { missingIsEmpty: flags.updateBaseline });
  return { file: flags.baseline, entries };
}

async function run(flags: RunFlags): Promise<number> {
  const timeoutMs = numberOption("timeoutMs", flags.timeoutMs);
  const concurrency = numberOption("concurrency", flags.concurrency);
  const maxDurationMs = Math.round(numberOption("maxDuration", flags.maxDuration) * 1000);
  const stopAfterTimeouts = numberOption("stopAfterTimeouts", flags.stopAfterTimeouts);
  const rateLimit = numberOption("rateLimit", flags.rateLimit);
  const consistencyWindowMs = numberOption("consistencyWindow", flags.consistencyWindow);
  const seed = numberOption("seed", flags.seed);
  const maxExamples = numberOption("maxExamples", flags.maxExamples);
  const { sinks, consoleStream } = plan(flags);
  const style = { color: Boolean(consoleStream?.isTTY) && !process.env.NO_COLOR };
  // Checked before any request, so that a typo never costs a run.
  selectChecks({
    profile: flags.profile,
    ...(flags.only ? { only: flags.only } : {}),
    ...(flags.skip ? { skip: flags.skip } : {}),
  });
  selectValidators({ profile: flags.profile, ...(flags.skip ? { skip: flags.skip } : {}) });
  const baseline = baselineOf(flags);

  if (!flags.baseUrl) {
    throw new UsageError(
      "Give the server to judge with --base-url URL (or MGMTKIT_BASE_URL) and its credentials; to watch a passing run, start the reference server with `npx mgmtkit-server` (from @mgmtkit/reference-server), which prints its URL and credentials.",
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
  const startedAt = new Date();
  let report = await runSuite({
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
    concurrency,
    maxDurationMs,
    stopAfterTimeouts,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(consistencyWindowMs ? { consistencyWindowMs } : {}),
    ...(seed !== undefined ? { seed } : {}),
    maxExamples,
    onStart: (info) => consoleStream?.write(header(info, info.checks)),
    onCheckEnd: (result) => consoleStream?.write(`${progressLine(result, style)}\n`),
  }).catch((error: unknown) => {
    // A run that cannot start (or go on) still writes every report asked for, with the reason.
    const message = fatalMessage(error);
    writeReports(
      sinks,
      fatalReport(
        {
          baseUrl: flags.baseUrl ?? "",
          profile: flags.profile,
          ...(flags.only ? { only: flags.only } : {}),
          ...(flags.skip ? { skip: flags.skip } : {}),
          ...(seed !== undefined ? { seed } : {}),
        },
        message,
        startedAt,
      ),
    );
    throw error;
  });
  if (baseline) {
    let entries = baseline.entries;
    if (flags.updateBaseline && !report.interrupted) {
      entries = updatedBaseline(report, entries);
      writeBaseline(resolve(baseline.file), entries);
      (consoleStream ?? process.stderr).write(
        `mgmtkit-contract: wrote ${entries.length} expected failure${entries.length === 1 ? "" : "s"} to ${baseline.file}.\n`,
      );
    }
    report = applyBaseline(report, entries, {
      file: baseline.file,
      strict: flags.strictBaseline === true,
    });
  }
  consoleStream?.write(summary(report, style));
  writeReports(sinks, report);
  // A run that stopped early has no verdict on what it did not reach, failures or not.
  if (report.stopped) throw new UsageError(report.stopped.message);
  if (runFails(report)) return EXIT.failed;
  if (report.interrupted) throw new UsageError("The run was interrupted before every check ran.");
  return EXIT.ok;
}

async function proxy(flags: ProxyFlags): Promise<number> {
  const timeoutMs = numberOption("timeoutMs", flags.timeoutMs);
  const port = numberOption("port", flags.port);
  const maxBodyBytes = numberOption("maxBodyBytes", flags.maxBodyBytes);
  const duration = numberOption("duration", flags.duration);
  const durationMs = duration === undefined ? undefined : Math.round(duration * 1000);
  const { sinks, consoleStream } = plan(flags);
  const style = { color: Boolean(consoleStream?.isTTY) && !process.env.NO_COLOR };
  // Violations are printed as they happen even when no console report is asked for.
  const live = consoleStream ?? process.stderr;
  if (!flags.target) {
    throw new UsageError(
      "Give the server to forward to with --target URL (or MGMTKIT_PROXY_TARGET).",
    );
  }
  const server = await startProxy({
    target: flags.target,
    port,
    host: flags.host,
    timeoutMs,
    profile: flags.profile,
    ...(flags.skip ? { skip: flags.skip } : {}),
    maxBodyBytes,
    rewriteHost: flags.rewriteHost === true,
    onViolation: (violation) => live.write(`${violation.line}\n`),
  });
  live.write(
    `mgmtkit-contract proxy: forwarding ${server.url} to ${flags.target} (${flags.profile} profile); ${durationMs === undefined ? "" : `stopping after ${flags.duration} s or `}Ctrl-C to stop and report.\n`,
  );
  await new Promise<void>((stop) => {
    const timer = durationMs === undefined ? undefined : setTimeout(stop, durationMs);
    const onSignal = () => {
      // A second Ctrl-C while the exchanges in flight end leaves at once.
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      process.on("SIGINT", () => process.exit(EXIT.usage));
      process.on("SIGTERM", () => process.exit(EXIT.usage));
      if (timer) clearTimeout(timer);
      stop();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  const report = await server.close();
  consoleStream?.write(summary(report, style));
  writeReports(sinks, report);
  return runFails(report) ? EXIT.failed : EXIT.ok;
}

function listCatalog(flags: { format: string; profile?: Profile }): number {
  const inProfile = (c: { profile: Profile }) =>
    !flags.profile || memberOf(flags.profile, c.profile);
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

  const runCommand = cli
    .command("run")
    .description("Run the conformance checks against the server at --base-url.")
    .action(async (flags: RunFlags) => {
      process.exitCode = await run(flags);
    });
  for (const option of commanderOptions("run")) runCommand.addOption(option);

  const proxyCommand = cli
    .command("proxy")
    .description(
      "Forward traffic to --target unchanged, judging every exchange against the spec; report on Ctrl-C or after --duration.",
    )
    .action(async (flags: ProxyFlags) => {
      process.exitCode = await proxy(flags);
    });
  for (const option of commanderOptions("proxy")) proxyCommand.addOption(option);

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

/** The sentence an error that ends the command is told with, after `mgmtkit-contract: `. */
function fatalMessage(error: unknown): string {
  if (
    error instanceof UsageError ||
    error instanceof SuiteConfigError ||
    error instanceof SuiteSetupError ||
    error instanceof BaselineError
  ) {
    return error.message;
  }
  const message = (error as Error)?.message ?? String(error);
  return `the suite could not run: ${message.split("\n")[0]}`;
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
    process.stderr.write(`mgmtkit-contract: ${inert(fatalMessage(error))}
`);
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
