import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A judged server is two whole runs of the suite (at --concurrency 1 and 16); on two busy
    // cores a run can take a minute, so the limit is generous and fewer run side by side.
    testTimeout: 240_000,
    hookTimeout: 60_000,
    maxConcurrency: 2,
    // A worker per core: the servers and the suites they judge run inside the workers, and
    // vitest's default of one fewer than the cores would leave one idle on a two-core machine.
    maxWorkers: availableParallelism(),
  },
});
