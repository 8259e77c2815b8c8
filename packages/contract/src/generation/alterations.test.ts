import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Alteration, alter, alterations } from "./alterations.js";

/** What bash makes of each expression, with the variable holding the real value (one shell). */
function shell(expressions: string[], value: string): string[] {
  const script = expressions.map((e) => `printf '%s\\037' "${e}"`).join("; ");
  return execFileSync("bash", ["-c", script], {
    env: { PATH: process.env.PATH ?? "", MGMTKIT_CLIENT_SECRET: value },
    encoding: "utf8",
  })
    .split("\u001f")
    .slice(0, -1);
}

const every = fc.sample(alterations, { seed: 5, numRuns: 200 });
const kinds = [...new Map(every.map((a) => [JSON.stringify(a), a])).values()];

describe("alter", () => {
  it("draws every kind of alteration", () => {
    expect(new Set(kinds.map((a) => a.kind)).size).toBe(10);
  });

  it.each(["s3cr3t-Value_x", "ABC123def", "0123456789"])(
    "never gives back %s itself, and its expression rebuilds the altered value in bash",
    (value) => {
      const altered = kinds.map((a) => alter(value, a, "MGMTKIT_CLIENT_SECRET"));
      for (const one of altered) expect(one.value).not.toBe(value);
      expect(
        shell(
          altered.map((a) => a.expression),
          value,
        ),
      ).toEqual(altered.map((a) => a.value));
    },
  );

  it("falls back to a character added when the alteration changes nothing", () => {
    const upper: Alteration = { kind: "upper" };
    expect(alter("ABC", upper, "V").value).toBe("ABCx");
  });
});
