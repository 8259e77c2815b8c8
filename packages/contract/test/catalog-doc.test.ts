import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { catalog } from "../src/index.js";
import { faults } from "./faults.js";

const file = fileURLToPath(new URL("../CHECKS.md", import.meta.url));
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

function render(): string {
  const caughtBy = new Map<string, string[]>();
  for (const fault of faults)
    caughtBy.set(fault.expect, [...(caughtBy.get(fault.expect) ?? []), fault.name]);
  const groups = [...new Set(catalog.map((c) => c.id.split(".")[0]))];
  const lines = [
    "<!-- Generated from src/checks by `UPDATE_CHECKS=1 pnpm vitest run test/catalog-doc.test.ts`. Do not edit. -->",
    "",
    "# Check catalog",
    "",
    `${catalog.length} checks: ${catalog.filter((c) => c.profile === "core").length} in the \`core\` profile, ${catalog.filter((c) => c.profile === "strict").length} more in \`strict\`. Line numbers refer to the Management API v1 reference document; "spec" to the OpenAPI description in \`@mgmtkit/spec\`, whose quirk list resolves the document's ambiguities. The last column names the deliberately broken servers of the self-tests (\`test/faults.ts\`) that each check must catch.`,
    "",
  ];
  for (const group of groups) {
    lines.push(
      `## ${group}`,
      "",
      "| id | profile | requires | source | self-test faults |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const check of catalog.filter((c) => c.id.startsWith(`${group}.`))) {
      lines.push(
        `| \`${check.id}\` | ${check.profile} | ${cell(check.requirement)} | ${cell(check.source)} | ${(caughtBy.get(check.id) ?? []).map((n) => `\`${n}\``).join(", ")} |`,
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

it("the README states the catalog and fault counts as they are", () => {
  const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
  const core = catalog.filter((c) => c.profile === "core").length;
  expect(readme).toContain(
    `runs ${core} named checks (${catalog.length}\nwith \`--profile strict\`)`,
  );
  expect(readme).toContain(`against ${faults.length} deliberately broken servers`);
  expect(readme).toContain(`against ${faults.length} broken servers`);
});
