import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaticServer } from "../scripts/serve.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

/** A request with its path sent exactly as written, which fetch would normalise. */
function rawGet(url: string, path: string, method = "GET") {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request(`${url}/`, { path, method }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          type: String(response.headers["content-type"]),
          body,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the static server", () => {
  let site: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    site = await startStaticServer({ root: dist });
  });
  afterAll(async () => {
    await site?.close();
  });

  it.each([
    ["the reference at /", { path: "/", status: 200, type: "text/html; charset=utf-8" }],
    [
      "a guide",
      { path: "/guides/quick-start.html", status: 200, type: "text/html; charset=utf-8" },
    ],
    [
      "the spec copy",
      { path: "/openapi.json", status: 200, type: "application/json; charset=utf-8" },
    ],
    ["an asset", { path: "/assets/redocly-logo-full.svg", status: 200, type: "image/svg+xml" }],
    ["a missing file", { path: "/nothing.html", status: 404, type: "text/plain; charset=utf-8" }],
    [
      "a path out of the root",
      { path: "/../package.json", status: 404, type: "text/plain; charset=utf-8" },
    ],
    [
      "an encoded path out of the root",
      { path: "/%2e%2e/package.json", status: 404, type: "text/plain; charset=utf-8" },
    ],
    ["a malformed path", { path: "/%E0%A4%A", status: 400, type: "text/plain; charset=utf-8" }],
  ])("serves %s", async (_, { path, status, type }) => {
    const response = await rawGet(site.url, path);
    expect(response.status).toBe(status);
    expect(response.type).toBe(type);
  });

  it("refuses methods other than GET and HEAD", async () => {
    expect((await rawGet(site.url, "/", "POST")).status).toBe(405);
    const head = await rawGet(site.url, "/", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });
});

describe("pnpm run serve", () => {
  function run(args: string[]) {
    const child = spawn(process.execPath, ["scripts/serve.mjs", ...args], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  it("serves dist on localhost until stopped", async () => {
    const { child, exited, output } = run(["--port", "0"]);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const match = /docs served on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output().stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.on("exit", () => reject(new Error(`serve exited early: ${output().stderr}`)));
    });
    const response = await fetch(`${url}/index.html`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<title>Management API reference</title>");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it.each([
    ["a port that is not a number", ["--port", "eighty"], /--port must be a port number/],
    ["an unknown flag", ["--colour"], /Unknown option '--colour'/],
    ["a folder without a built site", ["--dir", root], /holds no built site/],
  ])("exits 2 with one sentence for %s", async (_, args, message) => {
    const { exited, output } = run(args);
    expect(await exited).toBe(2);
    expect(output().stderr).toMatch(message);
    expect(output().stderr.trim().split("\n")).toHaveLength(1);
  });
});
