import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startProxy } from "../src/proxy.js";
import { junitReport } from "../src/reporters/junit.js";
import { run } from "./harness/cli.js";
import { type FakeApi, startFakeApi } from "./harness/fake-api.js";

/**
 * What a server or a client writes never changes a verdict, a count or a terminal: one-letter
 * tokens are no secrets to substitute into statuses, and escape codes reach no one as codes.
 */

let dir: string;
const closers: Array<() => Promise<unknown>> = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mgmtkit-hostile-text-"));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const junitFailures = (xml: string): number => {
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
    testsuites: { "@_failures": string };
  };
  return Number(parsed.testsuites["@_failures"]);
};

/** Control characters a terminal would act on; the tab and the line break are the reports' own. */
const controls = (text: string) =>
  [...text].filter((c) => {
    const code = c.charCodeAt(0);
    return (code < 32 && c !== "\n" && c !== "\t") || (code >= 0x7f && code <= 0x9f);
  });

async function fake(...args: Parameters<typeof startFakeApi>): Promise<FakeApi> {
  const api = await startFakeApi(...args);
  closers.push(() => api.close());
  return api;
}

describe("a server that issues one-letter tokens", () => {
  it("fails the run: the short token is a finding, and no status or count is rewritten", async () => {
    // Every letter of "failed", in turn; and a list that is no list, which fails a check.
    const api = await fake(
      {
        response: (req, res) =>
          req.path === "/api/connections" && req.method === "GET"
            ? { status: 200, json: { not: "a list" } }
            : res,
      },
      { token: (n) => "failed"[n % 6] as string },
    );
    const junit = join(dir, "short.xml");
    const json = join(dir, "short.json");
    const result = await run(
      [
        "run",
        "--base-url",
        api.url,
        "--client-id",
        api.clientId,
        "--only",
        "auth,connections",
        "--reporter",
        "console,junit,json",
        "--output",
        junit,
        "--output",
        json,
      ],
      { MGMTKIT_CLIENT_SECRET: api.clientSecret },
    );
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^FAIL /m);
    expect(result.stdout).toMatch(/access token of 1 character/);
    expect(junitFailures(readFileSync(junit, "utf8"))).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      summary: { failed: number };
      checks: Array<{ status: string; id: string }>;
    };
    expect(report.summary.failed).toBeGreaterThan(0);
    for (const check of report.checks) {
      expect(["passed", "failed", "skipped"]).toContain(check.status);
      expect(check.id).toMatch(/^[a-z-]+\.[a-z0-9.-]+$/);
    }
  });
});

describe("escape codes from a server", () => {
  it("are printed inert by every reporter and on stderr", async () => {
    const hostile =
      "\x1b[2J\x1b[H\x1b[2K\rPASS all good\b\b \x1b]0;title\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x9b31m";
    // Written raw into the bodies, as a hostile server may: no JSON encoder escapes them.
    const api = await fake({
      response: (req, res) =>
        res.status >= 400 && req.path !== "/oauth/token"
          ? {
              status: res.status,
              raw: `{"statusCode":${res.status},"error":"Bad","message":"${hostile}"}`,
            }
          : req.path === "/api/connections" && req.method === "GET"
            ? { status: 200, raw: `{"oops":"${hostile}"}` }
            : res,
    });
    const files = ["r.json", "r.xml", "r.html"].map((name) => join(dir, name));
    const result = await run(
      [
        "run",
        "--base-url",
        api.url,
        "--client-id",
        api.clientId,
        "--only",
        "auth,connections",
        "--reporter",
        "console,json,junit,html",
        ...files.flatMap((file) => ["--output", file]),
      ],
      { MGMTKIT_CLIENT_SECRET: api.clientSecret },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("\\x1b[2J");
    for (const [name, text] of [
      ["console", result.stdout],
      ["stderr", result.stderr],
      ...files.map((file) => [file, readFileSync(file, "utf8")]),
    ] as const) {
      expect(controls(text), name).toEqual([]);
    }
  });
});

describe("the proxy, given tokens in odd places", () => {
  async function target(): Promise<string> {
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith("/oauth/token")) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"error":"invalid_client","error_description":"no"}');
        return;
      }
      if (req.headers["x-access-token"] === "header-token-1234" || req.url?.includes("good")) {
        // A list that is no list: a failure every time.
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"not":"a list"}');
        return;
      }
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"statusCode":401,"error":"Unauthorized","message":"no"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("keeps its JUnit failures whatever one-letter token a client sends", async () => {
    const lines: string[] = [];
    const proxy = await startProxy({
      target: await target(),
      onViolation: (v) => lines.push(v.line),
    });
    closers.push(() => proxy.close());
    await fetch(`${proxy.url}/api/connections?access_token=good-token-123`);
    const before = junitFailures(junitReport(proxy.report()));
    expect(before).toBeGreaterThan(0);
    for (const letter of "failedpsk") {
      await fetch(`${proxy.url}/api/connections?access_token=${letter}`);
    }
    const report = proxy.report();
    expect(junitFailures(junitReport(report))).toBe(before);
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(report.checks.map((c) => c.status)).toContain("failed");
  });

  it("prints no token of any header, nor a client_secret of any media type", async () => {
    const lines: string[] = [];
    const proxy = await startProxy({
      target: await target(),
      onViolation: (v) => lines.push(v.line),
    });
    closers.push(() => proxy.close());
    await fetch(`${proxy.url}/api/connections`, {
      headers: { "x-access-token": "header-token-1234" },
    });
    await fetch(`${proxy.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "client_id=me&client_secret=plain-secret-5678&grant_type=client_credentials",
    });
    await fetch(`${proxy.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/vnd.odd+json" },
      body: JSON.stringify({ client_id: "me", client_secret: "json-secret-9012" }),
    });
    const report = await proxy.close();
    expect(lines.length).toBeGreaterThan(0);
    const printed = [...lines, JSON.stringify(report)].join("\n");
    for (const secret of ["header-token-1234", "plain-secret-5678", "json-secret-9012"]) {
      expect(printed).not.toContain(secret);
    }
  });
});
