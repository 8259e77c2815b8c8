import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { catalog, validatorCatalog } from "../src/index.js";
import { run } from "./harness/cli.js";

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("mgmtkit-contract run", () => {
  it.each([
    ["an unknown flag", ["run", "--bogus"], /unknown option/],
    ["a profile that does not exist", ["run", "--profile", "lenient"], /--profile/],
    [
      "a check id that does not exist",
      ["run", "--only", "auth.nope"],
      /--only auth\.nope matches no check/,
    ],
    [
      "a base URL without credentials",
      ["run", "--base-url", "http://127.0.0.1:9"],
      /client credentials/,
    ],
    [
      "half of the client credentials",
      ["run", "--base-url", "http://127.0.0.1:9", "--client-id", "x"],
      /both --client-id and --client-secret/,
    ],
    ["a timeout that is not a number", ["run", "--timeout-ms", "soon"], /--timeout-ms/],
    ["a reporter that does not exist", ["run", "--reporter", "xml"], /--reporter/],
    [
      "a validator in --only",
      ["run", "--only", "response.schema"],
      /--only response\.schema matches no check/,
    ],
    [
      "an output without a file reporter",
      ["run", "--base-url", "http://127.0.0.1:9", "--output", "report.xml"],
      /--output needs/,
    ],
    [
      "an output in a missing folder",
      ["run", "--reporter", "junit", "--output", "/nonexistent/dir/report.xml"],
      /not a writable directory/,
    ],
    [
      "no server to judge",
      ["run", "--client-id", "a", "--client-secret", "b"],
      /^mgmtkit-contract: Give the server to judge with --base-url URL .*`npx mgmtkit-server`/,
    ],
    ["a token without a base URL", ["run", "--token", "abc"], /--base-url/],
  ])("exits 2 on %s, with one sentence on stderr", async (_name, args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });

  it("exits 0 on --help and 2 without a command", async () => {
    expect((await run(["run", "--help"])).code).toBe(0);
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/Usage: mgmtkit-contract/);
  });

  it("exits 2 when the server cannot be reached", async () => {
    const port = await closedPort();
    const result = await run([
      "run",
      "--base-url",
      `http://127.0.0.1:${port}`,
      "--client-id",
      "a",
      "--client-secret",
      "b",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^mgmtkit-contract: Cannot reach http:\/\/127\.0\.0\.1:\d+: the server refused the connection\.\n$/,
    );
  });
});

describe("mgmtkit-contract list", () => {
  it("prints the catalog as JSON: the checks, then the response validators", async () => {
    const result = await run(["list", "--format", "json"]);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout);
    expect(entries).toEqual([
      ...catalog.map((c) => ({ ...c, kind: "check" })),
      ...validatorCatalog.map((c) => ({ ...c, kind: "validator" })),
    ]);
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual([
        "id",
        "kind",
        "profile",
        "requirement",
        "source",
        "title",
      ]);
      expect(entry.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(entry.source).toMatch(/"[^"]+" \(|spec|RFC/);
    }
    expect(new Set(entries.map((e: { id: string }) => e.id)).size).toBe(entries.length);
  });

  it("prints a table by default", async () => {
    const result = await run(["list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID +PROFILE/);
    expect(result.stdout).toContain("negative.missing-fields");
    expect(result.stdout).toMatch(/^response\.schema +core /m);
    expect(result.stdout).toContain(
      `${catalog.length} checks, ${validatorCatalog.length} response validators.`,
    );
  });
});
