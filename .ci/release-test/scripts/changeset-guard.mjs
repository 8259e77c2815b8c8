#!/usr/bin/env node
// Refuses a branch that changes a published package without a changeset: runs `changeset status`
// against the base branch. Where there is nothing to compare against (no git, a shallow or
// single-branch clone, HEAD on the base branch itself) it says so and passes.
//
// Base: $CHANGESET_BASE_REF, else origin/$GITHUB_BASE_REF, else origin/<baseBranch>, else
// <baseBranch> (baseBranch from .changeset/config.json).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const changesetBin = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../node_modules/@changesets/cli/bin.js",
);

function git(args, cwd) {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

function skip(reason) {
  console.log(`changeset guard skipped: ${reason}.`);
  process.exit(0);
}

const root = git(["rev-parse", "--show-toplevel"], process.cwd());
if (!root) skip("not inside a git checkout");
if (git(["rev-parse", "--is-shallow-repository"], root) === "true") {
  skip("shallow clone, so the history to compare against is missing");
}

const { baseBranch = "main" } = JSON.parse(
  readFileSync(join(root, ".changeset/config.json"), "utf8"),
);
const candidates = process.env.CHANGESET_BASE_REF
  ? [process.env.CHANGESET_BASE_REF]
  : [
      ...(process.env.GITHUB_BASE_REF ? [`origin/${process.env.GITHUB_BASE_REF}`] : []),
      `origin/${baseBranch}`,
      baseBranch,
    ];
const base = candidates.find((ref) =>
  git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root),
);
if (!base) skip(`no base branch to compare against (tried ${candidates.join(", ")})`);

const head = git(["rev-parse", "HEAD"], root);
const mergeBase = git(["merge-base", base, "HEAD"], root);
if (!mergeBase) skip(`HEAD shares no history with ${base}`);
if (mergeBase === head) skip(`HEAD is already part of ${base}, so there is no change to check`);

const status = spawnSync(process.execPath, [changesetBin, "status", `--since=${base}`], {
  cwd: root,
  encoding: "utf8",
});
if (status.status !== 0) {
  process.stderr.write(status.stdout + status.stderr);
  console.error(
    `changeset guard: this branch changes a published package since ${base} without a changeset; run \`pnpm changeset\` (or \`pnpm changeset --empty\` when no release is needed).`,
  );
  process.exit(1);
}
console.log(
  `changeset guard: passed; the published packages changed since ${base} come with a changeset.`,
);
