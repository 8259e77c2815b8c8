// Generates src/generated/schema.ts from the spec package with openapi-typescript.
//   node scripts/generate.mjs            writes the file
//   node scripts/generate.mjs --check    exits 1 when the committed file differs from a fresh run
//   node scripts/generate.mjs --check --file <path>   compares <path> instead (used by the tests)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src/generated/schema.ts");

const header = `// This file is generated. Do not edit it by hand.
// Source: @mgmtkit/spec/openapi.json (the bundled spec/openapi.yaml), through openapi-typescript.
// Command: pnpm --filter @mgmtkit/sdk generate (node scripts/generate.mjs).
// The tests fail when it differs from a fresh generation; regenerate after every spec change.
`;

export async function generate() {
  // Resolved through the package's exports, never by a path into the spec folder.
  const specPath = createRequire(import.meta.url).resolve("@mgmtkit/spec/openapi.json");
  const spec = JSON.parse(readFileSync(specPath, "utf8"));
  // A request property with a default may be left out: its type must stay optional.
  const ast = await openapiTS(spec, { silent: true, defaultNonNullable: false });
  return `${header}\n${astToString(ast)}`;
}

const args = process.argv.slice(2);
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const fresh = await generate();
  if (args.includes("--check")) {
    const fileIndex = args.indexOf("--file");
    const file = fileIndex === -1 ? target : args[fileIndex + 1];
    let committed = "";
    try {
      committed = readFileSync(file, "utf8");
    } catch {
      console.error(`${file} is missing; run "pnpm --filter @mgmtkit/sdk generate".`);
      process.exit(1);
    }
    if (committed !== fresh) {
      console.error(
        `${relative(process.cwd(), file) || file} is out of date with @mgmtkit/spec; run "pnpm --filter @mgmtkit/sdk generate" and commit the result.`,
      );
      process.exit(1);
    }
    console.log(`${relative(process.cwd(), file) || file} matches @mgmtkit/spec.`);
  } else {
    writeFileSync(target, fresh);
    console.log(`Wrote ${relative(process.cwd(), target)}.`);
  }
}
