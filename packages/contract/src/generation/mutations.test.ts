import { createSpecValidator, getOperation, type OperationId } from "@mgmtkit/spec/model";
import { describe, expect, it } from "vitest";
import type { Profile } from "../types.js";
import { familiesOf } from "./families.js";
import { planCases } from "./plan.js";

const SEEDS = [1, 24, 2 ** 31 - 1, -42];
const plan = (id: OperationId, seed: number, profile: Profile = "core") =>
  planCases(getOperation(id), {
    seed,
    profile,
    maxExamples: 1,
    namePrefix: "mgmtkit-contract-abc123-",
  });
const json = (c: { draft: { body?: { json?: unknown } } }) =>
  c.draft.body?.json as Record<string, unknown> | null | undefined;
const ofFamily = (cases: ReturnType<typeof plan>, name: string) =>
  cases.filter((c) => c.family.id.endsWith(`/${name}`));

describe("mutations of the body schema", () => {
  it("make one family per place and mutation, with the ids the statements trace", () => {
    const ids = familiesOf(getOperation("createConnection"), "core").map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "createConnection/invalid/body-not-object",
        "createConnection/invalid/missing-required",
        "createConnection/invalid/name-wrong-type",
        "createConnection/invalid/name-null",
        "createConnection/invalid/name-empty",
        "createConnection/open/name-too-long",
        "createConnection/invalid/status-out-of-range",
        "createConnection/open/status-loose",
        "createConnection/invalid/strategy-unknown",
        "createConnection/open/options-loose",
        "createConnection/open/option-wrong-type",
        "createConnection/open/option-null",
        "createConnection/open/unknown-fields",
      ]),
    );
    const token = familiesOf(getOperation("getAccessToken"), "strict").map((f) => f.id);
    expect(token).toEqual(
      expect.arrayContaining([
        "getAccessToken/invalid/missing-required",
        "getAccessToken/invalid/grant_type-unknown",
        "getAccessToken/invalid/type-unknown",
        "getAccessToken/valid/extra-parameters",
      ]),
    );
  });

  it("leave out what an open point leaves open where the spec does not mark it", () => {
    // create.loose-values marks a create's status, not a replacement's: true is never judged there.
    const replace = familiesOf(getOperation("updateConnection"), "core").map((f) => f.id);
    expect(replace.some((id) => id.includes("status-loose"))).toBe(false);
    for (const seed of SEEDS) {
      for (const c of ofFamily(plan("updateConnection", seed), "status-wrong-type")) {
        expect(typeof json(c)?.status, c.id).not.toBe("boolean");
      }
    }
  });

  it.each(["core", "strict"] as const)(
    "under %s, send bodies the spec's schema refuses for every invalid family",
    (profile) => {
      const spec = createSpecValidator({ profile: "core" });
      for (const id of ["createConnection", "updateConnection"] as const) {
        const ref = getOperation(id).requestBody?.content[0]?.schemaRef as string;
        for (const seed of SEEDS.slice(0, 2)) {
          const invalid = plan(id, seed, profile).filter(
            (c) =>
              c.kind === "invalid" &&
              c.draft.body?.json !== undefined &&
              !/\/(absent|token-altered|authorization-malformed|rename|strategy-change)#/.test(
                c.id,
              ),
          );
          expect(invalid.length).toBeGreaterThan(10);
          for (const c of invalid) expect(spec.isValid(ref, json(c)), c.id).toBe(false);
        }
      }
    },
  );
});

describe("the generated plan", () => {
  it("plan, under every seed, each request the retired negative checks sent", () => {
    for (const seed of SEEDS) {
      const create = plan("createConnection", seed);
      const replace = plan("updateConnection", seed);
      const at = `seed ${seed}`;
      expect(
        ofFamily(create, "body-not-object").some((c) => json(c) === null),
        at,
      ).toBe(true);
      expect(
        ofFamily(replace, "body-not-object").some((c) => json(c) === null),
        at,
      ).toBe(true);
      expect(
        ofFamily(replace, "empty-object").some((c) => Object.keys(json(c) ?? {}).length === 0),
        at,
      ).toBe(true);
      // Each field left out alone, as a server that fills in one missing field meets it.
      for (const field of ["name", "status", "strategy", "options"]) {
        const alone = ofFamily(replace, "missing-required").filter((c) => {
          const keys = Object.keys(json(c) ?? {});
          return !keys.includes(field) && keys.length >= 3;
        });
        expect(alone.length, `${field}, ${at}`).toBeGreaterThan(0);
      }
      expect(
        ofFamily(create, "strategy-unknown").every((c) => typeof json(c)?.strategy === "string"),
        at,
      ).toBe(true);
      expect(
        ofFamily(create, "status-wrong-type").some((c) => typeof json(c)?.status === "string"),
        at,
      ).toBe(true);
      expect(ofFamily(create, "status-out-of-range").length, at).toBeGreaterThan(0);
      expect(ofFamily(create, "malformed-json").length, at).toBeGreaterThan(0);
      expect(ofFamily(replace, "malformed-json").length, at).toBeGreaterThan(0);
      const media = ofFamily(plan("createConnection", seed, "strict"), "media-type");
      expect(
        media.some((c) => c.draft.body?.contentType === "text/plain"),
        at,
      ).toBe(true);
      expect(media.every((c) => c.kind === "invalid" && c.family.refused.join() === "415")).toBe(
        true,
      );
    }
  });

  it("take refusal statuses from the operation's documented 4xx", () => {
    const create = familiesOf(getOperation("createConnection"), "strict");
    const body = create.find((f) => f.id.endsWith("/invalid/name-wrong-type"));
    expect(body?.refused).toEqual([400, 409]);
    expect(
      familiesOf(getOperation("getAccessToken"), "core").find((f) =>
        f.id.endsWith("/missing-required"),
      )?.refused,
    ).toEqual([400, 401]);
    const core = familiesOf(getOperation("updateConnection"), "core");
    expect(core.find((f) => f.id.endsWith("/invalid/status-wrong-type"))?.refused).toEqual(["4xx"]);
    expect(core.find((f) => f.id.endsWith("/invalid/absent"))?.refused).toEqual([404]);
  });
});
