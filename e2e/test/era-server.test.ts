import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { type EraServer, startEra } from "./era-server.js";

/**
 * Whether the lenient twin (options stored as sent, a repeated token parameter taking its first
 * value) is judged to pass core. Off until core accepts the two readings issue 23.1 adds as open
 * points (branch `openpoints`); until then the lenient twin must fail core on those points and
 * nothing else.
 */
const LENIENT_TWIN_PASSES_CORE = false;

/** What core fails the lenient twin for today: the two readings of issue 23.1, and only them. */
const ISSUE_23_1_FAILURES: Record<string, RegExp> = {
  "generated.get-access-token": /\/invalid\/parameter-repeated#/,
  "generated.create-connection": /\/(invalid\/option-wrong-type|open\/option-null)#/,
  "generated.update-connection": /\/(invalid\/option-wrong-type|open\/option-null)#/,
  // The list holds the bodies the generated checks sent and the server stored as sent.
  "stateful.connections": /^$/,
};

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
  { twin: "stricter", strict: true, passes: true, seed: 23_301 },
  { twin: "lenient", strict: false, passes: LENIENT_TWIN_PASSES_CORE, seed: 23_302 },
] as const;
const runs = twins.flatMap((twin) => [1, 16].map((concurrency) => ({ ...twin, concurrency })));

// One run after the other: each run is CPU work for the suite and the server both, and runs side
// by side on a busy machine would each take longer than a request's deadline allows.
describe("the server written from the document alone, judged by mgmtkit-contract", () => {
  it.each(runs)(
    "the $twin twin at --concurrency $concurrency",
    async ({ strict, passes, seed, concurrency }) => {
      const server = await startEra({ strict });
      try {
        const flags = ["--seed", String(seed), "--concurrency", String(concurrency)];
        const { code, report } = await judge(server, flags);
        if (passes) {
          expect(failureLines(report), `seed ${seed}`).toEqual([]);
          expect(code).toBe(0);
          return;
        }
        expect(code).toBe(1);
        const failed = report.checks.filter((c) => c.status === "failed");
        for (const check of failed) {
          const expected = ISSUE_23_1_FAILURES[check.id];
          expect(expected, `${check.id} fails: ${failureLines(report).join("\n")}`).toBeDefined();
          for (const failure of check.failures) {
            expect(failure.case?.id ?? "", `${check.id}: ${failure.observed}`).toMatch(
              expected as RegExp,
            );
          }
        }
        expect(failed.map((c) => c.id).sort()).toEqual(Object.keys(ISSUE_23_1_FAILURES).sort());
      } finally {
        await server.close();
      }
    },
    180_000,
  );
});
