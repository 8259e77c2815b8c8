// `pnpm run demo`: starts the reference server on an in-memory database, runs the conformance
// suite's command against it with the server's own credentials, and exits with the suite's code.
// Arguments go on to `mgmtkit-contract run` (`node e2e/scripts/demo.mjs --profile strict`).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startServer } from "@mgmtkit/reference-server";

const require = createRequire(import.meta.url);

/** The file behind `mgmtkit-contract`, found the way npm links it: through the package's `bin`. */
function contractCli() {
  const manifestPath = require.resolve("@mgmtkit/contract/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  return join(dirname(manifestPath), manifest.bin["mgmtkit-contract"]);
}

/** @type {import("@mgmtkit/reference-server").RunningServer} */
let server;
try {
  server = await startServer({ host: "127.0.0.1", port: 0, db: ":memory:", logger: false });
} catch (error) {
  process.stderr.write(
    `mgmtkit demo: the reference server could not start: ${/** @type {Error} */ (error).message}\n`,
  );
  process.exit(2);
}
process.stdout.write(
  `mgmtkit demo: reference server on ${server.url} (in-memory database, demo seed)\n`,
);

const suite = spawn(
  process.execPath,
  [
    contractCli(),
    "run",
    "--base-url",
    server.url,
    "--client-id",
    server.clientId,
    ...process.argv.slice(2),
  ],
  {
    stdio: "inherit",
    // The secret goes through the environment, never the process list.
    env: { ...process.env, MGMTKIT_CLIENT_SECRET: server.clientSecret },
  },
);
// Ctrl-C reaches the suite as well, which cleans up and exits; the server closes after it.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => suite.kill("SIGTERM"));
/** @type {number} */
const code = await new Promise((resolve) => {
  suite.on("error", (error) => {
    process.stderr.write(`mgmtkit demo: the suite could not start: ${error.message}\n`);
    resolve(2);
  });
  suite.on("close", (exitCode) => resolve(exitCode ?? 2));
});
await server.close();
process.exit(code);
