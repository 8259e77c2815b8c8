import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { catalog } from "@mgmtkit/contract";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { answer, startFaultProxy } from "./fault-proxy.js";
import { faults } from "./faults.js";
import { accessToken, referenceServer } from "./server.js";

const coreChecks = catalog.filter((c) => c.profile === "core").length;
const manifest = createRequire(import.meta.url).resolve("@mgmtkit/contract/package.json");
/** The suite's command, as its package's `bin` declares it. */
const cli = join(dirname(manifest), "dist", "cli.js");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI without inheriting any MGMTKIT_* variable of the caller. */
function run(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...clean, ...env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mgmtkit-contract-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serverBehind(hooks: Parameters<typeof startFaultProxy>[2]) {
  const server = await referenceServer();
  closers.push(() => server.close());
  const proxy = await startFaultProxy(server.url, server, hooks);
  closers.push(() => proxy.close());
  return { ...server, url: proxy.url };
}

describe("mgmtkit-contract run", () => {
  it("exits 1 when the server breaks a rule, reading every flag from the environment", async () => {
    const fault = faults.find((f) => f.name === "accept-xml-406");
    const target = await serverBehind(fault ?? {});
    const result = await run(["run"], {
      MGMTKIT_BASE_URL: target.url,
      MGMTKIT_CLIENT_ID: target.clientId,
      MGMTKIT_CLIENT_SECRET: target.clientSecret,
      MGMTKIT_PROFILE: "core",
      MGMTKIT_ONLY: "document,token.form",
      MGMTKIT_SKIP: "document.trailing-slash",
      MGMTKIT_REPORTER: "console",
      MGMTKIT_TIMEOUT_MS: "4000",
      MGMTKIT_CONCURRENCY: "3",
      MGMTKIT_RATE_LIMIT: "200",
      MGMTKIT_MAX_DURATION: "120",
      MGMTKIT_STOP_AFTER_TIMEOUTS: "4",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ document\.accept-xml /m);
    expect(result.stdout).not.toMatch(/document\.trailing-slash/);
    expect(result.stdout).toMatch(
      /requires: GET \/api\/connections with Accept: application\/xml answers 200/,
    );
    expect(result.stdout).toMatch(/observed: The server answered 406/);
    expect(result.stdout).toMatch(
      /reproduce: curl -sS -i '.*\/api\/connections' -H 'Authorization: bearer |reproduce: curl -sS -i '.*\/api\/connections' -H "Authorization: bearer \$MGMTKIT_TOKEN"/,
    );
    expect(result.stdout).toMatch(
      /^FAIL 6 passed, 1 failed, 0 skipped of 7 checks; \d+ requests in \d+ ms \(3 at once, at most 200\/s; \d+ connections? opened, \d+ requests? on one kept alive\)$/m,
    );
  });

  it("accepts an access token instead of client credentials and skips what needs them", async () => {
    const target = await serverBehind({});
    const token = await accessToken(target.url, target);
    const result = await run(
      ["run", "--base-url", target.url, "--only", "token,auth.query-token", "--reporter", "json"],
      {
        MGMTKIT_TOKEN: token,
      },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const status = Object.fromEntries(
      report.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(status["auth.query-token"]).toBe("passed");
    expect(status["token.unknown-client"]).toBe("passed");
    expect(status["token.wrong-secret"]).toBe("skipped");
    expect(result.stdout).not.toContain(token);
  });

  it("exits 2 when the server refuses the client credentials, without printing the secret", async () => {
    const target = await serverBehind({});
    const result = await run(["run", "--base-url", target.url, "--client-id", target.clientId], {
      MGMTKIT_CLIENT_SECRET: "definitely-not-the-secret",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /refused the client credentials: POST \/oauth\/token answered 401 \(invalid_client\)/,
    );
    expect(result.stderr + result.stdout).not.toContain("definitely-not-the-secret");
  });
});

describe("interruption", () => {
  async function interrupt(
    hooks: Parameters<typeof startFaultProxy>[2],
    after: RegExp,
    concurrency = "1",
  ) {
    const target = await serverBehind(hooks);
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")),
    );
    const child = spawn(
      process.execPath,
      [
        cli,
        "run",
        "--base-url",
        target.url,
        "--client-id",
        target.clientId,
        "--concurrency",
        concurrency,
      ],
      {
        env: { ...clean, MGMTKIT_CLIENT_SECRET: target.clientSecret, NO_COLOR: "1" },
      },
    );
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (!sent && after.test(stdout)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const token = await accessToken(target.url, target);
    const left = await fetch(`${target.url}/api/connections`, {
      headers: { authorization: `bearer ${token}` },
    })
      .then((r) => r.json() as Promise<Array<{ name: string }>>)
      .then((list) =>
        list.map((c) => c.name).filter((name) => name.startsWith("mgmtkit-contract-")),
      );
    return { code, stdout, stderr, left };
  }

  it("on SIGINT skips the remaining checks and exits 2 when none failed", async () => {
    const result = await interrupt({}, /^✓ lifecycle\.adfs /m);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/interrupted; cleaning up/);
    expect(result.stderr).toMatch(/The run was interrupted before every check ran\./);
    expect(result.stdout).toContain(`skipped of ${coreChecks} checks`);
    expect(result.stdout).not.toMatch(/^✓ users\.list /m);
  });

  it("with checks side by side, lets those in progress end, skips the rest and cleans up", async () => {
    const result = await interrupt({}, /^✓ auth\.missing-token /m, "8");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/The run was interrupted before every check ran\./);
    expect(result.stdout).toMatch(/skipped: the run was interrupted/);
    expect(result.left).toEqual([]);
  });

  it("still deletes the connections that failed checks left behind", async () => {
    // Lifecycle checks stop right after their create under this fault, leaving the connection.
    const fault = faults.find((f) => f.name === "create-forgets-options");
    const result = await interrupt(fault ?? {}, /^✗ lifecycle\.adfs /m);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`skipped of ${coreChecks} checks`);
    expect(result.left).toEqual([]);
  });
});

describe("reporters", () => {
  it("open with the one cause of a server whose create answers 500, in every report", async () => {
    const target = await serverBehind({
      request: (req) =>
        req.method === "POST" && req.url.pathname.replace(/\/+$/, "") === "/api/connections"
          ? answer(500, { statusCode: 500, error: "Internal Server Error", message: "boom" })
          : undefined,
    });
    const files = {
      json: join(dir, "cause.json"),
      junit: join(dir, "cause.xml"),
      html: join(dir, "cause.html"),
    };
    const result = await run([
      "run",
      "--base-url",
      target.url,
      "--client-id",
      target.clientId,
      "--client-secret",
      target.clientSecret,
      "--reporter",
      "console",
      ...Object.entries(files).flatMap(([reporter, file]) => [
        "--reporter",
        reporter,
        "--output",
        file,
      ]),
    ]);
    expect(result.code).toBe(1);
    const cause = "POST /api/connections answers 500 (a server error)";
    const report = JSON.parse(readFileSync(files.json, "utf8"));
    expect(report.causes[0].summary).toBe(cause);
    // One cause explains the failures of many checks, and comes with one reproduction.
    expect(report.causes[0].checks.length).toBeGreaterThan(3);
    expect(report.causes[0].curl).toMatch(/^curl .* -X POST /);
    const console = result.stdout.slice(result.stdout.indexOf("Root causes"));
    expect(console.indexOf(`✗ ${cause}: explains`)).toBeGreaterThan(0);
    expect(console.indexOf(cause)).toBeLessThan(console.indexOf("Failures"));
    const html = readFileSync(files.html, "utf8");
    expect(html.indexOf(`<strong>${cause}</strong>`)).toBeGreaterThan(0);
    expect(html.indexOf('<section id="causes">')).toBeLessThan(
      html.indexOf('<section id="summary">'),
    );
    expect(readFileSync(files.junit, "utf8")).toContain(
      `<property name="root cause 1" value="${cause}: explains`,
    );
  });

  it("writes JUnit XML and JSON reports whose counts agree, next to the console", async () => {
    const fault = faults.find((f) => f.name === "list-status-string");
    const target = await serverBehind(fault ?? {});
    const junitFile = join(dir, "report.xml");
    const jsonFile = join(dir, "report.json");
    const result = await run([
      "run",
      "--base-url",
      target.url,
      "--client-id",
      target.clientId,
      "--client-secret",
      target.clientSecret,
      "--reporter",
      "console",
      "--reporter",
      "junit",
      "--output",
      junitFile,
      "--reporter",
      "json",
      "--output",
      jsonFile,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ lifecycle\.adfs /m);
    expect(result.stdout).toMatch(/^ {2}rule: {5}response\.schema$/m);

    const report = JSON.parse(readFileSync(jsonFile, "utf8"));
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(
      catalog.filter((c) => c.profile === "core").map((c) => c.id),
    );
    expect(report.coverage).toHaveLength(9);
    expect(report.requests).toBeGreaterThan(100);

    const xml = readFileSync(junitFile, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(
      /<property name="exercised POST \/api\/connections" value="200×\d+ 201×\d+ 400×\d+ /,
    );
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const root = parsed.testsuites;
    expect(Number(root.tests)).toBe(report.summary.total);
    expect(Number(root.failures)).toBe(report.summary.failed);
    expect(Number(root.skipped)).toBe(report.summary.skipped);
    const suites = Array.isArray(root.testsuite) ? root.testsuite : [root.testsuite];
    const cases = suites.flatMap((s: { testcase: unknown }) =>
      Array.isArray(s.testcase) ? s.testcase : [s.testcase],
    );
    expect(cases).toHaveLength(report.summary.total);
    expect(suites.reduce((n: number, s: { failures: string }) => n + Number(s.failures), 0)).toBe(
      report.summary.failed,
    );
    const failing = cases.find((c: { name: string }) => c.name === "lifecycle.adfs");
    expect(failing.failure["#text"]).toMatch(/Rule: response\.schema\n/);
    expect(failing.failure["#text"]).toMatch(/Reproduce: curl /);
    expect(failing.failure.type).toBe("lifecycle.adfs");
  });

  it("sends the one stdout report to stdout and the console to stderr", async () => {
    const target = await serverBehind({});
    const result = await run(
      ["run", "--base-url", target.url, "--only", "users.list", "--reporter", "console,junit"],
      { MGMTKIT_CLIENT_ID: target.clientId, MGMTKIT_CLIENT_SECRET: target.clientSecret },
    );
    expect(result.code).toBe(0);
    expect(XMLValidator.validate(result.stdout)).toBe(true);
    expect(result.stderr).toMatch(/^✓ users\.list /m);
  });
});

describe("secrets", () => {
  it("never appear in any report, even when the server echoes them back", async () => {
    const issued: string[] = [];
    const target = await serverBehind({
      response: (req, res) => {
        if (req.url.pathname === "/oauth/token") {
          const token = JSON.parse(res.body).access_token;
          if (token) issued.push(token);
          // Echo the request, client_secret included, into every token answer.
          return answer(res.status, {
            ...JSON.parse(res.body),
            echo: { body: req.body, url: req.url.toString() },
          });
        }
        // And the token into every /api answer, success or not.
        const echo = { authorization: req.headers.authorization ?? null, url: req.url.toString() };
        return res.status < 300 && req.method === "GET"
          ? { ...res, body: res.body.replace(/^\[/, `[${JSON.stringify({ echo })},`) }
          : answer(500, {
              statusCode: 500,
              error: "Internal Server Error",
              message: JSON.stringify(echo),
            });
      },
    });
    const junitFile = join(dir, "secrets.xml");
    const jsonFile = join(dir, "secrets.json");
    const result = await run(
      [
        "run",
        "--profile",
        "strict",
        "--reporter",
        "console,junit,json",
        "--output",
        junitFile,
        "--output",
        jsonFile,
      ],
      {
        MGMTKIT_BASE_URL: target.url,
        MGMTKIT_CLIENT_ID: target.clientId,
        MGMTKIT_CLIENT_SECRET: target.clientSecret,
      },
    );
    expect(result.code).toBe(1);
    expect(issued.length).toBeGreaterThan(2);
    const everything = [
      result.stdout,
      result.stderr,
      readFileSync(junitFile, "utf8"),
      readFileSync(jsonFile, "utf8"),
    ].join("\n");
    expect(everything).toContain("$MGMTKIT_TOKEN");
    expect(everything).not.toContain(target.clientSecret);
    for (const token of issued) expect(everything).not.toContain(token);
  });
});
