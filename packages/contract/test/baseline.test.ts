import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseBaseline } from "../src/baseline.js";
import { run } from "./harness/cli.js";
import { errorAnswer, type Script, startFakeApi, when } from "./harness/fake-api.js";
import { judge } from "./harness/judge.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-contract-baseline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A server whose GET of one connection fails with an HTML page naming it, with the time. */
const brokenGet: Script = {
  request: (req) =>
    req.method === "GET" && /^\/api\/connections\/[^/]+$/.test(req.path)
      ? {
          status: 500,
          raw: `<html><body>Cannot read ${req.path} at ${new Date().toISOString()} (request ${Math.random()})</body></html>`,
          headers: { "content-type": "text/html" },
        }
      : undefined,
};

describe("fingerprints", () => {
  it("are the same in two runs whose names, times and answers differ, for the same failures", async () => {
    const first = await judge(["lifecycle.adfs"], brokenGet);
    const second = await judge(["lifecycle.adfs"], brokenGet);
    const failures = (j: typeof first) => j.result("lifecycle.adfs").failures;
    expect(failures(first).length).toBeGreaterThanOrEqual(3);
    // The runs differ in what a fingerprint must not see…
    expect(failures(first).map((f) => f.observed)).not.toEqual(
      failures(second).map((f) => f.observed),
    );
    expect(first.report.checks[0]?.failures[0]?.request).not.toBe(
      second.report.checks[0]?.failures[0]?.request,
    );
    // …and agree on what a failure is.
    const prints = (j: typeof first) => failures(j).map((f) => `${f.type} ${f.fingerprint}`);
    expect(prints(second)).toEqual(prints(first));
    expect(new Set(prints(first)).size).toBe(prints(first).length);
    for (const f of failures(first)) expect(f.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });
});

async function fake(script: Script) {
  const api = await startFakeApi(script);
  return {
    api,
    args: (...more: string[]) => [
      "run",
      "--base-url",
      api.url,
      "--client-id",
      api.clientId,
      "--only",
      "document",
      ...more,
    ],
    env: { MGMTKIT_CLIENT_SECRET: api.clientSecret },
  };
}

const accept406 = when(
  (r) => String(r.headers.accept).includes("xml"),
  errorAnswer(406, "JSON only."),
);
const slash404 = when(
  (r) => r.rawPath.length > 1 && r.rawPath.endsWith("/"),
  errorAnswer(404, "No route."),
);
const both: Script = { request: (req) => accept406.request?.(req) ?? slash404.request?.(req) };

describe("mgmtkit-contract run --baseline", () => {
  const file = join(dir, "contract-baseline.json");

  it("writes the known failures, passes on them, fails on a new one, reports the fixed", async () => {
    // 1. A server with one known problem: record it.
    let server = await fake(accept406);
    try {
      const update = await run(server.args("--baseline", file, "--update-baseline"), server.env);
      expect(update.code).toBe(0);
      const entries = parseBaseline(readFileSync(file, "utf8"), file);
      // One entry per step of the check that fails.
      expect(entries.length).toBeGreaterThanOrEqual(2);
      expect(update.stdout).toContain(`wrote ${entries.length} expected failures to ${file}.`);
      for (const entry of entries) {
        expect(entry).toEqual({
          check: "document.accept-xml",
          fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
          comment: expect.any(String),
        });
      }
      expect(entries.map((e) => e.comment)).toContain(
        'GET /api/connections with Accept: application/xml answers 200, not 406 — "The Accept header is ignored for now." (API endpoint).',
      );
      // The file holds no secret and nothing of this run.
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain(server.api.url);
      expect(text).not.toContain(server.api.clientSecret);

      // 2. The same server again: the known failure is reported, the run passes.
      const known = await run(
        server.args(
          "--baseline",
          file,
          "--reporter",
          "console",
          "--reporter",
          "junit",
          "--output",
          join(dir, "known.xml"),
        ),
        server.env,
      );
      expect(known.code).toBe(0);
      expect(known.stdout).toMatch(/^✗ document\.accept-xml — .*\(known: in the baseline\)$/m);
      expect(known.stdout).toContain(`Baseline ${file}: ${entries.length} known failures, 0 new\n`);
      expect(known.stdout).toMatch(
        new RegExp(
          `^PASS \\d+ passed, 1 failed \\(${entries.length} known, 0 new failures\\)`,
          "m",
        ),
      );
      const junit = readFileSync(join(dir, "known.xml"), "utf8");
      expect(junit).toMatch(/<testsuites [^>]*failures="0"/);
      expect(junit).toMatch(
        /name="document\.accept-xml"[^>]*>\s*<skipped message="expected failure/,
      );
    } finally {
      await server.api.close();
    }

    // 3. A new problem appears: the run fails and names it.
    server = await fake(both);
    try {
      const fresh = await run(server.args("--baseline", file), server.env);
      expect(fresh.code).toBe(1);
      expect(fresh.stdout).toMatch(
        /^✗ document\.trailing-slash — .* \(new: not in the baseline\)$/m,
      );
      expect(fresh.stdout).toMatch(/ known failures, [1-9]\d* new$/m);
      expect(fresh.stdout).toMatch(/^FAIL /m);
    } finally {
      await server.api.close();
    }

    // 4. Both fixed: the entry is reported as fixed; --strict-baseline fails on it.
    server = await fake({});
    try {
      const fixed = await run(server.args("--baseline", file), server.env);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toMatch(/^ {2}fixed document\.accept-xml [0-9a-f]{12}: .*remove it/m);
      const strict = await run(server.args("--baseline", file, "--strict-baseline"), server.env);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toMatch(/^FAIL /m);
      const env = await run(server.args(), {
        ...server.env,
        MGMTKIT_BASELINE: file,
        MGMTKIT_STRICT_BASELINE: "1",
      });
      expect(env.code).toBe(1);
      // Updating drops the fixed entry: the baseline only shrinks.
      expect(
        (await run(server.args("--baseline", file, "--update-baseline"), server.env)).code,
      ).toBe(0);
      expect(parseBaseline(readFileSync(file, "utf8"), file)).toEqual([]);
    } finally {
      await server.api.close();
    }
  });

  it.each<[string, () => string[], RegExp]>([
    [
      "a missing file",
      () => ["--baseline", join(dir, "nope.json")],
      /^mgmtkit-contract: The baseline .*nope\.json does not exist; create it with --update-baseline\.\n$/,
    ],
    [
      "a malformed file",
      () => {
        writeFileSync(
          join(dir, "bad.json"),
          '{"expected": [{"check": "document.accept-xml", "fingerprint": 3}]}',
        );
        return ["--baseline", join(dir, "bad.json")];
      },
      /^mgmtkit-contract: The baseline .*bad\.json has a "fingerprint" in entry 1 of "expected" that is not 12 lower-case hex digits; it holds .*\.\n$/,
    ],
    [
      "a file that is not JSON",
      () => {
        writeFileSync(join(dir, "text.json"), "document.accept-xml\n");
        return ["--baseline", join(dir, "text.json")];
      },
      /^mgmtkit-contract: The baseline .*text\.json is not JSON \(.+\)\.\n$/,
    ],
    [
      "--update-baseline without a file",
      () => ["--update-baseline"],
      /--update-baseline needs --baseline FILE/,
    ],
    [
      "--strict-baseline without a file",
      () => ["--strict-baseline"],
      /--strict-baseline needs --baseline FILE/,
    ],
  ])("exits 2 before any request on %s, in one sentence", async (_name, flags, message) => {
    const server = await fake(accept406);
    try {
      const result = await run(server.args(...flags()), server.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
      expect(server.api.requests).toHaveLength(0);
    } finally {
      await server.api.close();
    }
  });
});
