// @ts-nocheck
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import the package by its name and run its sources, so that an edit is tested without a
// build. The tests that start the CLI or a child process run dist/ (turbo builds before `test`).
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@mgmtkit\/reference-server$/, replacement: source("./src/index.ts") },
      {
        find: /^@mgmtkit\/reference-server\/testing$/,
        replacement: source("./src/testing/index.ts"),
      },
    ],
  },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
