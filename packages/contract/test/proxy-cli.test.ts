import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, type Result, run } from "./harness/cli.js";

let dir: string;
let target: { url: string; close(): Promise<void> };
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mgmtkit-proxy-cli-"));
  const server = http.createServer((req, res) => {
    // A list with an answer the spec does not allow, everything else a refusal.
    if (req.url === "/api/connections") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"not":"a list"}');
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"statusCode":404,"error":"Not Found","message":"none"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  target = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

afterAll(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

async function busyPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Starts the proxy and waits for the line that says where it listens. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, "proxy", ...args], {
    env: { ...cleanEnv(), ...env, NO_COLOR: "1" },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<Result>((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  const output = () => stdout + stderr;
  const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const found = output().match(pattern);
      if (found) return found;
      const ended = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 20)),
      ]);
      if (ended) {
        const last = output().match(pattern);
        if (last) return last;
        throw new Error(`the proxy ended without printing ${pattern}:\n${output()}`);
      }
    }
  };
  return { child, exited, waitFor };
}

describe("mgmtkit-contract proxy", () => {
  it.each<[string, string[], RegExp]>([
    ["no target", [], /^mgmtkit-contract: Give the server to forward to with --target URL/],
    ["a target that is not a URL", ["--target", "nowhere"], /--target "nowhere" is not a URL\./],
    [
      "a target of another scheme",
      ["--target", "ftp://x"],
      /--target must be an http or https URL, not ftp:\./,
    ],
    [
      "a port that is not a number",
      ["--target", "http://x", "--port", "http"],
      /--port must be a whole number from 0 to 65535, not "http"\./,
    ],
    [
      "a port out of range",
      ["--target", "http://x", "--port", "70000"],
      /--port must be a whole number from 0 to 65535, not 70000\./,
    ],
    [
      "a duration that is not a number",
      ["--target", "http://x", "--duration", "soon"],
      /--duration must be a positive number of seconds/,
    ],
    [
      "a zero duration",
      ["--target", "http://x", "--duration", "0"],
      /--duration must be a positive number of seconds/,
    ],
    [
      "a body cap that is not a number",
      ["--target", "http://x", "--max-body-bytes", "1MB"],
      /--max-body-bytes must be a whole number of bytes/,
    ],
    [
      "a rule that does not exist",
      ["--target", "http://x", "--skip", "request.nope"],
      /--skip request\.nope matches no check/,
    ],
    [
      "a reporter that does not exist",
      ["--target", "http://x", "--reporter", "pdf"],
      /--reporter must be console, json, junit or html/,
    ],
    [
      "an output without a file reporter",
      ["--target", "http://x", "--output", "x.json"],
      /--output needs a json, junit or html reporter/,
    ],
  ])("exits 2 on %s, with one sentence on stderr", async (_name, args, message) => {
    const result = await run(["proxy", ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });

  it("exits 2 when the port is taken", async () => {
    const busy = await busyPort();
    try {
      const result = await run(["proxy", "--target", target.url, "--port", String(busy.port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `mgmtkit-contract: Cannot listen on 127.0.0.1:${busy.port}: the address is in use.\n`,
      );
    } finally {
      await busy.close();
    }
  });

  it("prints each violation as it happens and, on Ctrl-C, writes every report and exits 1", async () => {
    const files = {
      json: join(dir, "proxy.json"),
      html: join(dir, "proxy.html"),
      junit: join(dir, "proxy.xml"),
    };
    const proxy = startCli([
      "--target",
      target.url,
      "--reporter",
      "console,json,html,junit",
      "--output",
      `${files.json},${files.html},${files.junit}`,
    ]);
    const [, url] = await proxy.waitFor(
      /^mgmtkit-contract proxy: forwarding (http:\/\/127\.0\.0\.1:\d+) to /m,
    );
    const answer = await fetch(`${url}/api/connections`, {
      headers: { authorization: "bearer a-secret-token-value" },
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('{"not":"a list"}');
    const [line] = await proxy.waitFor(/^✗ listConnections .*$/m);
    expect(line).toMatch(
      /^✗ listConnections \(GET \/api\/connections\) response\.schema: The server answered 200 with a body that breaks the schema: the body must be array\. Reproduce: curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/api\/connections' -H "authorization: bearer \$MGMTKIT_TOKEN" /,
    );
    proxy.child.kill("SIGINT");
    const result = await proxy.exited;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^FAIL \d+ passed, 1 failed, \d+ skipped of \d+ rules; 1 exchanges/m,
    );
    expect(result.stdout + result.stderr).not.toContain("a-secret-token-value");

    const json = JSON.parse(readFileSync(files.json, "utf8"));
    expect(json.traffic).toMatchObject({ exchanges: 1, incomplete: 0, unvalidatedBodies: 0 });
    expect(json.checks.find((c: { id: string }) => c.id === "response.schema").status).toBe(
      "failed",
    );
    expect(readFileSync(files.html, "utf8")).toContain("mgmtkit-contract proxy: FAIL");
    const junit = readFileSync(files.junit, "utf8");
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toMatch(/<testcase [^>]*name="response\.schema"[^>]*>\s*<failure /);
    for (const text of [JSON.stringify(json), readFileSync(files.html, "utf8"), junit]) {
      expect(text).not.toContain("a-secret-token-value");
    }
  });

  it("stops after --duration, read from the environment with the other settings, and exits 0 on clean traffic", async () => {
    const file = join(dir, "quiet.json");
    const proxy = startCli([], {
      MGMTKIT_PROXY_TARGET: target.url,
      MGMTKIT_PROXY_DURATION: "0.5",
      MGMTKIT_PROXY_HOST: "127.0.0.1",
      MGMTKIT_PROXY_PORT: "0",
      MGMTKIT_PROFILE: "strict",
      MGMTKIT_REPORTER: "json",
      MGMTKIT_OUTPUT: file,
      MGMTKIT_TIMEOUT_MS: "1000",
      MGMTKIT_PROXY_MAX_BODY_BYTES: "10",
    });
    await proxy.waitFor(
      /forwarding http:\/\/127\.0\.0\.1:\d+ to .* \(strict profile\); stopping after 0\.5 s/,
    );
    const result = await proxy.exited;
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(file, "utf8"));
    expect(report).toMatchObject({ profile: "strict", requests: 0, traffic: { maxBodyBytes: 10 } });
    expect(report.summary.failed).toBe(0);
  });
});
