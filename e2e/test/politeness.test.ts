import { runSuite } from "@mgmtkit/contract";
import { afterEach, describe, expect, it } from "vitest";
import { type FaultHooks, startFaultProxy } from "./fault-proxy.js";
import { referenceServer } from "./server.js";
import { pathOf } from "./traffic.js";

/** A server that throttles: the suite waits as it is asked, and says so when it is asked too often. */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function target(hooks: FaultHooks) {
  const server = await referenceServer();
  closers.push(() => server.close());
  const proxy = await startFaultProxy(server.url, server, hooks);
  closers.push(() => proxy.close());
  return { ...server, url: proxy.url };
}

const tooMany = (retryAfter?: string) => ({
  status: 429,
  headers: {
    // A throttling proxy in front of an API often answers in its own format.
    "content-type": "text/html",
    ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }),
  },
  body: "<html><body>Too Many Requests</body></html>",
});

describe("a server that throttles", () => {
  it("has every 429 with Retry-After waited out, none reported as a failure", async () => {
    let seen = 0;
    const server = await target({
      // Every seventh request is turned away once, and asked to come back at once.
      request: () => (++seen % 7 === 0 ? tooMany("0") : undefined),
    });
    const report = await runSuite({
      baseUrl: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      only: ["token", "auth", "lifecycle", "users"],
      rateLimit: 500,
      seed: 3,
    });
    const failed = report.checks.filter((c) => c.status !== "passed");
    expect(failed.map((c) => `${c.id}: ${c.failures[0]?.observed}`)).toEqual([]);
    expect(report.network?.throttled.answers).toBeGreaterThan(10);
    expect(report.network?.rateLimit).toBe(500);
    // A 429 waited out is neither judged nor counted in the coverage.
    const statuses = report.coverage.flatMap((op) => Object.keys(op.undocumented));
    expect(statuses).not.toContain("429");
  });

  it.each([
    [
      "without end",
      "0",
      /answered 429 Too Many Requests 6 times in a row \(0 s waited\), the last after 5 waits/,
    ],
    [
      "past the run's time budget",
      "3600",
      /answered 429 Too Many Requests 1 time in a row \(0 s waited\), the last asking for 3600 s more, past the run's time budget \(\d+ s left\)/,
    ],
    ["without Retry-After", undefined, /answered 429 .*the last without a Retry-After/],
  ])(
    "reports a 429 %s on the check that met it, saying why it stopped waiting",
    async (_name, retryAfter, note) => {
      const server = await target({
        request: (req) => (pathOf(req) === "/api/users" ? tooMany(retryAfter) : undefined),
      });
      const report = await runSuite({
        baseUrl: server.url,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        only: ["users.list"],
        maxDurationMs: 60_000,
      });
      const check = report.checks.find((c) => c.id === "users.list");
      expect(check?.status).toBe("failed");
      expect(check?.failures.map((f) => f.observed).join("\n")).toMatch(note);
    },
  );
});
