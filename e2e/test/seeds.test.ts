// The cheap slice of `pnpm --filter @mgmtkit/e2e run seeds` that CI runs: a fault of a class the
// generated cases cover is caught under seeds other than the one test/judge.ts gives it.
import { describe, expect, it } from "vitest";
import { faults } from "./faults.js";
import { missedUnder, seeded, seedsToJudge } from "./seeds.js";

describe("the seeds script", () => {
  it("judges ten seeds unless told otherwise", () => {
    expect(seedsToJudge(undefined)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seedsToJudge("3")).toEqual([1, 2, 3]);
    expect(seedsToJudge("7, 99")).toEqual([7, 99]);
    expect(seeded("generated.create-connection")).toBe(true);
    expect(seeded("lifecycle.adfs")).toBe(false);
  });

  // Before every class of input was planned under every seed, these three planned no JSON array
  // as a create body: the fault got through.
  it("finds a JSON array create body answered 500 under seeds that once missed it", async () => {
    const fault = faults.find((f) => f.name === "array-create-body-500");
    expect(fault).toBeDefined();
    if (fault) expect(await missedUnder(fault, [4, 7, 10])).toEqual([]);
  });
});
