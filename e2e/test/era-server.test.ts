import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { type EraServer, startEra } from "./era-server.js";

const manifest = createRequire(import.meta.url).resolve("@mgmtkit/contract/package.json");
const contractCli = join(dirname(manifest), "dist", "cli.js");

interface JsonReport {
  checks: {
    id: string;
    status: string;
    failures: { case?: { id?: string }; observed: string; rule?: string }[];
  }[];
}

/** `mgmtkit-contract run` (core, default flags but these), its exit code and its JSON report. */
function judge(server: EraServer, flags: string[]): Promise<{ code: number; report: JsonReport }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")),
  );
  const args = ["run", "--base-url", server.url, "--client-id", server.clientId, "--reporter"];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [contractCli, ...args, "json", ...flags],
      {
        env: { ...clean, MGMTKIT_CLIENT_SECRET: server.clientSecret, NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        try {
          resolve({ code, report: JSON.parse(stdout) as JsonReport });
        } catch {
          reject(new Error(`no JSON report (exit ${code}): ${stderr.slice(0, 500)}`));
        }
      },
    );
  });
}

const failureLines = (report: JsonReport) =>
  report.checks
    .filter((c) => c.status === "failed")
    .flatMap((c) =>
      c.failures.map((f) => `${c.id} [${f.case?.id ?? f.rule ?? ""}] ${f.observed.slice(0, 200)}`),
    );

const twins = [
  { twin: "stricter", strict: true, seed: 23_301 },
  { twin: "lenient", strict: false, seed: 23_302 },
] as const;
const runs = twins.flatMap((twin) => [1, 16].map((concurrency) => ({ ...twin, concurrency })));

// One run after the other: each run is CPU work for the suite and the server both, and runs side
// by side on a busy machine would each take longer than a request's deadline allows.
describe("the server written from the document alone, judged by mgmtkit-contract", () => {
  it.each(runs)(
    "the $twin twin at --concurrency $concurrency",
    async ({ strict, seed, concurrency }) => {
      const server = await startEra({ strict });
      try {
        const flags = ["--seed", String(seed), "--concurrency", String(concurrency)];
        const { code, report } = await judge(server, flags);
        expect(failureLines(report), `seed ${seed}`).toEqual([]);
        expect(code).toBe(0);
      } finally {
        await server.close();
      }
    },
    180_000,
  );
});
