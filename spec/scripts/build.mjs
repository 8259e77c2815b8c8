// Bundles openapi.yaml into dist/ (JSON and YAML), then builds the package's entry points with
// tsup: the root export (which embeds the bundled document, so that it loads the same way in Node,
// browsers and bundlers), `./model`, `./link`, `./secrets` and `./retry-after`.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const require = createRequire(import.meta.url);
const redocly = require.resolve("@redocly/cli/bin/cli.js");
const tsup = join(dirname(require.resolve("tsup/package.json")), "dist/cli-default.js");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const quiet = {
  cwd: root,
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
};
for (const ext of ["json", "yaml"]) {
  // Redocly prints banners on every run; its output is shown only when bundling fails (execFileSync
  // then throws with stderr attached).
  execFileSync(
    process.execPath,
    [redocly, "bundle", "openapi.yaml", "--output", join(dist, `openapi.${ext}`), "--ext", ext],
    quiet,
  );
}
execFileSync(process.execPath, [tsup, "--silent"], quiet);
