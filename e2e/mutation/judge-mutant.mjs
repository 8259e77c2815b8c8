// One mutant's verdict, the command Stryker's command runner runs per mutant (with
// __STRYKER_ACTIVE_MUTANT__ set; without it, the dry run of the unmutated server). In one fresh
// process: the (instrumented) server starts on a free port, then `mgmtkit-contract run` judges it
// in core with its default flags and a fixed seed. The process exits with the suite's code, so a
// mutant is killed when the run fails; nothing outlives the process, so no state reaches the
// next mutant. It prints one line: the checks that failed.
//
// MGMTKIT_MUTATION_TARGET: era (default) or reference. MGMTKIT_MUTATION_SEED: the suite's seed.
// MGMTKIT_MUTATION_SAMPLE_FILE: a JSON array of the mutant ids of a --sample run; any other
// mutant exits at once (its result is discarded by the reporter).
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { startMutant } from "./start-mutant.mjs";

const active = process.env.__STRYKER_ACTIVE_MUTANT__;
const sampleFile = process.env.MGMTKIT_MUTATION_SAMPLE_FILE;
if (active !== undefined && sampleFile) {
  const sample = /** @type {string[]} */ (JSON.parse(readFileSync(sampleFile, "utf8")));
  if (!sample.includes(active)) {
    writeSync(1, "not in the sample\n");
    process.exit(3);
  }
}

const target = /** @type {"era" | "reference"} */ (process.env.MGMTKIT_MUTATION_TARGET ?? "era");
const seed = process.env.MGMTKIT_MUTATION_SEED ?? "24";
const clientId = `mutant-${randomBytes(4).toString("hex")}`;
const clientSecret = randomBytes(24).toString("base64url");

/** @type {{ url: string }} */
let server;
try {
  // The sandbox (the working directory) holds the mutated sources, and for the reference server
  // its own build of them.
  const entry = target === "reference" ? join("dist", "index.js") : join("era-server", "server.js");
  server = await startMutant(target, pathToFileURL(join(process.cwd(), entry)).href, {
    clientId,
    clientSecret,
  });
} catch (error) {
  writeSync(1, `the server did not start: ${/** @type {Error} */ (error)?.message}\n`);
  process.exit(4);
}

const report = join(
  tmpdir(),
  `mgmtkit-mutant-${process.pid}-${randomBytes(4).toString("hex")}.json`,
);
process.on("exit", (code) => {
  /** @type {string} */
  let line;
  try {
    /** @type {{ checks: { id: string, status: string }[] }} */
    const json = JSON.parse(readFileSync(report, "utf8"));
    const failed = json.checks.filter((c) => c.status === "failed").map((c) => c.id);
    line = failed.length > 0 ? `failed: ${failed.join(", ")}` : "passed";
  } catch {
    line = `no report (exit ${code})`;
  }
  rmSync(report, { force: true });
  writeSync(1, `${line}\n`);
});

// `mgmtkit-contract run`, in this process: the CLI runs its command line when imported and
// exits with its code. Only the report's format differs from the defaults; no MGMTKIT_* variable
// of the caller reaches it.
for (const key of Object.keys(process.env)) {
  if (key.startsWith("MGMTKIT_")) delete process.env[key];
}
process.env.MGMTKIT_CLIENT_SECRET = clientSecret;
const require = createRequire(import.meta.url);
const manifestPath = require.resolve("@mgmtkit/contract/package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const cli = join(dirname(manifestPath), manifest.bin["mgmtkit-contract"]);
process.argv = [
  process.execPath,
  cli,
  "run",
  "--base-url",
  server.url,
  "--client-id",
  clientId,
  "--seed",
  seed,
  "--reporter",
  "json",
  "--output",
  report,
];
await import(cli);
