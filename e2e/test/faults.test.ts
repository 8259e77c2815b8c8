import { readFileSync } from "node:fs";
import { catalog, openPoints, validatorCatalog } from "@mgmtkit/contract";
import { describe, expect, it } from "vitest";
import { faults } from "./faults.js";
import { lenientServers, specVariants } from "./variants.js";

// The servers themselves are judged in test/judged-*.test.ts, a part of every list in each.
describe("the fault catalog", () => {
  it("has at least 20 faults with unique names, each naming a check of the catalog", () => {
    expect(faults.length).toBeGreaterThanOrEqual(20);
    expect(new Set(faults.map((f) => f.name)).size).toBe(faults.length);
    for (const fault of faults) {
      expect(catalog.map((c) => c.id)).toContain(fault.expect);
      if (fault.type) expect(["check", ...validatorCatalog.map((v) => v.id)]).toContain(fault.type);
    }
  });

  it("is counted as it is in the README", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const stated = /the\s+suite against (\d+) deliberately broken servers/.exec(readme);
    expect(Number(stated?.[1])).toBe(faults.length);
  });

  it("has a fault for every check and every response validator", () => {
    const caught = new Set(faults.flatMap((f) => [f.expect, f.type]));
    expect(
      [...catalog, ...validatorCatalog].filter((c) => !caught.has(c.id)).map((c) => c.id),
    ).toEqual([]);
  });
});

describe("the lenient servers", () => {
  it("cover every open point of the suite", () => {
    const covered = new Set(
      [...lenientServers, ...specVariants].flatMap((v) => [v.openPoint ?? []].flat()),
    );
    expect(openPoints.map((p) => p.id).filter((id) => !covered.has(id))).toEqual([]);
    for (const server of lenientServers) {
      for (const id of [server.openPoint].flat()) expect(openPoints.map((p) => p.id)).toContain(id);
    }
  });

  it("take each stricter-than-document reading of the spec audit (issue 19, items 1-7)", () => {
    const taken = new Set(lenientServers.map((s) => s.audit));
    expect([1, 2, 3, 4, 5, 6, 7].filter((item) => !taken.has(item))).toEqual([]);
  });
});
