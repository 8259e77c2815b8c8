// StrykerJS over the era server (e2e/era-server), the base of `pnpm mutation` (mutation/run.mjs
// adds its reporter, the sample and the target). Every mutant is judged by the mgmtkit-contract
// test runner (mutation/contract-runner.mjs): that mutant's server in a fresh worker thread and
// the suite's core run against it; a failing run kills the mutant. `--runner command` judges
// each mutant in a process of its own instead (mutation/judge-mutant.mjs, the CLI itself).
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "mgmtkit-contract",
  appendPlugins: [fileURLToPath(new URL("./mutation/contract-runner.mjs", import.meta.url))],
  commandRunner: { command: "node mutation/judge-mutant.mjs" },
  // The API: app.js and what it reads. The command line (cli.js) and the listening socket
  // (server.js) are how the process starts, not what a client of the API can observe.
  mutate: ["era-server/*.js", "!era-server/cli.js", "!era-server/server.js"],
  coverageAnalysis: "off",
  concurrency: availableParallelism(),
  // A mutant that stops answering is cut off a few seconds after an ordinary run would end (on a
  // busy machine too); the suite's own request timeout is 5 s.
  timeoutMS: 8000,
  timeoutFactor: 1.5,
  ignorePatterns: ["reports", "test", "scripts", "*.md"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  logLevel: /** @type {import("@stryker-mutator/api/core").LogLevel} */ ("warn"),
  fileLogLevel: /** @type {import("@stryker-mutator/api/core").LogLevel} */ ("off"),
  reporters: ["html", "json"],
  htmlReporter: { fileName: "reports/mutation/era/index.html" },
  jsonReporter: { fileName: "reports/mutation/era/mutation.json" },
};
