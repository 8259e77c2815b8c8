import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// The `seeds` script: minutes of judging, never part of `pnpm test`.
export default defineConfig({
  test: {
    include: ["seeds/**/*.test.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 30_000,
    maxConcurrency: 4,
    maxWorkers: availableParallelism(),
  },
});
