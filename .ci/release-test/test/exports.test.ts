import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, runOk } from "./support/run.js";
import { formatBytes } from "./support/sizes.js";
import { type PackageJson, pnpm, selectedPackages, workspaceRoot } from "./support/workspace.js";

const packages = selectedPackages();
const packDir = mkdtempSync(join(tmpdir(), "mgmtkit-pack-"));
afterAll(() => rmSync(packDir, { recursive: true, force: true }));
const bin = (name: string) => join(import.meta.dirname, "../node_modules/.bin", name);

/** Every conditions object in an exports map, depth first. */
function conditionObjects(value: unknown): Record<string, unknown>[] {
  if (!value || typeof value !== "object") return [];
  const nested = Object.values(value).flatMap(conditionObjects);
  const isConditions = Object.keys(value).every((key) => !key.startsWith("."));
  return isConditions ? [value as Record<string, unknown>, ...nested] : nested;
}

function targets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!value || typeof value !== "object") return [];
  return Object.values(value).flatMap(targets);
}

/** Subpaths that lead to modules; data files such as openapi.yaml are not for TypeScript to type. */
function moduleEntrypoints(manifest: PackageJson): string[] {
  const exportsMap = typeof manifest.exports === "object" ? manifest.exports : {};
  return Object.entries(exportsMap)
    .filter(([, target]) => targets(target).some((file) => /\.[cm]?js$/.test(file)))
    .map(([subpath]) => subpath);
}

/** CommonJS consumers are held to every resolution mode only where the package ships CommonJS. */
function attwProfile(manifest: PackageJson): "strict" | "esm-only" {
  return conditionObjects(manifest.exports).some((conditions) => "require" in conditions)
    ? "strict"
    : "esm-only";
}

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))("%s", (name, pkg) => {
  const { manifest, dir } = pkg;
  // The tarball pnpm publishes (workspace: ranges replaced), packed outside the package folder so
  // that nothing else packing the same package at the same time collides with it.
  let tarball: string;
  let packed: string[];

  beforeAll(async () => {
    const { stdout } = await runOk(pnpm, ["pack", "--pack-destination", packDir, "--json"], {
      cwd: dir,
    });
    const result = JSON.parse(stdout) as { filename: string; files: { path: string }[] };
    tarball = result.filename;
    packed = result.files.map((file) => file.path);
    console.log(`${name}: packed ${formatBytes(statSync(tarball).size)}, ${packed.length} files`);
  });

  it("has the metadata a published package needs", () => {
    expect(manifest.type).toBe("module");
    expect(manifest.license).toBe("MIT");
    expect(manifest.files).toContain("dist");
    expect(manifest.engines?.node).toMatch(/^>=\s*\d+/);
    expect(manifest.publishConfig?.access).toBe("public");
    expect(manifest.repository?.directory).toBe(relative(workspaceRoot, dir));
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
  });

  it("has an exports map with types first and ./package.json", () => {
    expect(manifest.exports, `${name} has no exports map`).toBeTypeOf("object");
    const exportsMap = manifest.exports as Record<string, unknown>;
    expect(exportsMap["./package.json"]).toBe("./package.json");
    expect(moduleEntrypoints(manifest)).toContain(".");
    const withTypes = conditionObjects(exportsMap["."]).filter((c) => "types" in c);
    expect(withTypes.length, `${name}'s "." export has no types condition`).toBeGreaterThan(0);
    for (const conditions of conditionObjects(exportsMap)) {
      if ("types" in conditions) expect(Object.keys(conditions)[0]).toBe("types");
    }
  });

  it("packs its README, LICENSE and every exported and bin file", () => {
    expect(packed).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE"]));
    const bins =
      typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
    for (const file of [...targets(manifest.exports), ...bins]) {
      expect(packed, `${name} exports ${file}`).toContain(file.replace(/^\.\//, ""));
    }
  });

  it("has a README, a LICENSE and a CHANGELOG", () => {
    const readme = join(dir, "README.md");
    expect(existsSync(readme), `${name} has no README.md`).toBe(true);
    expect(readFileSync(readme, "utf8")).toMatch(/npm install/);
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(
      readFileSync(join(workspaceRoot, "LICENSE"), "utf8"),
    );
    // Changesets appends each release's entry under this heading.
    expect(readFileSync(join(dir, "CHANGELOG.md"), "utf8")).toMatch(new RegExp(`^# ${name}\\n`));
  });

  it("passes publint --strict", async () => {
    const result = await run(bin("publint"), ["run", tarball, "--strict"], { cwd: packDir });
    expect(result.stdout + result.stderr).toMatch(/All good/);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it(`passes attw (profile ${attwProfile(manifest)})`, async () => {
    const result = await run(
      bin("attw"),
      [
        tarball,
        "--profile",
        attwProfile(manifest),
        "--entrypoints",
        ...moduleEntrypoints(manifest),
        "--format",
        "table-flipped",
        "--no-color",
      ],
      { cwd: packDir },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});
