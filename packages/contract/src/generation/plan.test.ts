import {
  createSpecValidator,
  exampleConnections,
  getOperation,
  operations,
  type Strategy,
} from "@mgmtkit/spec/model";
import { describe, expect, it } from "vitest";
import type { Profile } from "../types.js";
import { planCases } from "./plan.js";

const options = (seed: number, profile: Profile = "core") => ({
  seed,
  profile,
  maxExamples: 2,
  namePrefix: "mgmtkit-contract-abc123-",
});
const drafts = (seed: number, profile: Profile = "core") =>
  operations.flatMap((op) => planCases(op, options(seed, profile)).map((c) => c.draft));

describe("planCases", () => {
  it("derives the same cases from the same seed, and others from another seed", () => {
    expect(JSON.stringify(drafts(42))).toBe(JSON.stringify(drafts(42)));
    expect(JSON.stringify(drafts(42))).not.toBe(JSON.stringify(drafts(43)));
  });

  it("derives each case from the seed and its id alone, whatever else is planned", () => {
    const create = getOperation("createConnection");
    const all = planCases(create, options(7));
    const fewer = planCases(create, { ...options(7), maxExamples: 1 });
    for (const one of fewer) {
      const same = all.find((c) => c.id === one.id);
      expect(same?.seed).toBe(one.seed);
    }
  });

  it.each(operations.map((op) => [op.id, op] as const))(
    "gives %s cases with unique ids and unique names under the run's prefix",
    (_id, op) => {
      const cases = planCases(op, options(1));
      expect(cases.length).toBeGreaterThan(10);
      expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
      for (const c of cases) expect(c.name.startsWith("mgmtkit-contract-abc123-")).toBe(true);
    },
  );
});

const spec = {
  core: createSpecValidator({ profile: "core" }),
  strict: createSpecValidator({ profile: "strict" }),
};
const bodyRef = (id: "createConnection" | "updateConnection") =>
  getOperation(id).requestBody?.content[0]?.schemaRef as string;

describe.each(["core", "strict"] as const)("the %s bodies", (profile) => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const cases = (id: "createConnection" | "updateConnection") =>
    seeds.flatMap((seed) => planCases(getOperation(id), options(seed, profile)));

  it.each(["createConnection", "updateConnection"] as const)(
    "of valid %s cases are valid against the spec's schema",
    (id) => {
      for (const c of cases(id).filter((c) => c.kind === "valid")) {
        expect(spec.core.problems(bodyRef(id), c.draft.body?.json), c.id).toEqual([]);
      }
    },
  );

  it.each([
    [
      "createConnection",
      [
        "missing-required",
        "name-wrong-type",
        "status-out-of-range",
        "status-wrong-type",
        "options-wrong-type",
        "body-not-object",
      ],
    ],
    [
      "updateConnection",
      [
        "missing-required",
        "status-out-of-range",
        "status-wrong-type",
        "options-wrong-type",
        "body-not-object",
      ],
    ],
  ] as const)("of invalid %s cases break the spec's schema", (id, families) => {
    const invalid = cases(id).filter((c) => families.some((f) => c.id.includes(`/invalid/${f}#`)));
    expect(invalid.length).toBeGreaterThanOrEqual(families.length * seeds.length * 2);
    for (const c of invalid) {
      expect(spec.core.isValid(bodyRef(id), c.draft.body?.json), c.id).toBe(false);
    }
  });
});

describe.each([
  ["core", "open"],
  ["strict", "invalid"],
] as const)("under %s, options of another type", (profile, kind) => {
  it.each(["createConnection", "updateConnection"] as const)(
    `are ${kind} %s cases that break the spec's schema (open point create.option-values)`,
    (id) => {
      const wrong = [1, 2, 3, 4].flatMap((seed) =>
        planCases(getOperation(id), options(seed, profile)).filter((c) =>
          c.id.includes("/option-wrong-type#"),
        ),
      );
      expect(wrong.length).toBeGreaterThan(0);
      for (const c of wrong) {
        expect(c.kind, c.id).toBe(kind);
        expect(spec.core.isValid(bodyRef(id), c.draft.body?.json), c.id).toBe(false);
      }
    },
  );
});

describe("under core, a valid create", () => {
  it("carries what a strict reading of the document may require, and names of plain words", () => {
    const creates = [1, 2, 3, 4, 5].flatMap((seed) =>
      planCases(getOperation("createConnection"), options(seed)).filter((c) => c.kind === "valid"),
    );
    for (const { draft, id } of creates) {
      const body = draft.body?.json as Record<string, unknown>;
      expect(Object.keys(body).sort(), id).toEqual(["name", "options", "status", "strategy"]);
      expect(body.name, id).toMatch(/^[a-z0-9-]+$/);
      const example = exampleConnections[body.strategy as Strategy].options ?? {};
      for (const key of Object.keys(example)) {
        const value = (body.options as Record<string, unknown>)[key];
        expect(value, `${id}: options.${key}`).toBeDefined();
        if (typeof value === "string")
          expect(value.length, `${id}: options.${key}`).toBeGreaterThan(0);
      }
    }
  });
});
