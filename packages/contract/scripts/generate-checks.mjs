// Writes CHECKS.md, the check catalog as a table, from the built package:
//   pnpm --filter @mgmtkit/contract build && pnpm --filter @mgmtkit/contract run generate:checks
// test/checks-doc.test.ts fails when the committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const checksFile = fileURLToPath(new URL("../CHECKS.md", import.meta.url));

/** @param {string} text */
const cell = (text) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** @param {import("../src/types.js").CheckInfo} entry */
const row = (entry) =>
  `| \`${entry.id}\` | ${entry.profile} | ${cell(entry.requirement)} | ${cell(entry.source)} |`;

/**
 * The catalog as Markdown: the open points, one table per check group, then the response
 * validators.
 * @param {ReadonlyArray<import("../src/types.js").CheckInfo>} catalog
 * @param {ReadonlyArray<import("../src/types.js").CheckInfo>} validators
 * @param {ReadonlyArray<import("../src/open-points.js").OpenPoint>} openPoints
 * @param {ReadonlyArray<import("../src/statements.js").Statement>} statements
 */
export function renderChecks(catalog, validators, openPoints, statements) {
  const core = catalog.filter((c) => c.profile === "core").length;
  const groups = [...new Set(catalog.map((c) => c.id.split(".")[0]))];
  const lines = [
    "<!-- Generated from src/checks by `pnpm --filter @mgmtkit/contract run generate:checks`. Do not edit. -->",
    "",
    "# Check catalog",
    "",
    `${catalog.length} checks: ${core} in the \`core\` profile, ${catalog.length - core} more in \`strict\`. Line numbers refer to the Management API v1 reference document; "spec" to the OpenAPI description in \`@mgmtkit/spec\`, whose quirk list resolves the document's ambiguities. Every check is proven by a deliberately broken server that it must catch (\`e2e/test/faults.ts\` in the repository).`,
    "",
    "## Open points",
    "",
    "Where the document is silent or ambiguous, `core` accepts every reasonable reading and `strict` holds the server to the spec's choice. The repository's e2e tests run a lenient server for each point (and for each stricter reading), and each must pass `core`.",
    "",
    "| point | the document | core accepts | strict requires | checks |",
    "| --- | --- | --- | --- | --- |",
    ...openPoints.map(
      (p) =>
        `| \`${p.id}\` | ${cell(p.question)} | ${cell(p.core)} | ${cell(p.strict)} | ${p.checks.map((c) => `\`${c}\``).join(", ")} |`,
    ),
    "",
  ];
  for (const group of groups) {
    lines.push(
      `## ${group}`,
      "",
      "| id | profile | requires | source |",
      "| --- | --- | --- | --- |",
    );
    for (const check of catalog.filter((c) => c.id.startsWith(`${group}.`))) lines.push(row(check));
    lines.push("");
  }
  lines.push(
    "## Response validators",
    "",
    "Applied to every answer of every check. A failure is reported under the check that sent the request, with the validator's id as its `type` and a `curl` reproduction; `--skip <id>` leaves a validator out.",
    "",
    "| id | profile | requires | source |",
    "| --- | --- | --- | --- |",
    ...validators.map(row),
    "",
    ...traced(statements),
  );
  return lines.join("\n");
}

/**
 * The document traced statement by statement: what judges each, or why nothing can.
 * @param {ReadonlyArray<import("../src/statements.js").Statement>} statements
 */
function traced(statements) {
  const judged = statements.filter((s) => s.judgedBy?.length).length;
  return [
    "## The document, statement by statement",
    "",
    `Every statement of the Management API v1 reference document, in its words, and the properties that judge it: checks and response validators by id, generated families as \`<operationId>/<kind>/<name>\` (each one of the cases of its operation's \`generated.*\` check). ${statements.length} statements: ${judged} judged by at least one property, ${statements.length - judged} not observable through the API.`,
    "",
    "| section | the document says | judged by |",
    "| --- | --- | --- |",
    ...statements.map(
      (s) =>
        `| ${cell(s.section)} | ${cell(s.says)} | ${
          s.judgedBy?.length
            ? s.judgedBy.map((id) => `\`${id}\``).join(", ")
            : `not observable through the API: ${cell(s.unobservable ?? "")}`
        } |`,
    ),
    "",
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { catalog, validatorCatalog, openPoints, statements } = await import("../dist/index.js");
  writeFileSync(checksFile, renderChecks(catalog, validatorCatalog, openPoints, statements));
  console.log(
    `Wrote ${checksFile} (${catalog.length} checks, ${validatorCatalog.length} response validators).`,
  );
}
