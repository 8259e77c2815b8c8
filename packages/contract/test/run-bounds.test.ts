import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { run } from "./harness/cli.js";

/**
 * A whole run is bounded: a server that stops answering ends it after a few deadlines, not one
 * per request, and a slow one at the time budget; either way with one sentence and exit code 2.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server that issues tokens and handles the rest as `api` says; it counts the /api requests. */
async function serve(api: RequestListener): Promise<{ url: string; apiRequests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url?.startsWith("/oauth/token")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"access_token":"bounded-token","token_type":"bearer"}');
      return;
    }
    count += 1;
    api(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiRequests: () => count,
  };
}

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-bounds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The flags of every file report, each to a file of its own under `name`. */
function allReports(name: string): { args: string[]; json: string; junit: string; html: string } {
  const json = join(dir, `${name}.json`);
  const junit = join(dir, `${name}.xml`);
  const html = join(dir, `${name}.html`);
  return {
    args: ["--reporter", "console,json,junit,html", "--output", `${json},${junit},${html}`],
    json,
    junit,
    html,
  };
}

/** The reason a JUnit report gives for a run that stopped, as its one error. */
function junitError(file: string): { message: string; type: string } {
  const xml = readFileSync(file, "utf8");
  expect(XMLValidator.validate(xml)).toBe(true);
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
    xml,
  ).testsuites;
  expect(root.errors).toBe("1");
  const suites = Array.isArray(root.testsuite) ? root.testsuite : [root.testsuite];
  return suites.find((s: { name: string }) => s.name === "mgmtkit-contract.run").testcase.error;
}

const credentials = {
  MGMTKIT_CLIENT_ID: "bounded-client",
  MGMTKIT_CLIENT_SECRET: "bounded-client-secret-5f1c",
};

describe("the bounds of a run", () => {
  it("stops after the timeouts in a row once the server answers nothing any more, exit 2", async () => {
    // Tokens still come, but every /api request hangs: before, each of them cost a deadline.
    const server = await serve(() => {});
    const result = await run(
      ["run", "--base-url", server.url, "--timeout-ms", "150", "--reporter", "json"],
      { ...credentials, MGMTKIT_CONCURRENCY: "4", MGMTKIT_STOP_AFTER_TIMEOUTS: "3" },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^mgmtkit-contract: The run stopped early: the server did not answer \d+ requests in a row within 150 ms each, nor a plain GET \/api\/connections sent to see whether it answers at all \(--stop-after-timeouts 3\)\.\n$/,
    );
    const report = JSON.parse(result.stdout);
    expect(report.stopped.reason).toBe("timeouts");
    expect(report.summary.skipped).toBeGreaterThan(report.summary.total / 2);
    // A few deadlines' worth: the checks in flight, the liveness request and the clean-up. A run
    // that did not stop sends hundreds; on a busy machine late timers let a few more start (21
    // was seen beside a mutation run and another clean-clone check).
    expect(server.apiRequests()).toBeLessThan(40);
  });

  it("stops at --max-duration, skipping what it did not reach, exit 2", async () => {
    // Every /api answer takes 100 ms: the whole run would take many seconds.
    const server = await serve((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("[]");
      }, 100);
    });
    const result = await run(
      ["run", "--base-url", server.url, "--max-duration", "0.5", "--concurrency", "2"],
      credentials,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "mgmtkit-contract: The run stopped early: it reached its time budget of 0.5 s (--max-duration) before every check ended.\n",
    );
    expect(result.stdout).toMatch(/skipped: the run stopped before the check started/);
    expect(result.stdout).toMatch(/^STOPPED \d+ passed, \d+ failed, \d+ skipped of \d+ checks/m);
  });

  it("ends at --max-duration whatever is in flight, the clean-up included, and writes every report", async () => {
    // Creates succeed, and nothing else is ever answered: a check waits on its deletes, and the
    // clean-up on its own. Before, the clean-up alone took a request deadline (20 s) past the end.
    const server = await serve((req, res) => {
      if (req.method === "POST") {
        res.writeHead(201, { "content-type": "application/json" });
        res.end('{"name":"x","strategy":"google-oauth2","options":{}}');
      }
    });
    const reports = allReports("ceiling");
    const started = performance.now();
    const result = await run(
      [
        "run",
        "--base-url",
        server.url,
        "--only",
        "connections",
        "--max-duration",
        "2",
        "--timeout-ms",
        "20000",
        ...reports.args,
      ],
      credentials,
    );
    const took = performance.now() - started;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "mgmtkit-contract: The run stopped early: it reached its time budget of 2 s (--max-duration) before every check ended.\n",
    );
    const report = JSON.parse(readFileSync(reports.json, "utf8"));
    expect(report.stopped.reason).toBe("max-duration");
    expect(report.durationMs).toBeLessThanOrEqual(2_000 + 1_000);
    expect(report.checks.map((c: { status: string }) => c.status)).not.toContain("passed");
    expect(
      report.checks.some((c: { skipReason?: string }) =>
        /the run stopped before the check finished/.test(c.skipReason ?? ""),
      ),
    ).toBe(true);
    expect(junitError(reports.junit).type).toBe("max-duration");
    expect(readFileSync(reports.html, "utf8")).toMatch(/reached its time budget of 2 s/);
    // The process, start-up and report writing included, ends far before one request deadline.
    expect(took).toBeLessThan(15_000);
  });

  it.each([
    [
      "refused credentials",
      "wrong-secret",
      /^The server refused the client credentials: POST \/oauth\/token answered 401 \(invalid_client\); check --client-id and --client-secret\.$/,
    ],
    [
      "an unreachable server",
      "unreachable",
      /^Cannot reach http:\/\/127\.0\.0\.1:\d+: the server refused the connection\.$/,
    ],
  ])(
    "writes every report with the reason when the run cannot start (%s), exit 2",
    async (_, name, reason) => {
      let url: string;
      if (name === "unreachable") {
        // A port that was free a moment ago and is closed now.
        const gone = await serve(() => {});
        url = gone.url;
        await closers.pop()?.();
      } else {
        const server = createServer((_req, res) => {
          res.writeHead(401, { "content-type": "application/json" });
          res.end('{"error":"invalid_client"}');
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        closers.push(async () => {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        });
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }
      const reports = allReports(name);
      const result = await run(["run", "--base-url", url, ...reports.args], credentials);
      expect(result.code).toBe(2);
      const message = result.stderr.replace(/^mgmtkit-contract: /, "").trim();
      expect(message).toMatch(reason);
      const report = JSON.parse(readFileSync(reports.json, "utf8"));
      expect(report.stopped).toEqual({ reason: "fatal", message });
      expect(report.summary.skipped).toBe(report.summary.total);
      expect(report.summary.total).toBeGreaterThan(0);
      expect(junitError(reports.junit)).toEqual({ message, type: "fatal" });
      const html = readFileSync(reports.html, "utf8");
      expect(html).toContain(message.split(":")[0]);
      for (const file of [reports.json, reports.junit, reports.html]) {
        expect(readFileSync(file, "utf8")).not.toContain(credentials.MGMTKIT_CLIENT_SECRET);
      }
    },
  );

  it.each([
    ["--concurrency", "0", /--concurrency must be a whole number from 1 to 64, not 0\./],
    ["--concurrency", "65", /--concurrency must be a whole number from 1 to 64, not 65\./],
    ["--rate-limit", "-1", /--rate-limit must be a positive number of requests per second/],
    ["--max-duration", "soon", /--max-duration must be a positive number of seconds/],
    ["--stop-after-timeouts", "0", /--stop-after-timeouts must be a positive whole number/],
  ])("refuses %s %s with one sentence, exit 2", async (flag, value, message) => {
    const result = await run(["run", "--base-url", "http://127.0.0.1:9", flag, value], credentials);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
