import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureRepos, write } from "./support/fixture-repo.js";
import { type PackageJson, publicPackages, workspaceRoot } from "./support/workspace.js";

const fixtures = fixtureRepos();
afterAll(() => fixtures.remove());

const publicDirs = publicPackages().map((pkg) => pkg.dir.slice(workspaceRoot.length + 1));
const privateDirs = ["apps/docs", "bench", ".ci/release-test"];
const manifest = (repo: string, dir: string) =>
  JSON.parse(readFileSync(join(repo, dir, "package.json"), "utf8")) as PackageJson;
const changesetBin = join(workspaceRoot, "node_modules/@changesets/cli/bin.js");

function bump(version: string, type: "patch" | "minor"): string {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  return type === "patch" ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
}

describe("changeset version with this workspace's configuration", () => {
  it("keeps the four public packages on one version", () => {
    const versions = new Set(publicDirs.map((dir) => manifest(workspaceRoot, dir).version));
    expect([...versions]).toHaveLength(1);
    expect(publicDirs).toHaveLength(4);
  });

  it.each([
    ["patch", "@mgmtkit/sdk"],
    ["minor", "@mgmtkit/spec"],
  ] as const)("a %s changeset for %s releases all four under the next version", (type, name) => {
    const repo = fixtures.create();
    const before = manifest(repo, "spec").version;
    write(
      repo,
      ".changeset/one-change.md",
      `---\n"${name}": ${type}\n---\n\nA user-facing sentence.\n`,
    );
    execFileSync(process.execPath, [changesetBin, "version"], { cwd: repo, stdio: "pipe" });

    for (const dir of publicDirs) {
      const after = manifest(repo, dir);
      expect(after.version, after.name).toBe(bump(before, type));
      const changelog = readFileSync(join(repo, dir, "CHANGELOG.md"), "utf8");
      expect(changelog).toMatch(new RegExp(`^# ${after.name}\\n\\n## ${bump(before, type)}\\n`));
      if (after.name === name) expect(changelog).toContain("A user-facing sentence.");
      // pnpm publish turns workspace:* into the released version, so dependents stay in step.
      for (const range of Object.values(after.dependencies ?? {}).filter((r) =>
        r.startsWith("workspace:"),
      )) {
        expect(range).toBe("workspace:*");
      }
    }
    for (const dir of privateDirs) {
      expect(manifest(repo, dir).version).toBe(manifest(workspaceRoot, dir).version);
      expect(existsSync(join(repo, dir, "CHANGELOG.md"))).toBe(false);
    }
    expect(existsSync(join(repo, ".changeset/one-change.md"))).toBe(false);
  });
});
