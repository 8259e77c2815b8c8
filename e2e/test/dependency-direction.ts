import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parse } from "yaml";

/**
 * The data-flow picture of the README, as layers: a workspace package may depend on, and import,
 * only packages of an earlier layer (and itself). spec → sdk / contract / reference-server →
 * docs, bench, release-test, e2e; under everything, the test tooling, which depends on no
 * package of the workspace and which any may use.
 */
export const layers: ReadonlyArray<readonly string[]> = [
  ["@mgmtkit/chromium"],
  ["@mgmtkit/spec"],
  ["@mgmtkit/sdk", "@mgmtkit/contract", "@mgmtkit/reference-server"],
  ["docs", "@mgmtkit/bench", "@mgmtkit/release-test", "@mgmtkit/e2e"],
];

/** One dependency or import against the arrows. */
export interface Violation {
  /** The manifest or source file, relative to the repository root, with `/` separators. */
  file: string;
  /** The workspace package it reaches. */
  target: string;
  /** The whole finding, in one line. */
  message: string;
}

interface WorkspacePackage {
  name: string;
  /** Absolute folder. */
  dir: string;
  manifest: Record<string, unknown>;
}

const DEPENDENCY_FIELDS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".turbo", "coverage"]);

/**
 * Every module specifier a file names: static imports and re-exports, side-effect imports,
 * dynamic `import()` (also in `typeof import()`), `require()`, `require.resolve()` and
 * `import.meta.resolve()`.
 */
const SPECIFIER_PATTERNS = [
  /\bfrom\s*["']([^"'\n]+)["']/g,
  /\bimport\s*["']([^"'\n]+)["']/g,
  /\bimport\s*\(\s*["']([^"'\n]+)["']/g,
  /\brequire(?:\.resolve)?\s*\(\s*["']([^"'\n]+)["']/g,
  /\bimport\.meta\.resolve\s*\(\s*["']([^"'\n]+)["']/g,
];

export function specifiersOf(source: string): string[] {
  const found = new Set<string>();
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  return [...found];
}

/** `@mgmtkit/spec/model` → `@mgmtkit/spec`; `yaml` → `yaml`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** The workspace packages `pnpm-workspace.yaml` lists (`dir` or `dir/*` entries). */
function workspacePackages(root: string): WorkspacePackage[] {
  const config = parse(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")) as {
    packages?: string[];
  };
  const dirs: string[] = [];
  for (const entry of config.packages ?? []) {
    if (entry.startsWith("!")) continue;
    if (entry.endsWith("/*")) {
      const parent = join(root, entry.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const child of readdirSync(parent, { withFileTypes: true })) {
        if (child.isDirectory()) dirs.push(join(parent, child.name));
      }
    } else if (!entry.includes("*")) {
      dirs.push(join(root, entry));
    } else {
      throw new Error(`pnpm-workspace.yaml: the entry ${entry} is not "dir" or "dir/*".`);
    }
  }
  return dirs
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { name: String(manifest.name), dir, manifest };
    });
}

function sourceFiles(dir: string, nested: Set<string>): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !nested.has(path))
        files.push(...sourceFiles(path, nested));
    } else if (SOURCE_FILE.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** Every dependency and import in the workspace at `root` that points against the arrows. */
export function findViolations(root: string): Violation[] {
  const packages = workspacePackages(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const layerOf = new Map(layers.flatMap((names, index) => names.map((n) => [n, index] as const)));
  const violations: Violation[] = [];
  const where = (path: string) => relative(root, path).split(sep).join("/");

  const allowed = (from: string, to: string) => {
    const a = layerOf.get(from);
    const b = layerOf.get(to);
    return from === to || (a !== undefined && b !== undefined && b < a);
  };
  const arrow = (from: string, to: string) => {
    const a = layerOf.get(from);
    const b = layerOf.get(to);
    return b === a
      ? "a package of the same layer"
      : `a later layer (${to} is in layer ${b}, ${from} in layer ${a})`;
  };

  for (const pkg of packages) {
    if (!layerOf.has(pkg.name)) {
      violations.push({
        file: where(join(pkg.dir, "package.json")),
        target: pkg.name,
        message: `${pkg.name} is a workspace package outside the data-flow picture; place it in a layer of dependency-direction.ts and in the README.`,
      });
      continue;
    }
    for (const field of DEPENDENCY_FIELDS) {
      const deps = (pkg.manifest[field] ?? {}) as Record<string, string>;
      for (const dep of Object.keys(deps)) {
        if (!byName.has(dep) || allowed(pkg.name, dep)) continue;
        violations.push({
          file: where(join(pkg.dir, "package.json")),
          target: dep,
          message: `${pkg.name} lists ${dep} in ${field}: ${arrow(pkg.name, dep)}.`,
        });
      }
    }
    const nested = new Set(packages.filter((p) => p !== pkg).map((p) => p.dir));
    for (const file of sourceFiles(pkg.dir, nested)) {
      const source = readFileSync(file, "utf8");
      for (const specifier of specifiersOf(source)) {
        if (specifier.startsWith(".")) {
          // A relative path into another package reads its internals.
          const target = resolve(dirname(file), specifier);
          const owner = packages.find(
            (p) => p !== pkg && (target === p.dir || target.startsWith(p.dir + sep)),
          );
          if (owner && !(target === pkg.dir || target.startsWith(pkg.dir + sep))) {
            violations.push({
              file: where(file),
              target: owner.name,
              message: `${where(file)} imports ${specifier}, a file of ${owner.name}: import the package by its name, never its internals.`,
            });
          }
          continue;
        }
        const target = packageOf(specifier);
        if (!byName.has(target) || allowed(pkg.name, target)) continue;
        violations.push({
          file: where(file),
          target,
          message: `${where(file)} (${pkg.name}) imports ${specifier}: ${arrow(pkg.name, target)}.`,
        });
      }
    }
  }
  return violations;
}
