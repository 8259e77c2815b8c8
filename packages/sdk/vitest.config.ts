import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// The tests of the public API import "../src/index.js"; they run against the build instead, the
// dist/index.js the published tarball holds (turbo builds before it tests). Unit tests of inner
// modules (the transport, the token provider) import those from src.
const dist = fileURLToPath(new URL("./dist/index.js", import.meta.url));
if (!existsSync(dist)) throw new Error("dist/index.js is missing; run the build first.");

export default defineConfig({
  define: { __SDK_VERSION__: JSON.stringify(version) },
  resolve: { alias: [{ find: /^\.\.\/src\/index\.js$/, replacement: dist }] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
  },
});
