import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { commitAll, fixtureRepos, git, write } from "./support/fixture-repo.js";
import { run } from "./support/run.js";

const guard = join(dirname(fileURLToPath(import.meta.url)), "../scripts/changeset-guard.mjs");
const fixtures = fixtureRepos();
afterAll(() => fixtures.remove());
const fixtureRepo = () => fixtures.create();
let folders = 0;

const changeset = (pkg: string) => `---\n"${pkg}": patch\n---\n\nFix a thing.\n`;
const runGuard = (cwd: string, env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [guard], {
    cwd,
    env: { ...process.env, CHANGESET_BASE_REF: "", GITHUB_BASE_REF: "", ...env },
    timeoutMs: 60_000,
  });

describe("changeset guard on a branch off main", () => {
  it.each<[string, { given: Record<string, string>; want: { code: number; says: RegExp } }]>([
    [
      "a published package changed without a changeset",
      {
        given: { "packages/sdk/src/index.js": "export const value = 2;\n" },
        want: { code: 1, says: /without a changeset/ },
      },
    ],
    [
      "a published package changed with a changeset",
      {
        given: {
          "packages/sdk/src/index.js": "export const value = 2;\n",
          ".changeset/fix-sdk.md": changeset("@mgmtkit/sdk"),
        },
        want: { code: 0, says: /passed/ },
      },
    ],
    [
      "an empty changeset for a change that needs no release",
      {
        given: {
          "packages/reference-server/src/index.js": "export const value = 2;\n",
          ".changeset/no-release.md": "---\n---\n\nInternal refactor.\n",
        },
        want: { code: 0, says: /passed/ },
      },
    ],
    [
      "only a published package's tests changed",
      { given: { "spec/test/spec.test.ts": "// more cases\n" }, want: { code: 0, says: /passed/ } },
    ],
    [
      "only private packages changed",
      {
        given: {
          "apps/docs/src/index.js": "export const value = 2;\n",
          "bench/src/index.js": "export const value = 2;\n",
          ".ci/release-test/src/index.js": "export const value = 2;\n",
        },
        want: { code: 0, says: /passed/ },
      },
    ],
  ])("%s", async (_, { given, want }) => {
    const repo = fixtureRepo();
    git(repo, "checkout", "-q", "-b", "feature");
    for (const [file, text] of Object.entries(given)) write(repo, file, text);
    commitAll(repo, "change");
    const result = await runGuard(join(repo, ".ci/release-test"));
    expect(result.stdout + result.stderr).toMatch(want.says);
    expect(result.code).toBe(want.code);
  });

  it("compares against CHANGESET_BASE_REF when given", async () => {
    const repo = fixtureRepo();
    git(repo, "checkout", "-q", "-b", "release");
    git(repo, "checkout", "-q", "-b", "feature");
    write(repo, "spec/src/index.js", "export const value = 2;\n");
    commitAll(repo, "change");
    const result = await runGuard(repo, { CHANGESET_BASE_REF: "release" });
    expect(result.stderr).toMatch(/since release without a changeset/);
    expect(result.code).toBe(1);
  });
});

describe("changeset guard where there is nothing to compare", () => {
  it.each<[string, { given: (repo: string) => string; want: RegExp }]>([
    [
      "HEAD on main itself, even with a change in the work tree",
      {
        given: (repo) => {
          write(repo, "packages/sdk/src/index.js", "export const value = 2;\n");
          return repo;
        },
        want: /skipped: HEAD is already part of main/,
      },
    ],
    [
      "a shallow clone",
      {
        given: (repo) => {
          git(repo, "checkout", "-q", "-b", "feature");
          write(repo, "packages/sdk/src/index.js", "export const value = 2;\n");
          commitAll(repo, "change");
          const clone = `${repo}-shallow`;
          git(
            fixtures.scratch,
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "feature",
            `file://${repo}`,
            clone,
          );
          return clone;
        },
        want: /skipped: shallow clone/,
      },
    ],
    [
      "a single-branch history without main",
      {
        given: (repo) => {
          git(repo, "branch", "-m", "main", "trunk");
          return repo;
        },
        want: /skipped: no base branch to compare against/,
      },
    ],
    [
      "no git checkout at all",
      {
        given: () => {
          const folder = join(fixtures.scratch, `plain-${++folders}`);
          mkdirSync(folder);
          return folder;
        },
        want: /skipped: not inside a git checkout/,
      },
    ],
  ])("%s", async (_, { given, want }) => {
    const result = await runGuard(given(fixtureRepo()));
    expect(result.stdout).toMatch(want);
    expect(result.code).toBe(0);
  });
});
