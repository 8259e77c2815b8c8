import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One file at a time: packing, publishing and a native compile compete for two cores with the
    // other packages' tests.
    fileParallelism: false,
    // Publishing, installing (better-sqlite3 compiles from source) and packing take minutes, not
    // seconds; each file sets its own hook timeouts, this is the ceiling for a single check.
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
