// Runs the command-line tools of the workspace packages the way their users do: through the `bin`
// each package declares, never by reaching into its sources.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * The file behind a package's command.
 * @param {string} packageName
 * @param {string} command
 */
export function resolveBin(packageName, command) {
  let manifestPath;
  try {
    manifestPath = require.resolve(`${packageName}/package.json`);
  } catch (error) {
    throw new Error(`Cannot find ${packageName} (${/** @type {Error} */ (error).message}).`, {
      cause: error,
    });
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[command];
  if (!bin) throw new Error(`${packageName} declares no "${command}" command in its package.json.`);
  const file = join(dirname(manifestPath), bin);
  if (!existsSync(file)) {
    throw new Error(
      `${command} is not built yet (${packageName} has no ${bin}): run \`pnpm --filter ${packageName} build\` first, or build the docs through turbo, which builds it before them.`,
    );
  }
  return file;
}

/**
 * Runs a package's command and answers its output; throws with its stderr when it fails.
 * @param {string} packageName
 * @param {string} command
 * @param {string[]} args
 * @param {{ okStatuses?: number[], timeoutMs?: number }} [options]
 */
export function runBin(packageName, command, args, { okStatuses = [0], timeoutMs = 60_000 } = {}) {
  const file = resolveBin(packageName, command);
  const result = spawnSync(process.execPath, [file, ...args], {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  if (result.error)
    throw new Error(`\`${command} ${args.join(" ")}\` could not run: ${result.error.message}`);
  if (result.status === null || !okStatuses.includes(result.status)) {
    const reason =
      result.stderr.trim().split("\n").slice(-3).join(" ") || `signal ${result.signal}`;
    throw new Error(`\`${command} ${args.join(" ")}\` exited with ${result.status}: ${reason}`);
  }
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
