// Several runs of the suite at once against one reference server, as two CI jobs against one
// staging server: each run judges the connections it created by what it sent, and passes by
// those of the others, which appear and vanish while it reads.
import { afterEach, describe, expect, it } from "vitest";
import { runsAtOnce } from "./runs-at-once.js";
import { referenceServer } from "./server.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe("runs at once against one reference server on SQLite", () => {
  it.each([2, 4])(
    "%i default core runs pass",
    async (runs) => {
      const target = await referenceServer();
      closers.push(() => target.close());
      const reports = await runsAtOnce(target, runs);
      expect(new Set(reports.map((r) => r.checks.length)).size).toBe(1);
    },
    240_000,
  );
});
