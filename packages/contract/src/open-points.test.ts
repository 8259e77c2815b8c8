import { describe, expect, it } from "vitest";
import { checks } from "./checks/index.js";
import { openPoints } from "./open-points.js";
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
    }
  });

  it("name only checks and validators that exist", () => {
    const unknown = openPoints.flatMap((p) => p.checks.filter((c) => !matches(c)));
    expect(unknown).toEqual([]);
  });
});
