import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * The pnpm that runs this test (a native executable that `pnpm run` names in npm_execpath), so a
 * machine with pnpm only through `npx pnpm@…` works too.
 */
export const pnpm =
  process.env.npm_execpath && basename(process.env.npm_execpath).startsWith("pnpm")
    ? process.env.npm_execpath
    : "pnpm";

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  files?: string[];
  engines?: Record<string, string>;
  exports?: Record<string, unknown> | string;
  bin?: Record<string, string> | string;
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: PackageJson;
}

/** Every workspace package that is not private: what a release publishes. */
export function publicPackages(): WorkspacePackage[] {
  const listed = JSON.parse(
    execFileSync(pnpm, ["ls", "-r", "--depth", "-1", "--json"], {
      cwd: workspaceRoot,
      encoding: "utf8",
    }),
  ) as { name: string; path: string; private: boolean }[];
  return listed
    .filter((entry) => !entry.private)
    .map((entry) => ({
      name: entry.name,
      dir: entry.path,
      manifest: JSON.parse(readFileSync(join(entry.path, "package.json"), "utf8")) as PackageJson,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The public packages this run covers: all of them, or the comma-separated names in
 * RELEASE_TEST_PACKAGES (to try the release of packages that exist before the others do).
 */
export function selectedPackages(): WorkspacePackage[] {
  const all = publicPackages();
  const wanted = process.env.RELEASE_TEST_PACKAGES?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (!wanted?.length) return all;
  const unknown = wanted.filter((name) => !all.some((pkg) => pkg.name === name));
  if (unknown.length) {
    throw new Error(`RELEASE_TEST_PACKAGES names no public package: ${unknown.join(", ")}`);
  }
  return all.filter((pkg) => wanted.includes(pkg.name));
}
