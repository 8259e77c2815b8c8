import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
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
    // A few deadlines' worth: the checks in flight, the liveness request and the clean-up.
    expect(server.apiRequests()).toBeLessThan(20);
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

  it.each([
    ["--concurrency", "0", /--concurrency must be a positive whole number of checks at once/],
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
