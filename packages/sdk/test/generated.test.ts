import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const committed = join(root, "src/generated/schema.ts");

async function check(file?: string) {
  const args = ["scripts/generate.mjs", "--check", ...(file ? ["--file", file] : [])];
  return run(process.execPath, args, { cwd: root }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("generated types", () => {
  it("match a fresh generation from @mgmtkit/spec", async () => {
    const result = await check();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("start with a header naming the source and the command", async () => {
    const text = await readFile(committed, "utf8");
    expect(text.split("\n").slice(0, 3)).toEqual([
      "// This file is generated. Do not edit it by hand.",
      "// Source: @mgmtkit/spec/openapi.json (the bundled spec/openapi.yaml), through openapi-typescript.",
      "// Command: pnpm --filter @mgmtkit/sdk generate (node scripts/generate.mjs).",
    ]);
  });

  it("are reported out of date after a hand edit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sdk-generated-"));
    try {
      const edited = join(dir, "schema.ts");
      const text = await readFile(committed, "utf8");
      await writeFile(edited, text.replace('strategy: "adfs";', 'strategy: "saml";'));
      const result = await check(edited);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /is out of date with @mgmtkit\/spec; run "pnpm --filter @mgmtkit\/sdk generate"/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
