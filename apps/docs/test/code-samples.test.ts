import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServer } from "@mgmtkit/reference-server";
import { spec } from "@mgmtkit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsOf, sampleBaseName, withCodeSamples } from "../scripts/code-samples.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const samplesDir = join(root, "samples");
// The samples script walks a plain document (it adds x-codeSamples to a copy of it).
const document = spec as unknown as Parameters<typeof operationsOf>[0];
const operations = operationsOf(document);

describe("code samples", () => {
  it("give every operation of the spec a curl and a TypeScript sample", () => {
    const withSamples = withCodeSamples(document, samplesDir);
    expect(operations).toHaveLength(9);
    for (const { operation } of operationsOf(withSamples)) {
      const samples = operation["x-codeSamples"];
      expect(samples.map((s: { lang: string }) => s.lang)).toEqual(["curl", "TypeScript"]);
      const base = sampleBaseName(operation.operationId);
      expect(samples[0].source).toBe(
        readFileSync(join(samplesDir, `${base}.curl.sh`), "utf8").trimEnd(),
      );
      expect(samples[1].source).toBe(
        readFileSync(join(samplesDir, `${base}.ts`), "utf8").trimEnd(),
      );
    }
  });

  it("are in the built reference exactly as in samples/", () => {
    const built = JSON.parse(readFileSync(join(root, "dist", "openapi.json"), "utf8"));
    expect(operationsOf(built).map(({ operation }) => operation["x-codeSamples"])).toEqual(
      operationsOf(withCodeSamples(document, samplesDir)).map(
        ({ operation }) => operation["x-codeSamples"],
      ),
    );
  });

  it.each([
    [
      "a missing sample",
      { remove: "list-users.ts", add: undefined, want: /samples\/list-users\.ts is missing/ },
    ],
    [
      "a sample of no operation",
      {
        remove: undefined,
        add: "list-groups.curl.sh",
        want: /samples\/list-groups\.curl\.sh belongs to no operation/,
      },
    ],
    [
      "an empty sample",
      { remove: undefined, add: "list-users.ts", want: /samples\/list-users\.ts is empty/ },
    ],
  ])("refuse %s", (_, { remove, add, want }) => {
    const dir = mkdtempSync(join(tmpdir(), "docs-samples-"));
    try {
      for (const { operation } of operations) {
        for (const suffix of [".curl.sh", ".ts"]) {
          const file = `${sampleBaseName(operation.operationId)}${suffix}`;
          if (file !== remove) writeFileSync(join(dir, file), "curl https://YOUR_NAMESPACE\n");
        }
      }
      if (add) writeFileSync(join(dir, add), "");
      expect(() => withCodeSamples(document, dir)).toThrow(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("show the token in the header and in the query on every /api call, as the document does", () => {
    for (const { path, operation } of operations) {
      const curl = readFileSync(
        join(samplesDir, `${sampleBaseName(operation.operationId)}.curl.sh`),
        "utf8",
      );
      const url = path.replace("{connectionName}", "fabrikam-office365");
      expect(curl).toContain(`https://YOUR_NAMESPACE${url}`);
      if (path.startsWith("/api/")) {
        expect(curl).toContain('--header "Authorization: bearer YOUR_ACCESS_TOKEN"');
        expect(curl).toMatch(/[?&]access_token=YOUR_ACCESS_TOKEN"/);
      } else {
        expect(curl).toContain("client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET");
      }
    }
  });

  it("type-check against the built @mgmtkit/sdk", () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.samples.json"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("curl samples, run against the reference server", () => {
  const clientId = "docs-client";
  const clientSecret = "docs-secret";
  let server: Awaited<ReturnType<typeof startServer>>;
  let token: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        authorization: `bearer ${token}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
    });

  /** Every sample starts from the same tenant: fabrikam-office365 exists, fabrikam-google-apps not. */
  async function resetTenant() {
    const removed = await api("/api/connections/fabrikam-google-apps", { method: "DELETE" });
    expect([200, 404]).toContain(removed.status);
    if ((await api("/api/connections/fabrikam-office365")).status === 404) {
      const created = await api("/api/connections", {
        method: "POST",
        body: JSON.stringify({
          name: "fabrikam-office365",
          status: 0,
          strategy: "office365",
          options: {
            client_id: "o365-id",
            client_secret: "o365-secret",
            tenant_domain: "fabrikam.onmicrosoft.com",
          },
        }),
      });
      expect(created.ok).toBe(true);
    }
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, db: ":memory:", clientId, clientSecret, seed: false });
    const response = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        grant_type: "client_credentials",
      }),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await server?.close();
  });

  const commands = operations.flatMap(({ method, operation }) =>
    readFileSync(join(samplesDir, `${sampleBaseName(operation.operationId)}.curl.sh`), "utf8")
      .split(/\n\s*\n/)
      .map((block) =>
        block
          .split("\n")
          .filter((line) => !line.startsWith("#"))
          .join("\n")
          .trim(),
      )
      .filter((command) => command !== "")
      .map((command, index) => ({
        name: `${operation.operationId} #${index + 1}`,
        command,
        documented: Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status)),
        method,
      })),
  );

  it.each(commands)("$name answers a documented success", async ({ command, documented }) => {
    await resetTenant();
    const runnable = command
      .replaceAll("https://YOUR_NAMESPACE", server.url)
      .replaceAll("YOUR_CLIENT_ID", clientId)
      .replaceAll("YOUR_CLIENT_SECRET", clientSecret)
      .replaceAll("YOUR_ACCESS_TOKEN", token);
    // The status code goes on a line of its own after the body.
    const wrapper = `curl() { command curl --silent --show-error --write-out '\\n%{http_code}' "$@"; }\n`;
    // Asynchronously: the server answers from this very process.
    const result = await promisify(execFile)("bash", ["-c", wrapper + runnable], {
      timeout: 10_000,
    });
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    const status = lines.pop();
    expect(documented).toContain(status);
    expect(() => JSON.parse(lines.join("\n"))).not.toThrow();
  });
});
