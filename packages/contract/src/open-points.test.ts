import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { operations } from "@mgmtkit/spec/model";
import { describe, expect, it } from "vitest";
import { checks } from "./checks/index.js";
import { inProfile, openPoints, point, refusalsFor } from "./open-points.js";
import { responseValidators } from "./validators.js";

const ids = [...checks, ...responseValidators].map((c) => c.id);
const matches = (pattern: string) =>
  pattern.endsWith(".*")
    ? ids.some((id) => id.startsWith(pattern.slice(0, -1)))
    : ids.includes(pattern);

describe("the open points", () => {
  it("have unique ids and say what core accepts and what strict requires", () => {
    expect(new Set(openPoints.map((p) => p.id)).size).toBe(openPoints.length);
    for (const point of openPoints) {
      expect(point.id).toMatch(/^[a-z-]+\.[a-z-]+$/);
      expect(point.core.length, point.id).toBeGreaterThan(5);
      expect(point.strict.length, point.id).toBeGreaterThan(5);
      expect(Object.keys(point.readings).sort(), point.id).toEqual(["core", "strict"]);
      expect(point.under("core"), point.id).toBe(point.readings.core);
      expect(point.under("strict"), point.id).toBe(point.readings.strict);
    }
  });

  it("name only checks and validators that exist", () => {
    const unknown = openPoints.flatMap((p) => p.checks.filter((c) => !matches(c)));
    expect(unknown).toEqual([]);
  });

  it("of requests are those the spec marks (x-open-point), and the spec marks no other", () => {
    const marked = new Set(operations.flatMap((op) => op.openPoints.map((p) => p.point)));
    expect([...marked].filter((id) => !openPoints.some((p) => p.id === id))).toEqual([]);
    expect(
      openPoints.filter((p) => p.side === "request" && !marked.has(p.id)).map((p) => p.id),
    ).toEqual([]);
    expect(
      openPoints.filter((p) => p.side === "response" && marked.has(p.id)).map((p) => p.id),
    ).toEqual([]);
  });

  it("hold the two readings the issue of option values and repeated parameters asks for", () => {
    const values = point("create.option-values");
    expect(values.under("core").otherType).toEqual({ answer: "either", showsAsSent: true });
    expect(values.under("core").nullValue.answer).toBe("either");
    expect(values.under("strict").otherType.answer).toBe("refuse");
    const repeated = point("token.repeated-parameters");
    expect(repeated.under("core").answer).toBe("either");
    expect(repeated.under("strict")).toMatchObject({
      answer: "refuse",
      refusals: [400],
      error: "invalid_request",
    });
  });

  it.each([
    ["core", "core", true],
    ["core", "strict", false],
    ["strict", "core", true],
    ["strict", "strict", true],
  ] as const)("under %s, a %s check runs: %s", (profile, member, runs) => {
    expect(inProfile(profile, member)).toBe(runs);
  });

  it("take any 4xx as a refusal under core, the documented status under strict", () => {
    expect(refusalsFor("core", [401])).toEqual(["4xx"]);
    expect(refusalsFor("strict", [401])).toEqual([401]);
  });
});

/** Where a module tells the profiles apart by itself instead of asking an open point. */
const BRANCHES = [
  /\bprofile\s*[!=]==?/,
  /[!=]==?\s*\w*\.?profile\b/,
  /["'](?:core|strict)["']\s*[!=]==?/,
  /[!=]==?\s*["'](?:core|strict)["']/,
  /\bcase\s+["'](?:core|strict)["']/,
  /\bswitch\s*\(\s*[\w.]*profile\s*\)/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the profile", () => {
  const root = fileURLToPath(new URL(".", import.meta.url));

  it("is told apart only by the open points: no other module branches on it", () => {
    const found = sources(root)
      .filter((file) => relative(root, file) !== "open-points.ts")
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .flatMap((line, index) =>
            BRANCHES.some((pattern) => pattern.test(line))
              ? [`${relative(root, file)}:${index + 1}: ${line.trim()}`]
              : [],
          ),
      );
    expect(found).toEqual([]);
  });

  it("scan finds a branch where there is one", () => {
    const lines = [
      'const chars = profile === "strict" ? a : b;',
      "if (ctx.profile !== 'core') return;",
      'const x = "strict" === options.profile;',
      'case "core":',
      "switch (run.profile) {",
    ];
    for (const line of lines)
      expect(
        BRANCHES.some((p) => p.test(line)),
        line,
      ).toBe(true);
    for (const line of ["profile: Profile;", 'profile: "core",', "point(id).under(profile)"]) {
      expect(
        BRANCHES.some((p) => p.test(line)),
        line,
      ).toBe(false);
    }
  });
});
