import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run the built package, as it is published (its writer thread is a file of dist/).
  resolve: {
    alias: [
      {
        find: /^@mgmtkit\/reference-server$/,
        replacement: fileURLToPath(new URL("./dist/index.js", import.meta.url)),
      },
      {
        find: /^@mgmtkit\/reference-server\/testing$/,
        replacement: fileURLToPath(new URL("./dist/testing.js", import.meta.url)),
      },
    ],
  },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
