import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outsideEnv } from "./support/outside-env.js";
import { type LocalRegistry, startRegistry } from "./support/registry.js";
import { run, runOk } from "./support/run.js";
import { diskUsage, formatBytes, installFootprint } from "./support/sizes.js";
import { type PackageJson, pnpm, selectedPackages, workspaceRoot } from "./support/workspace.js";

const packages = selectedPackages();
const has = (name: string) => packages.some((pkg) => pkg.name === name);
const clientId = "release-test";
// A fresh secret per run; it is redacted from every failure message below.
const clientSecret = randomBytes(18).toString("base64url");
const redact = (text: string) => text.replaceAll(clientSecret, "<client-secret>");

let work: string;
let app: string;
let registry: LocalRegistry | undefined;
let server: ChildProcess | undefined;
let serverUrl: string | undefined;
let sizeReport: string | undefined;
const timings: [string, number][] = [];
const started = performance.now();

async function timed<T>(step: string, action: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await action();
  } finally {
    timings.push([step, (performance.now() - start) / 1000]);
  }
}

/** Runs a command in the install folder as a stranger would; failures carry its output. */
async function inApp(command: string, args: string[], timeoutMs = 120_000) {
  const result = await run(command, args, { cwd: app, env: outsideEnv(), timeoutMs });
  if (result.code !== 0) {
    throw new Error(
      redact(
        `${command} ${args.join(" ")} exited ${result.code ?? result.signal}\n` +
          `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
      ),
    );
  }
  return result;
}

beforeAll(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), "mgmtkit-release-")));
  expect(work.startsWith(workspaceRoot), "the install folder must be outside the workspace").toBe(
    false,
  );
  registry = await startRegistry(join(work, "registry"));
  const registryUrl = registry.url;

  // Always an explicit --registry: pnpm 12 ignores npm_config_registry in the environment (which
  // is how `changeset publish` would steer it), so nothing else may decide where this goes.
  expect(registryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await timed("publish", () =>
    runOk(
      pnpm,
      [
        "-r",
        "publish",
        "--no-git-checks",
        "--registry",
        registryUrl,
        ...packages.flatMap((pkg) => ["--filter", pkg.name]),
      ],
      { cwd: workspaceRoot },
    ),
  );

  app = join(work, "app");
  await mkdir(app);
  await writeFile(
    join(app, "package.json"),
    `${JSON.stringify({ name: "release-test-app", private: true }, null, 2)}\n`,
  );
  // Only the @mgmtkit scope comes from the local registry; everything else from the default one.
  await writeFile(join(app, ".npmrc"), `@mgmtkit:registry=${registryUrl}\n`);
  await timed("npm install", () =>
    inApp(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-online",
        "--loglevel=error",
        ...packages.map((pkg) => `${pkg.name}@${pkg.manifest.version}`),
      ],
      540_000,
    ),
  );
  // Measured before any test adds tools of its own to the folder.
  sizeReport = await measureSizes();
}, 600_000);

afterAll(async () => {
  if (server?.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  await registry?.close();
  if (sizeReport) console.log(sizeReport);
  timings.push(["total", (performance.now() - started) / 1000]);
  console.log(timings.map(([step, seconds]) => `${step}: ${seconds.toFixed(1)} s`).join("\n"));
  if (work) await rm(work, { recursive: true, force: true });
});

async function measureSizes(): Promise<string> {
  const storage = join(work, "registry", "storage");
  const rows: string[] = [];
  for (const pkg of packages) {
    const [scope, short] = pkg.name.split("/") as [string, string];
    const tarballs = (await readdir(join(storage, scope, short))).filter((f) => f.endsWith(".tgz"));
    const packed = tarballs.length
      ? (await stat(join(storage, scope, short, tarballs[0] as string))).size
      : 0;
    const unpacked = diskUsage(join(app, "node_modules", pkg.name));
    const { bytes, packages: count } = installFootprint(app, pkg.name);
    rows.push(
      `${pkg.name}: packed ${formatBytes(packed)}, on disk ${formatBytes(unpacked)}, ` +
        `installed with dependencies ${formatBytes(bytes)} (${count} packages)`,
    );
  }
  rows.push(`whole install folder: ${formatBytes(diskUsage(join(app, "node_modules"), false))}`);
  return rows.join("\n");
}

describe("the published packages, installed from a registry into an empty folder", () => {
  it.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s is the published tarball, not a link into the workspace",
    async (name, pkg) => {
      const installed = await realpath(join(app, "node_modules", name));
      expect(installed.startsWith(app)).toBe(true);
      const manifest = JSON.parse(
        await readFile(join(installed, "package.json"), "utf8"),
      ) as PackageJson;
      expect(manifest.version).toBe(pkg.manifest.version);
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
        expect(range, `${name} depends on ${dep}`).not.toMatch(/^workspace:/);
      }
    },
  );

  it.runIf(has("@mgmtkit/spec"))("@mgmtkit/spec loads with import and with require", async () => {
    const imported = await inApp(process.execPath, [
      "--input-type=module",
      "-e",
      `import { spec, openapiSchemaKeywords } from "@mgmtkit/spec";
       import { createRequire } from "node:module";
       const yaml = createRequire(import.meta.url).resolve("@mgmtkit/spec/openapi.yaml");
       console.log(JSON.stringify([spec.openapi, Object.keys(spec.paths).length, openapiSchemaKeywords.length, yaml]));`,
    ]);
    const [version, paths, keywords, yamlPath] = JSON.parse(imported.stdout) as [
      string,
      number,
      number,
      string,
    ];
    expect(version).toBe("3.1.0");
    expect(paths).toBeGreaterThan(0);
    expect(keywords).toBeGreaterThan(0);
    expect(yamlPath.startsWith(join(app, "node_modules"))).toBe(true);

    const required = await inApp(process.execPath, [
      "-e",
      `const { spec } = require("@mgmtkit/spec"); console.log(spec.openapi);`,
    ]);
    expect(required.stdout.trim()).toBe("3.1.0");
  });

  it.runIf(has("@mgmtkit/reference-server"))(
    "npx mgmtkit-server starts and announces its URL",
    async () => {
      const child = spawn(
        "npx",
        [
          "--no",
          "--",
          "mgmtkit-server",
          "--host",
          "127.0.0.1",
          "--port",
          "0",
          "--db",
          ":memory:",
          "--client-id",
          clientId,
          "--client-secret",
          clientSecret,
        ],
        { cwd: app, env: outsideEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true },
      );
      server = child;
      serverUrl = await new Promise<string>((resolve, reject) => {
        let output = "";
        const timer = setTimeout(
          () =>
            reject(new Error(`mgmtkit-server announced no URL within 60 s:\n${redact(output)}`)),
          60_000,
        );
        const collect = (chunk: Buffer) => {
          output += chunk.toString("utf8");
          const match = /mgmtkit-server listening on (\S+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`mgmtkit-server exited ${code} before listening:\n${redact(output)}`));
        });
      });
      expect(serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    },
  );

  it.runIf(has("@mgmtkit/reference-server") && has("@mgmtkit/contract"))(
    "npx mgmtkit-contract run passes against it",
    async () => {
      expect(serverUrl, "the server test must have started it").toBeDefined();
      const result = await timed("contract run", () =>
        inApp("npx", [
          "--no",
          "--",
          "mgmtkit-contract",
          "run",
          "--base-url",
          serverUrl as string,
          "--client-id",
          clientId,
          "--client-secret",
          clientSecret,
        ]),
      );
      expect(result.stdout).not.toContain(clientSecret);
    },
  );

  it.runIf(has("@mgmtkit/contract"))(
    "npx mgmtkit-contract run without --base-url exits 2 with one sentence saying how to give a server",
    async () => {
      const result = await run("npx", ["--no", "--", "mgmtkit-contract", "run"], {
        cwd: app,
        env: outsideEnv(),
        timeoutMs: 60_000,
      });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/--base-url/);
    },
  );

  const sdkScript = (load: string) => `${load}
    const client = createManagementClient({ baseUrl: process.env.BASE_URL, clientId: process.env.CLIENT_ID, clientSecret: process.env.CLIENT_SECRET });
    const connections = await client.connections.list();
    let missing;
    try { await client.connections.get("release-test-absent"); } catch (error) { missing = error instanceof ApiError ? error.status : String(error); }
    console.log(JSON.stringify({ connections: connections.length, missing }));`;

  it.runIf(has("@mgmtkit/sdk") && has("@mgmtkit/reference-server")).each([
    [
      "import",
      [
        "--input-type=module",
        "-e",
        sdkScript(`import { createManagementClient, ApiError } from "@mgmtkit/sdk";`),
      ],
    ],
    [
      "require",
      [
        "-e",
        `(async () => { ${sdkScript(`const { createManagementClient, ApiError } = require("@mgmtkit/sdk");`)} })().catch((error) => { console.error(error); process.exit(1); });`,
      ],
    ],
  ] as const)("@mgmtkit/sdk loads with %s and talks to the installed server", async (_, args) => {
    expect(serverUrl, "the server test must have started it").toBeDefined();
    const result = await run(process.execPath, [...args], {
      cwd: app,
      env: {
        ...outsideEnv(),
        BASE_URL: serverUrl,
        CLIENT_ID: clientId,
        CLIENT_SECRET: clientSecret,
      },
      timeoutMs: 60_000,
    });
    expect(redact(result.stderr)).toBe("");
    const answer = JSON.parse(result.stdout) as { connections: number; missing: unknown };
    expect(answer.connections).toBeGreaterThan(0);
    expect(answer.missing).toBe(404);
  });

  it.runIf(
    ["@mgmtkit/spec", "@mgmtkit/sdk", "@mgmtkit/contract", "@mgmtkit/reference-server"].every(has),
  )("a TypeScript consumer type-checks against the published declarations", async () => {
    // The workspace's own TypeScript and Node types, so the check moves with the workspace.
    const root = JSON.parse(await readFile(join(workspaceRoot, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    await timed("consumer type check", async () => {
      await inApp("npm", [
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `typescript@${root.devDependencies.typescript}`,
        `@types/node@${root.devDependencies["@types/node"]}`,
      ]);
      await writeFile(
        join(app, "consumer.mts"),
        `import { openapiSchemaKeywords, spec } from "@mgmtkit/spec";
import { ApiError, createManagementClient } from "@mgmtkit/sdk";
import { catalog, runSuite } from "@mgmtkit/contract";
import { startServer } from "@mgmtkit/reference-server";

const server = await startServer({ port: 0, db: ":memory:" });
const url: string = server.url;
const client = createManagementClient({ baseUrl: url, clientId: "id", clientSecret: "secret" });
const names: string[] = (await client.connections.list()).map((connection) => connection.name);
const failed = (error: unknown): number | undefined => error instanceof ApiError ? error.status : undefined;
console.log(spec, openapiSchemaKeywords, names, failed, catalog, runSuite);
await server.close();
`,
      );
      // Every declaration file is checked (no skipLibCheck): a published type that leans on a
      // devDependency fails here.
      await writeFile(
        join(app, "tsconfig.json"),
        `${JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ["node"],
          },
          files: ["consumer.mts"],
        })}\n`,
      );
      await inApp("npx", ["--no", "--", "tsc", "-p", "."]);
    });
  });
});
