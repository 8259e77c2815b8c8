import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { checksFile, renderChecks } from "../scripts/generate-checks.mjs";
import { catalog, openPoints, statements, validatorCatalog } from "../src/index.js";

/** The formatter may pad table cells; compare cell by cell. */
const normalise = (markdown: string) =>
  markdown
    .trim()
    .split("\n")
    .map((line) =>
      line.startsWith("|")
        ? line
            .split("|")
            .map((c) => c.trim().replace(/^-+$/, "---"))
            .join("|")
        : line,
    )
    .join("\n");

it("CHECKS.md is what `generate:checks` writes from the catalog", () => {
  expect(
    normalise(readFileSync(checksFile, "utf8")),
    "CHECKS.md is out of date: run `pnpm --filter @mgmtkit/contract run generate:checks`",
  ).toBe(normalise(renderChecks(catalog, validatorCatalog, openPoints, statements)));
});

it("the README states the catalog counts as they are", () => {
  const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
  const core = (list: ReadonlyArray<{ profile: string }>) =>
    list.filter((c) => c.profile === "core").length;
  const stated =
    /runs (\d+) named checks \((\d+)\s+with `--profile strict`\)[\s\S]*?to (\d+) response\s+validators \((\d+) in `strict`\)/.exec(
      readme,
    );
  expect(stated?.slice(1).map(Number)).toEqual([
    core(catalog),
    catalog.length,
    core(validatorCatalog),
    validatorCatalog.length,
  ]);
});
