import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser test starts Chromium and walks every page of the site.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
