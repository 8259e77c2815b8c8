import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { pnpm, workspaceRoot } from "./workspace.js";

export const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

export function write(repo: string, file: string, text: string) {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), text);
}

export function commitAll(repo: string, message: string) {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
}

/** Every workspace package's folder, relative to the root, read once. */
const packageDirs = (
  JSON.parse(
    execFileSync(pnpm, ["ls", "-r", "--depth", "-1", "--json"], {
      cwd: workspaceRoot,
      encoding: "utf8",
    }),
  ) as { path: string }[]
)
  .map((entry) => relative(workspaceRoot, entry.path))
  .filter(Boolean);

/**
 * Throwaway git repositories shaped like this workspace: its pnpm-workspace.yaml, its
 * .changeset/config.json and every package's real package.json and CHANGELOG.md (no pending
 * changesets), one
 * commit on main, and the workspace's node_modules linked in for the changesets CLI's plugins.
 */
export function fixtureRepos() {
  const scratch = mkdtempSync(join(tmpdir(), "mgmtkit-fixture-"));
  let count = 0;
  return {
    scratch,
    create(): string {
      const repo = join(scratch, `repo-${++count}`);
      mkdirSync(repo);
      git(repo, "init", "-q", "-b", "main");
      git(repo, "config", "user.email", "fixture@example.invalid");
      git(repo, "config", "user.name", "fixture");
      git(repo, "config", "commit.gpgsign", "false");
      write(repo, ".gitignore", "node_modules\n");
      symlinkSync(join(workspaceRoot, "node_modules"), join(repo, "node_modules"));
      for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) {
        cpSync(join(workspaceRoot, file), join(repo, file));
      }
      for (const dir of packageDirs) {
        cpSync(join(workspaceRoot, dir, "package.json"), join(repo, dir, "package.json"));
        if (existsSync(join(workspaceRoot, dir, "CHANGELOG.md"))) {
          cpSync(join(workspaceRoot, dir, "CHANGELOG.md"), join(repo, dir, "CHANGELOG.md"));
        }
        write(repo, `${dir}/src/index.js`, "export const value = 1;\n");
      }
      commitAll(repo, "initial");
      return repo;
    },
    remove() {
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
