import { getOperation, operations } from "@mgmtkit/spec/model";
import { describe, expect, it } from "vitest";
import type { Draft } from "./draft.js";
import { familiesOf } from "./families.js";
import { classesOf, planCases } from "./plan.js";
import { ODD_PART_BUDGET, wireClasses } from "./wire-class.js";

/** Seeds of every kind: small, large, negative (the e2e `seeds` script judges faults under ten). */
const SEEDS = [1, 2, 3, 4, 2 ** 31 - 1, -42];
const options = (seed: number, profile: "core" | "strict", maxExamples = 2) => ({
  seed,
  profile,
  maxExamples,
  namePrefix: "mgmtkit-contract-abc123-",
});

const draft = (change: Partial<Draft>): Draft => ({
  method: "POST",
  path: "/api/connections",
  query: [],
  auth: { kind: "header", scheme: "bearer" },
  headers: {},
  creates: [],
  ...change,
});

describe("wireClasses", () => {
  it("tells a JSON array body from an object, and a field's type from another", () => {
    const json = (value: unknown) =>
      wireClasses(draft({ body: { contentType: "application/json", json: value } }));
    expect(json([{ name: "x" }]).has("json:array")).toBe(true);
    expect(json({ name: "x" }).has("json:array")).toBe(false);
    expect(json({ name: 1 }).has("name:integer")).toBe(true);
    expect(json({ name: "x" }).has("status:absent")).toBe(true);
    expect(json({ name: "x", options: { a: null } }).has("option-value:null")).toBe(true);
  });

  it("tells where the token goes and how the body is sent", () => {
    expect(
      wireClasses(draft({ auth: { kind: "repeated", places: "header-and-query" } })),
    ).toContain("auth:repeated/header-and-query");
    const raw = wireClasses(draft({ body: { raw: "", contentType: "text/plain; charset=x" } }));
    expect([...raw]).toEqual(expect.arrayContaining(["type:text/plain", "body:empty"]));
  });
});

describe("whatever the seed", () => {
  it.each(["core", "strict"] as const)(
    "every wire-level class of every %s family is planned at least once",
    (profile) => {
      for (const operation of operations) {
        for (const seed of SEEDS) {
          // One example per family but for its classes: the fewest cases a run plans.
          for (const maxExamples of [1]) {
            const cases = planCases(operation, options(seed, profile, maxExamples));
            for (const family of familiesOf(operation, profile)) {
              const met = new Set(
                cases
                  .filter((c) => c.family.id === family.id)
                  .flatMap((c) => [...wireClasses(c.draft)]),
              );
              const missed = classesOf(family, profile)
                .filter((c) => !met.has(c.wireClass))
                .map((c) => c.wireClass);
              expect(missed, `${family.id}, seed ${seed}, ${maxExamples} examples`).toEqual([]);
            }
          }
        }
      }
    },
  );

  it.each(["createConnection", "updateConnection"] as const)(
    "%s sends a JSON array as its body, and null, a string and a number",
    (id) => {
      for (const seed of SEEDS) {
        const bodies = planCases(getOperation(id), options(seed, "core", 1))
          .filter((c) => c.id.includes("/invalid/body-not-object#"))
          .map((c) => c.draft.body?.json);
        expect(
          bodies.some((b) => Array.isArray(b)),
          `seed ${seed}`,
        ).toBe(true);
        for (const type of ["object", "string", "number"]) {
          expect(
            bodies.some((b) => typeof b === type),
            `${type}, seed ${seed}`,
          ).toBe(true);
        }
      }
    },
  );

  it.each(["core", "strict"] as const)(
    "no %s case sends a request line and headers a server with 8 KiB for them may refuse",
    (profile) => {
      let longest = 0;
      for (const operation of operations) {
        for (const seed of SEEDS) {
          for (const { id, draft } of planCases(operation, options(seed, profile, 8))) {
            const query = new URLSearchParams(draft.query).toString();
            const headers = Object.entries(draft.headers).map(([name, value]) =>
              Buffer.byteLength(`${name}: ${value}\r\n`),
            );
            const line = Buffer.byteLength(`${draft.method} ${draft.path}?${query} HTTP/1.1\r\n`);
            const size = line + headers.reduce((a, b) => a + b, 0);
            longest = Math.max(longest, size);
            // Host, Authorization, Content-Type and Content-Length take well under 1 KiB more.
            expect(size, `${id}, seed ${seed}`).toBeLessThanOrEqual(2 * ODD_PART_BUDGET - 1024);
          }
        }
      }
      // The long values are still sent: a server that stores a header or a parameter in a
      // VARCHAR(255) meets them.
      expect(longest).toBeGreaterThan(ODD_PART_BUDGET / 2);
    },
  );

  it("plans the same case for the same seed and id, and as many cases per family as it has classes", () => {
    const create = getOperation("createConnection");
    const a = planCases(create, options(9, "core"));
    const b = planCases(create, options(9, "core"));
    expect(JSON.stringify(a.map((c) => [c.id, c.seed, c.draft]))).toBe(
      JSON.stringify(b.map((c) => [c.id, c.seed, c.draft])),
    );
    const family = familiesOf(create, "core").find((f) => f.id.endsWith("/body-not-object"));
    const classes = family ? classesOf(family, "core") : [];
    expect(classes.map((c) => c.wireClass)).toContain("json:array");
    expect(a.filter((c) => c.family.id === family?.id).length).toBe(classes.length);
  });
});
