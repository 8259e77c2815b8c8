import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServer } from "@mgmtkit/reference-server";
import { spec } from "@mgmtkit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exampleSamples,
  operationsOf,
  requestExamples,
  sampleBaseName,
  withCodeSamples,
} from "../scripts/code-samples.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const samplesDir = join(root, "samples");
// The samples script walks a plain document (it adds x-codeSamples to a copy of it).
const document = spec as unknown as Parameters<typeof operationsOf>[0];
const operations = operationsOf(document);
/** The samples of every request example but the first (which samples/ holds), by operation. */
const variants = (() => {
  const withSamples = withCodeSamples(document, samplesDir);
  const byOperation = exampleSamples(withSamples);
  return operationsOf(withSamples).flatMap(({ path, method, operation }) =>
    requestExamples(withSamples, operation)
      .slice(1)
      .map((example) => ({
        operationId: operation.operationId as string,
        example: example.key,
        method,
        responses: operation.responses as Record<string, unknown>,
        samples: byOperation[`${method.toUpperCase()} ${path}`]?.[example.summary] ?? {},
      })),
  );
})();

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

  it("follow each request example with one sample per example", () => {
    expect(variants.map((v) => `${v.operationId} ${v.example}`)).toEqual([
      "createConnection googleApps",
      "createConnection office365",
      "createConnection adfs",
      "createConnection googleOAuth2",
      "createConnection windowsLive",
      "updateConnection office365",
    ]);
    for (const { samples } of variants) {
      expect(Object.keys(samples)).toEqual(["curl", "TypeScript (@mgmtkit/sdk)"]);
    }
  });

  it("type-check against the built @mgmtkit/sdk, those of every request example too", () => {
    // The samples of the other examples are written beside samples/ and checked with them.
    const out = join(root, "test-output", "example-samples");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const { operationId, example, samples } of variants) {
      writeFileSync(
        join(out, `${sampleBaseName(operationId)}.${example}.ts`),
        `${samples["TypeScript (@mgmtkit/sdk)"]}\n`,
      );
    }
    writeFileSync(
      join(out, "tsconfig.json"),
      JSON.stringify({
        extends: "../../tsconfig.samples.json",
        include: ["../../samples/*.ts", "../../guides/code/*.ts", "./*.ts"],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], {
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

  /** Every sample starts from the same tenant: fabrikam-office365 exists, the other examples' names not. */
  async function resetTenant() {
    for (const name of createdNames) {
      const removed = await api(`/api/connections/${name}`, { method: "DELETE" });
      expect([200, 404]).toContain(removed.status);
    }
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

  /** The names the create samples take, each example's. */
  const createdNames = operations
    .filter(({ operation }) => operation.operationId === "createConnection")
    .flatMap(({ operation }) => requestExamples(document, operation))
    .map((example) => (example.value as { name: string }).name)
    .filter((name) => name !== "fabrikam-office365");

  const scripts = [
    ...operations.map(({ method, operation }) => ({
      name: operation.operationId as string,
      method,
      responses: operation.responses as Record<string, unknown>,
      source: readFileSync(
        join(samplesDir, `${sampleBaseName(operation.operationId)}.curl.sh`),
        "utf8",
      ),
    })),
    ...variants.map(({ operationId, example, method, responses, samples }) => ({
      name: `${operationId} (${example})`,
      method,
      responses,
      source: samples.curl ?? "",
    })),
  ];

  const commands = scripts.flatMap(({ name, method, responses, source }) =>
    source
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
        name: `${name} #${index + 1}`,
        command,
        documented: Object.keys(responses).filter((status) => /^2\d\d$/.test(status)),
        method,
      })),
  );

  it.each(commands)(
    "$name answers a documented success",
    async ({ command, documented, method }) => {
      await resetTenant();
      // A create of the name the tenant holds (the Office 365 example) finds it free.
      const creates = method === "post" && /\/api\/connections[ "?]/.test(command);
      const name = creates ? /"name": "([^"]+)"/.exec(command)?.[1] : undefined;
      if (name) await api(`/api/connections/${name}`, { method: "DELETE" });
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
    },
  );
});
