// `pnpm mutation [--sample <n>] [--seed <n>] [--target era|reference]`: StrykerJS over the era
// server (or the reference server's routes and stores), each mutant judged by
// `mgmtkit-contract run` in core. Writes the HTML and JSON reports (mutation-testing-report-schema)
// under reports/mutation/<target>/ and ends with one line:
//   mutation score X% (killed K, survived S, equivalent E, timeout T, of N)
// For the era server the run fails below a score of 95 % of the non-equivalent mutants, above
// 15 % equivalents, or when a mutant listed in mutation/equivalent.json is killed (the list only
// shrinks). The reference server's run only reports, its survivors grouped by file.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Stryker } from "@stryker-mutator/core";
import base from "../stryker.config.mjs";
import { equivalentKey, readEquivalents } from "./equivalents.mjs";
import { hooks } from "./reporter.mjs";

/** @typedef {import("@stryker-mutator/api/core").schema.MutantResult} ReportMutant */

const e2e = fileURLToPath(new URL("..", import.meta.url));
const MIN_SCORE = 95;
const MAX_EQUIVALENT_SHARE = 15;
/** The suite's seed, and the sample's: fixed, so that every run judges the same way. */
const DEFAULT_SEED = 24;

/** @param {string} message */
function usage(message) {
  process.stderr.write(`pnpm mutation: ${message}\n`);
  process.exit(2);
}

/** @type {{ sample?: string, seed?: string, target?: string, runner?: string }} */
let flags = {};
try {
  ({ values: flags } = parseArgs({
    options: {
      sample: { type: "string" },
      seed: { type: "string" },
      target: { type: "string", default: "era" },
      runner: { type: "string", default: "worker" },
    },
  }));
} catch (error) {
  usage(/** @type {Error} */ (error).message);
}
const target = flags.target ?? "era";
if (target !== "era" && target !== "reference")
  usage(`--target is era or reference, not ${target}.`);
const runner = flags.runner ?? "worker";
if (runner !== "worker" && runner !== "command")
  usage(`--runner is worker or command, not ${runner}.`);
const seed = Number(flags.seed ?? DEFAULT_SEED);
if (!Number.isSafeInteger(seed) || seed < 0) usage("--seed must be a whole number.");
const sampleSize = flags.sample === undefined ? undefined : Number(flags.sample);
if (sampleSize !== undefined && (!Number.isSafeInteger(sampleSize) || sampleSize < 1)) {
  usage("--sample must be a whole number of mutants, at least 1.");
}

const reportDir = join(e2e, "reports", "mutation", target);
mkdirSync(reportDir, { recursive: true });
const sampleFile = join(tmpdir(), `mgmtkit-mutation-sample-${process.pid}.json`);
process.env.MGMTKIT_MUTATION_TARGET = target;
process.env.MGMTKIT_MUTATION_SEED = String(seed);
if (sampleSize !== undefined) process.env.MGMTKIT_MUTATION_SAMPLE_FILE = sampleFile;

/** @type {Set<string> | undefined} */
let sample;
hooks.plan = (plans) => {
  const ids = plans.filter((p) => p.plan === "Run").map((p) => p.mutant.id);
  if (sampleSize !== undefined) {
    sample = new Set(seededShuffle(ids, seed).slice(0, sampleSize));
    writeFileSync(sampleFile, JSON.stringify([...sample]));
  }
  const planned = sample?.size ?? ids.length;
  process.stdout.write(`mutation: ${planned} mutants of ${ids.length} to judge (seed ${seed})\n`);
};
let judged = 0;
hooks.tested = (result) => {
  if (sample !== undefined && !sample.has(result.id)) return;
  judged += 1;
  if (result.status === "Survived" || result.status === "NoCoverage") {
    process.stdout.write(`  survived ${describe(result)}\n`);
  } else if (judged % 25 === 0) {
    process.stdout.write(`  ${judged} judged\n`);
  }
};

const started = Date.now();
const mutateRoot = target === "era" ? e2e : resolve(e2e, "..", "packages", "reference-server");
const options = {
  ...base,
  ...(target === "reference" ? referenceOptions() : {}),
  appendPlugins: [
    ...(base.appendPlugins ?? []),
    fileURLToPath(new URL("./reporter.mjs", import.meta.url)),
  ],
  ...(runner === "command" ? { testRunner: "command" } : {}),
  reporters: ["mgmtkit"],
};
process.chdir(mutateRoot);
await new Stryker(options).runMutationTest();
const report = hooks.report;
if (report === undefined) usage("Stryker ended without a report.");
const seconds = Math.round((Date.now() - started) / 1000);
rmSync(sampleFile, { force: true });

const equivalents = target === "era" ? await readEquivalents() : new Map();
const counts = { killed: 0, survived: 0, equivalent: 0, timeout: 0, other: 0 };
/** @type {string[]} */
const listedButKilled = [];
/** @type {Map<string, string[]>} */
const survivorsByFile = new Map();
const seen = new Set();
for (const [file, { mutants }] of Object.entries(
  /** @type {NonNullable<typeof report>} */ (report).files,
)) {
  // era-server/app.js for the era server (the names mutation/equivalent.json uses), and
  // packages/reference-server/src/… for the reference server.
  const name = relative(target === "era" ? e2e : resolve(e2e, ".."), resolve(mutateRoot, file));
  for (const mutant of mutants) {
    if (sample !== undefined && !sample.has(mutant.id)) {
      mutant.status = "Ignored";
      mutant.statusReason = `not in the sample of ${sampleSize} (seed ${seed})`;
      continue;
    }
    if (mutant.status === "Ignored") continue;
    const key = equivalentKey(name, mutant);
    const reason = equivalents.get(key);
    if (reason !== undefined) seen.add(key);
    if (mutant.status === "Killed" || mutant.status === "Timeout") {
      counts[mutant.status === "Killed" ? "killed" : "timeout"] += 1;
      if (reason !== undefined) listedButKilled.push(`${key} (${mutant.status.toLowerCase()})`);
    } else if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
      if (reason !== undefined) {
        counts.equivalent += 1;
        mutant.status = "Ignored";
        mutant.statusReason = `equivalent: ${reason}`;
      } else {
        counts.survived += 1;
        const list = survivorsByFile.get(name) ?? [];
        list.push(describe({ ...mutant, fileName: name }));
        survivorsByFile.set(name, list);
      }
    } else {
      counts.other += 1;
    }
  }
}

writeFileSync(join(reportDir, "mutation.json"), JSON.stringify(report));
writeFileSync(join(reportDir, "index.html"), await reportHtml(report));

const total = counts.killed + counts.survived + counts.equivalent + counts.timeout + counts.other;
const judgedCount = total - counts.equivalent - counts.other;
const score = judgedCount === 0 ? 0 : (100 * (counts.killed + counts.timeout)) / judgedCount;
const equivalentShare = total === 0 ? 0 : (100 * counts.equivalent) / total;

if (target === "reference") {
  const byCount = [...survivorsByFile].sort((a, b) => b[1].length - a[1].length);
  for (const [file, list] of byCount) process.stdout.write(`${file}: ${list.length} survived\n`);
} else {
  for (const list of survivorsByFile.values()) {
    for (const line of list) process.stdout.write(`survived: ${line}\n`);
  }
  for (const line of listedButKilled) {
    process.stdout.write(`killed, yet listed in mutation/equivalent.json (remove it): ${line}\n`);
  }
  if (sample === undefined) {
    for (const key of equivalents.keys()) {
      if (!seen.has(key)) {
        process.stdout.write(
          `listed in mutation/equivalent.json, no such mutant (remove it): ${key}\n`,
        );
        listedButKilled.push(key);
      }
    }
  }
}
process.stdout.write(
  `reports: ${relative(process.cwd(), join(reportDir, "index.html"))}, ${relative(process.cwd(), join(reportDir, "mutation.json"))} (${seconds} s)\n`,
);
const other = counts.other > 0 ? `, ${counts.other} that could not run` : "";
process.stdout.write(
  `mutation score ${score.toFixed(1)}% (killed ${counts.killed}, survived ${counts.survived}, equivalent ${counts.equivalent}, timeout ${counts.timeout}, of ${total}${other})\n`,
);
if (target === "era") {
  const problems = [
    ...(score < MIN_SCORE ? [`the score is below ${MIN_SCORE}%`] : []),
    ...(equivalentShare > MAX_EQUIVALENT_SHARE
      ? [
          `${equivalentShare.toFixed(1)}% of the mutants are listed as equivalent, above ${MAX_EQUIVALENT_SHARE}%`,
        ]
      : []),
    ...(listedButKilled.length > 0
      ? ["mutation/equivalent.json lists mutants that are killed or gone"]
      : []),
    ...(counts.other > 0 ? ["some mutants could not be judged"] : []),
  ];
  if (problems.length > 0) {
    process.stderr.write(`pnpm mutation: ${problems.join("; ")}.\n`);
    process.exit(1);
  }
}

/**
 * @param {{ id: string, fileName?: string, location: { start: { line: number, column: number } }, mutatorName: string, replacement?: string, statusReason?: string }} mutant
 */
function describe(mutant) {
  const where = mutant.fileName ? `${relative(e2e, resolve(mutant.fileName))}:` : "";
  const replacement = (mutant.replacement ?? "").replace(/\s+/g, " ").slice(0, 80);
  return `#${mutant.id} ${where}${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} → ${replacement}`;
}

/**
 * The ids in an order drawn from the seed (mulberry32, Fisher-Yates), the same for the same seed.
 * @param {string[]} ids
 * @param {number} seedValue
 */
function seededShuffle(ids, seedValue) {
  let state = seedValue >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [/** @type {string} */ (out[j]), /** @type {string} */ (out[i])];
  }
  return out;
}

/**
 * Stryker's own HTML report (the mutation-testing-elements app Stryker ships) of this report,
 * with the equivalent and unsampled mutants marked as ignored, each with its reason.
 * @param {unknown} json
 */
async function reportHtml(json) {
  const core = createRequire(import.meta.url).resolve("@stryker-mutator/core");
  const app = await readFile(
    createRequire(core).resolve("mutation-testing-elements/dist/mutation-test-elements.js"),
    "utf8",
  );
  const data = JSON.stringify(json).replace(/</g, "\\u003c");
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Mutation report: ${target}</title><script>${app.replace(/<\/script/gi, "<\\/script")}</script></head>
<body>
<mutation-test-report-app titlePostfix="mgmtkit ${target}"></mutation-test-report-app>
<script>document.querySelector("mutation-test-report-app").report = ${data};</script>
</body>
</html>
`;
}

/** tsup's command line, as the reference server's build runs it. */
function tsupCli() {
  // A tool of the workspace's root, as every package's build finds it.
  const manifest = createRequire(join(e2e, "..", "package.json")).resolve("tsup/package.json");
  return join(manifest, "..", "dist", "cli-default.js");
}

/** The options of --target reference: the reference server's routes and stores, built in the sandbox. */
function referenceOptions() {
  return {
    commandRunner: { command: `node ${JSON.stringify(join(e2e, "mutation", "judge-mutant.mjs"))}` },
    // Stryker splits the build command on spaces, without a shell: no quotes.
    buildCommand: `node ${tsupCli()} --config ${fileURLToPath(new URL("./reference-build.mjs", import.meta.url))}`,
    mutate: [
      "src/routes/*.ts",
      "src/plugins/*.ts",
      "src/connections.ts",
      "src/validation.ts",
      "src/tokens.ts",
      "src/storage.ts",
      "src/sqlite-store.ts",
    ],
    ignorePatterns: ["dist", "test", "*.md", "*.sqlite*"],
  };
}
