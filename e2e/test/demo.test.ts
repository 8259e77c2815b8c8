import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const demo = fileURLToPath(new URL("../scripts/demo.mjs", import.meta.url));

function runDemo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [demo, ...args],
      { env: { ...clean, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("the demo", () => {
  it("starts the reference server and passes the whole core profile against it", async () => {
    const result = await runDemo([]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^mgmtkit demo: reference server on http:\/\/127\.0\.0\.1:\d+ /);
    expect(result.stdout).toMatch(/^✓ token\.form /m);
    expect(result.stdout).toMatch(/9\/9 operations, \d+\/\d+ documented statuses exercised/);
    expect(result.stdout).toMatch(/PASS \d+ passed, 0 failed, 0 skipped/);
  });

  it("passes its arguments to the suite and exits with the suite's code", async () => {
    const result = await runDemo(["--only", "nothing.here"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--only nothing\.here matches no check/);
  });
});
