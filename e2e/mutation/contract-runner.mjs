// The Stryker test runner of `pnpm mutation`, "mgmtkit-contract": one long-lived process per
// Stryker worker that loads the suite once, and per mutant starts that mutant's server in a new
// worker thread (mutation/server-thread.mjs) and runs the suite against it: `runSuite()` with
// the options `mgmtkit-contract run` passes by default (core, its default limits) and a fixed
// seed. A mutant is killed when the run fails; since a failed check fails the run, the run stops
// at the first one. The thread ends with the mutant's run, so no state reaches the next mutant.
//
// MGMTKIT_MUTATION_TARGET: era (default) or reference. MGMTKIT_MUTATION_SEED: the suite's seed.
// MGMTKIT_MUTATION_SAMPLE_FILE: the JSON array of the mutant ids of a --sample run; any other
// mutant is not judged (run.mjs reports it as ignored).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";
import { DryRunStatus, MutantRunStatus, TestStatus } from "@stryker-mutator/api/test-runner";

/** How much sooner than Stryker's own timeout a run gives up, so that Stryker never has to restart this process. */
const TIMEOUT_MARGIN_MS = 250;

/**
 * @typedef {{ verdict: "passed" } | { verdict: "failed", reason: string } | { verdict: "timeout", reason: string }} Verdict
 */

class ContractRunner {
  /** @type {[]} */
  static inject = [];

  /** @type {typeof import("@mgmtkit/contract").runSuite | undefined} */
  #runSuite;
  #target = process.env.MGMTKIT_MUTATION_TARGET ?? "era";
  #seed = Number(process.env.MGMTKIT_MUTATION_SEED ?? "24");
  /** @type {Set<string> | undefined} */
  #sample;

  capabilities() {
    // Every mutant's server is loaded afresh in its own thread.
    return { reloadEnvironment: true };
  }

  async init() {
    ({ runSuite: this.#runSuite } = await import("@mgmtkit/contract"));
  }

  /**
   * @param {{ timeout: number }} options
   * @returns {Promise<import("@stryker-mutator/api/test-runner").DryRunResult>}
   */
  async dryRun(options) {
    const started = Date.now();
    const verdict = await this.#judge(undefined, options.timeout);
    if (verdict.verdict === "timeout")
      return { status: DryRunStatus.Timeout, reason: verdict.reason };
    const base = {
      id: "core",
      name: "mgmtkit-contract run (core)",
      timeSpentMs: Date.now() - started,
    };
    return {
      status: DryRunStatus.Complete,
      tests: [
        verdict.verdict === "passed"
          ? { ...base, status: TestStatus.Success }
          : { ...base, status: TestStatus.Failed, failureMessage: verdict.reason },
      ],
    };
  }

  /**
   * @param {import("@stryker-mutator/api/test-runner").MutantRunOptions} options
   * @returns {Promise<import("@stryker-mutator/api/test-runner").MutantRunResult>}
   */
  async mutantRun(options) {
    const id = options.activeMutant.id;
    if (!this.#inSample(id)) return { status: MutantRunStatus.Survived, nrOfTests: 0 };
    const verdict = await this.#judge(id, options.timeout);
    if (verdict.verdict === "passed") return { status: MutantRunStatus.Survived, nrOfTests: 1 };
    if (verdict.verdict === "timeout")
      return { status: MutantRunStatus.Timeout, reason: verdict.reason };
    return {
      status: MutantRunStatus.Killed,
      killedBy: ["core"],
      failureMessage: verdict.reason,
      nrOfTests: 1,
    };
  }

  /** @param {string} id */
  #inSample(id) {
    const file = process.env.MGMTKIT_MUTATION_SAMPLE_FILE;
    if (!file) return true;
    this.#sample ??= new Set(JSON.parse(readFileSync(file, "utf8")));
    return this.#sample.has(id);
  }

  /**
   * The server with this mutant active (none for the dry run), judged by the suite.
   * @param {string | undefined} mutant
   * @param {number} timeoutMs
   * @returns {Promise<Verdict>}
   */
  async #judge(mutant, timeoutMs) {
    const clientId = `mutant-${randomBytes(4).toString("hex")}`;
    const clientSecret = randomBytes(24).toString("base64url");
    const { __STRYKER_ACTIVE_MUTANT__: _previous, ...env } = process.env;
    const worker = new Worker(new URL("./server-thread.mjs", import.meta.url), {
      workerData: { target: this.#target, entry: this.#entry(), clientId, clientSecret },
      env: mutant === undefined ? env : { ...env, __STRYKER_ACTIVE_MUTANT__: mutant },
      // What a mutant's server prints (stack traces of its 500s) is not the verdict.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const stop = new AbortController();
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const expired = new Promise((resolve) => {
      timer = setTimeout(resolve, Math.max(1, timeoutMs - TIMEOUT_MARGIN_MS), "expired");
    });
    try {
      const started = await Promise.race([serverUrl(worker), expired]);
      if (started === "expired") return { verdict: "timeout", reason: "the server did not listen" };
      if (started.error !== undefined) {
        return { verdict: "failed", reason: `the server did not start: ${started.error}` };
      }
      /** @type {string[]} */
      const failed = [];
      const runSuite = /** @type {typeof import("@mgmtkit/contract").runSuite} */ (this.#runSuite);
      const run = runSuite({
        baseUrl: started.url,
        clientId,
        clientSecret,
        profile: "core",
        seed: this.#seed,
        signal: stop.signal,
        onCheckEnd: (result) => {
          if (result.status !== "failed") return;
          failed.push(
            `${result.id}: ${result.failures[0]?.case?.id ?? ""} ${result.failures[0]?.observed ?? ""}`.slice(
              0,
              400,
            ),
          );
          stop.abort();
        },
      });
      const ended = await Promise.race([run, expired]);
      if (ended === "expired") {
        stop.abort();
        return { verdict: "timeout", reason: "the run did not end in time" };
      }
      return failed.length > 0
        ? { verdict: "failed", reason: failed.join("\n") }
        : { verdict: "passed" };
    } catch (error) {
      return {
        verdict: "failed",
        reason: `the suite could not run: ${/** @type {Error} */ (error).message}`,
      };
    } finally {
      clearTimeout(timer);
      stop.abort();
      await worker.terminate();
    }
  }

  /** The server's entry in the sandbox (Stryker's working directory): instrumented sources. */
  #entry() {
    const file =
      this.#target === "reference"
        ? join(process.cwd(), "dist", "index.js")
        : join(process.cwd(), "era-server", "server.js");
    if (!existsSync(file)) throw new Error(`no server at ${file}`);
    return pathToFileURL(file).href;
  }
}

/**
 * The URL the server thread reports, or its start error.
 * @param {Worker} worker
 * @returns {Promise<{ url: string, error?: undefined } | { error: string }>}
 */
function serverUrl(worker) {
  return new Promise((resolve) => {
    worker.once("message", resolve);
    worker.once("error", (error) => resolve({ error: error.message }));
    worker.once("exit", (code) => resolve({ error: `the server thread exited (${code})` }));
  });
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.TestRunner, "mgmtkit-contract", ContractRunner),
];
