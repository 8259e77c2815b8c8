import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { catalog } from "../src/index.js";

const file = fileURLToPath(new URL("../CHECKS.md", import.meta.url));
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

function render(): string {
  const groups = [...new Set(catalog.map((c) => c.id.split(".")[0]))];
  const lines = [
    "<!-- Generated from src/checks by `UPDATE_CHECKS=1 pnpm vitest run test/catalog-doc.test.ts`. Do not edit. -->",
    "",
    "# Check catalog",
    "",
    `${catalog.length} checks: ${catalog.filter((c) => c.profile === "core").length} in the \`core\` profile, ${catalog.filter((c) => c.profile === "strict").length} more in \`strict\`. Line numbers refer to the Management API v1 reference document; "spec" to the OpenAPI description in \`@mgmtkit/spec\`, whose quirk list resolves the document's ambiguities. Every check is proven by a deliberately broken server that it must catch (\`e2e/test/faults.ts\` in the repository).`,
    "",
  ];
  for (const group of groups) {
    lines.push(
      `## ${group}`,
      "",
      "| id | profile | requires | source |",
      "| --- | --- | --- | --- |",
    );
    for (const check of catalog.filter((c) => c.id.startsWith(`${group}.`))) {
      lines.push(
        `| \`${check.id}\` | ${check.profile} | ${cell(check.requirement)} | ${cell(check.source)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The formatter pads table cells; compare cell by cell. */
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

it("CHECKS.md matches the catalog", () => {
  const want = render();
  if (process.env.UPDATE_CHECKS) writeFileSync(file, want);
  expect(normalise(readFileSync(file, "utf8"))).toBe(normalise(want));
});

it("the README states the catalog counts as they are", () => {
  const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
  const core = catalog.filter((c) => c.profile === "core").length;
  expect(readme).toContain(
    `runs ${core} named checks (${catalog.length}\nwith \`--profile strict\`)`,
  );
});
