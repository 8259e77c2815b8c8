// Writes src/generated/names.ts from the bundled spec (run `pnpm build` first).
//   node scripts/generate.mjs          writes the file
//   node scripts/generate.mjs --check  exits 1 when the committed file differs from a fresh run
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { namesModule } from "./names.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src/generated/names.ts");
const spec = JSON.parse(readFileSync(join(root, "dist/openapi.json"), "utf8"));
const fresh = namesModule(spec);

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {}
  if (committed !== fresh) {
    console.error(
      'src/generated/names.ts is out of date with openapi.yaml; run "pnpm --filter @mgmtkit/spec generate" and commit it.',
    );
    process.exit(1);
  }
  console.log("src/generated/names.ts matches openapi.yaml.");
} else {
  writeFileSync(target, fresh);
  console.log("Wrote src/generated/names.ts.");
}
