// The README's first example, compiled against the built declarations as a strict consumer would:
// `exactOptionalPropertyTypes` on, and only the oldest `lib` the README promises (ES2018 + DOM).
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

describe("the README example", () => {
  it("type-checks with exactOptionalPropertyTypes and lib ES2018 + DOM", async () => {
    const types = join(root, "dist/index.d.ts");
    expect(existsSync(types), "dist/index.d.ts is missing; run the build first").toBe(true);
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(example).toContain("createManagementClient(");

    const dir = await mkdtemp(join(tmpdir(), "sdk-readme-"));
    try {
      // A browser project: no Node types, so `process` is declared as a bundler would provide it.
      const shim = "declare const process: { env: Record<string, string | undefined> };\n";
      await writeFile(join(dir, "example.ts"), shim + example);
      await writeFile(join(dir, "package.json"), '{ "type": "module" }');
      const compilerOptions = {
        strict: true,
        exactOptionalPropertyTypes: true,
        lib: ["ES2018", "DOM"],
        types: [],
        target: "ES2018",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        noEmit: true,
        // Our declarations are what is under test, so they are checked too.
        skipLibCheck: false,
        paths: { "@mgmtkit/sdk": [types] },
      };
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions, files: ["example.ts"] }),
      );
      const result = await run(process.execPath, [tsc, "-p", dir]).then(
        () => "",
        (error: { stdout: string }) => error.stdout,
      );
      expect(result).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // A whole tsc run with the standard library checked: seconds alone, far more on a busy machine.
  }, 120_000);
});
