import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  checkIdComparisons,
  cycles,
  fileLengths,
  functionLengths,
  runtimeImports,
  sourceFiles,
} from "./structure.js";

const repository = fileURLToPath(new URL("../..", import.meta.url));
const contract = join(repository, "packages/contract/src");
const packages = [
  "spec/src",
  "packages/sdk/src",
  "packages/contract/src",
  "packages/reference-server/src",
];

const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 100;

/**
 * Known offenders, each removed by the change that fixes it; an entry that no longer offends
 * fails the test, so the list only shrinks. Nothing else is exempt.
 */
const pending: Record<"cycles" | "files" | "functions" | "ids", string[]> = {
  cycles: [],
  files: [],
  functions: [],
  ids: [],
};

/** `file:line name` → `file name`: line numbers move with every edit. */
const unlined = (where: string) => where.replace(/:\d+(?= |$)/, "");

function expectOnly(kind: keyof typeof pending, found: string[]) {
  const known = pending[kind];
  expect(found.filter((f) => !known.includes(f))).toEqual([]);
  const stale = known.filter((k) => !found.includes(k));
  expect(stale.map((k) => `${k} no longer offends: delete its entry from pending.${kind}`)).toEqual(
    [],
  );
}

describe("the source's structure, measured from the code", () => {
  it("has no import cycle in any package, counting type-only imports as well as runtime ones", () => {
    const found: string[] = [];
    for (const pkg of packages) {
      const graph = runtimeImports(sourceFiles(join(repository, pkg)), { types: true });
      for (const cycle of cycles(graph)) {
        found.push(cycle.map((file) => file.slice(repository.length)).join(" "));
      }
    }
    expectOnly("cycles", found);
  });

  it(`has no source file over ${MAX_FILE_LINES} lines in @mgmtkit/contract`, () => {
    const long = fileLengths(sourceFiles(contract), repository).filter(
      (f) => f.lines > MAX_FILE_LINES,
    );
    expectOnly(
      "files",
      long.map((f) => f.where),
    );
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines in @mgmtkit/contract`, () => {
    const long = functionLengths(sourceFiles(contract), repository).filter(
      (f) => f.lines > MAX_FUNCTION_LINES,
    );
    expectOnly("functions", [...new Set(long.map((f) => unlined(f.where)))]);
  });

  it("decides nothing by a check id's text outside the check registry", () => {
    const found = checkIdComparisons(sourceFiles(contract), repository);
    expectOnly("ids", [...new Set(found.map((f) => f.replace(/:\d+ .*$/s, "")))]);
  });
});

describe("the measures themselves", () => {
  it("find a cycle, an import and a long function", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["d"]],
      ["e", ["a"]],
    ]);
    expect(cycles(graph)).toEqual([["a", "b", "c"], ["d"]]);
    const self = fileURLToPath(import.meta.url);
    const here = functionLengths([self], repository);
    expect(here.some((f) => f.where.includes("structure.test.ts") && f.lines > 10)).toBe(true);
    const imports = runtimeImports([
      self,
      fileURLToPath(new URL("./structure.ts", import.meta.url)),
    ]);
    expect([...imports.values()].flat().map((f) => f.slice(repository.length))).toEqual([
      "e2e/test/structure.ts",
    ]);
  });
});
