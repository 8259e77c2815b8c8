import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";

/** Disk usage of a folder as `du` counts it (allocated blocks), without its node_modules. */
export function diskUsage(dir: string, skipNodeModules = true): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    bytes += lstatSync(path).blocks * 512;
    if (entry.isDirectory()) bytes += diskUsage(path, false);
  }
  return bytes;
}

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * What installing `name` alone costs on disk: the package and every package it pulls in, found by
 * walking npm's package-lock.json of an install in `appDir` the way Node resolves them.
 */
export function installFootprint(
  appDir: string,
  name: string,
): { bytes: number; packages: number } {
  const lock = JSON.parse(readFileSync(join(appDir, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const locate = (from: string, dep: string): string | undefined => {
    let base = from;
    for (;;) {
      const candidate = posix.join(base, "node_modules", dep);
      if (lock.packages[candidate]) return candidate;
      if (base === "") return undefined;
      const cut = base.lastIndexOf("node_modules/");
      base = cut <= 0 ? "" : base.slice(0, cut - 1);
    }
  };
  const seen = new Set<string>();
  const visit = (location: string): void => {
    if (seen.has(location)) return;
    seen.add(location);
    const entry = lock.packages[location] ?? {};
    const deps = {
      ...entry.peerDependencies,
      ...entry.optionalDependencies,
      ...entry.dependencies,
    };
    for (const dep of Object.keys(deps)) {
      const found = locate(location, dep);
      if (found) visit(found);
    }
  };
  const start = locate("", name);
  if (!start) throw new Error(`${name} is not in ${appDir}/package-lock.json`);
  visit(start);
  let bytes = 0;
  for (const location of seen) bytes += diskUsage(join(appDir, location));
  return { bytes, packages: seen.size };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
