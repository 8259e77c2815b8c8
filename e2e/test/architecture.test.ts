import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findViolations, specifiersOf } from "./dependency-direction.js";

const repository = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Known violations, each to be removed by the change that fixes it; an entry that no longer
 * matches anything fails the test, so the list only shrinks.
 */
const pending: Array<{ file: string; target: string; why: string }> = [];

const isPending = (v: { file: string; target: string }) =>
  pending.some((p) => p.file === v.file && p.target === v.target);

describe("the repository", () => {
  it("has no dependency or import against spec → sdk / contract / reference-server → docs, bench, release-test, e2e", () => {
    const violations = findViolations(repository);
    expect(violations.filter((v) => !isPending(v)).map((v) => v.message)).toEqual([]);
    const stale = pending.filter(
      (p) => !violations.some((v) => v.file === p.file && v.target === p.target),
    );
    expect(
      stale.map((p) => `${p.file} → ${p.target} is fixed: delete its entry from \`pending\``),
    ).toEqual([]);
  });
});

// A small workspace shaped like this one, in which each case plants one thing.
const manifests: Record<string, string> = {
  "tooling/chromium": "@mgmtkit/chromium",
  spec: "@mgmtkit/spec",
  "packages/sdk": "@mgmtkit/sdk",
  "packages/contract": "@mgmtkit/contract",
  "packages/reference-server": "@mgmtkit/reference-server",
  "apps/docs": "docs",
  bench: "@mgmtkit/bench",
  ".ci/release-test": "@mgmtkit/release-test",
  e2e: "@mgmtkit/e2e",
};

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function workspace(
  plant: {
    files?: Record<string, string>;
    deps?: Record<string, Record<string, Record<string, string>>>;
    extraPackages?: readonly string[];
  } = {},
): string {
  scratch = mkdtempSync(join(tmpdir(), "mgmtkit-architecture-"));
  const root = scratch;
  writeFileSync(
    join(root, "pnpm-workspace.yaml"),
    "packages:\n  - spec\n  - packages/*\n  - apps/*\n  - bench\n  - .ci/release-test\n  - tooling/*\n  - e2e\n",
  );
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [dir, name] of Object.entries(manifests)) {
    write(`${dir}/package.json`, JSON.stringify({ name, ...plant.deps?.[dir] }));
    write(`${dir}/src/index.ts`, "export const ok = true;\n");
  }
  for (const dir of plant.extraPackages ?? []) {
    write(`${dir}/package.json`, JSON.stringify({ name: `@mgmtkit/${dir.split("/").pop()}` }));
  }
  for (const [path, text] of Object.entries(plant.files ?? {})) write(path, text);
  return root;
}

// Assembled here so that this file's own imports stay what they are.
const q = (name: string) => `"@mgmtkit/${name}"`;

describe("the dependency-direction check", () => {
  it("finds nothing where every arrow points downstream", () => {
    const root = workspace({
      files: {
        "packages/contract/src/spec.ts": `import { spec } from ${q("spec")};\nimport model from ${q("spec/model")};\n`,
        "e2e/test/x.test.ts": `import { runSuite } from ${q("contract")};\nimport { startServer } from ${q("reference-server")};\n`,
        "packages/reference-server/test/self.test.ts": `import { startServer } from ${q("reference-server")};\n`,
        "bench/x.bench.mjs": `const { runSuite } = await import(${q("contract")});\n`,
      },
      deps: {
        e2e: { dependencies: { "@mgmtkit/contract": "workspace:*" } },
        "packages/sdk": { dependencies: { "@mgmtkit/spec": "workspace:*", ajv: "8.20.0" } },
      },
    });
    expect(findViolations(root)).toEqual([]);
  });

  it.each([
    [
      "a static import of the server in the suite's source",
      {
        files: {
          "packages/contract/src/runner.ts": `import { startServer } from ${q("reference-server")};\n`,
        },
      },
      /packages\/contract\/src\/runner\.ts \(@mgmtkit\/contract\) imports @mgmtkit\/reference-server: a package of the same layer/,
    ],
    [
      "a dynamic import, typed with typeof import()",
      {
        files: {
          "packages/contract/src/runner.ts": `let s: typeof import(${q("reference-server")}).startServer;\n({ startServer: s } = await import(${q("reference-server")}));\n`,
        },
      },
      /imports @mgmtkit\/reference-server/,
    ],
    [
      "a require() from the spec's tests",
      { files: { "spec/test/x.test.cjs": `const sdk = require(${q("sdk")});\n` } },
      /spec\/test\/x\.test\.cjs \(@mgmtkit\/spec\) imports @mgmtkit\/sdk: a later layer/,
    ],
    [
      "a subpath of a later package",
      { files: { "spec/scripts/x.mjs": `export * from ${q("contract/package.json")};\n` } },
      /imports @mgmtkit\/contract\/package\.json: a later layer/,
    ],
    [
      "an optional dependency of the suite on the server",
      {
        deps: {
          "packages/contract": {
            optionalDependencies: { "@mgmtkit/reference-server": "workspace:*" },
          },
        },
      },
      /@mgmtkit\/contract lists @mgmtkit\/reference-server in optionalDependencies/,
    ],
    [
      "a dev dependency between two packages of the last layer",
      { deps: { bench: { devDependencies: { "@mgmtkit/e2e": "workspace:*" } } } },
      /@mgmtkit\/bench lists @mgmtkit\/e2e in devDependencies: a package of the same layer/,
    ],
    [
      "a relative import of another package's source",
      {
        files: {
          "packages/sdk/test/x.test.ts": `import { buildApp } from "../../reference-server/src/app.js";\n`,
        },
      },
      /packages\/sdk\/test\/x\.test\.ts imports \.\.\/\.\.\/reference-server\/src\/app\.js, a file of @mgmtkit\/reference-server/,
    ],
    [
      "test tooling that depends on the spec",
      { deps: { "tooling/chromium": { dependencies: { "@mgmtkit/spec": "workspace:*" } } } },
      /@mgmtkit\/chromium lists @mgmtkit\/spec in dependencies: a later layer/,
    ],
    [
      "a workspace package the picture does not place",
      { extraPackages: ["packages/cache"] },
      /@mgmtkit\/cache is a workspace package outside the data-flow picture/,
    ],
  ] as const)("fails on %s", (_name, plant, want) => {
    const messages = findViolations(workspace(plant)).map((v) => v.message);
    expect(messages).toHaveLength(1);
    expect(messages.join("\n")).toMatch(want);
  });

  it.each([
    ['import { a } from "x";', ["x"]],
    ['export * from "./y.js";', ["./y.js"]],
    ['import "z";', ["z"]],
    ["const m = await import('w');", ["w"]],
    ['type T = typeof import("t").T;', ["t"]],
    ['const r = require("r"); require.resolve("s/package.json");', ["r", "s/package.json"]],
    ['import.meta.resolve("u");', ["u"]],
  ])("reads the specifiers of %s", (source, want) => {
    expect(specifiersOf(source).sort()).toEqual([...want].sort());
  });
});
