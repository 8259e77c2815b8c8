import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    maxConcurrency: 4,
    // A worker per core: the servers and the suites they judge run inside the workers, and
    // vitest's default of one fewer than the cores would leave one idle on a two-core machine.
    maxWorkers: availableParallelism(),
  },
});
