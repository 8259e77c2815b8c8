import { type OperationModel, operations } from "@mgmtkit/spec/model";
import fc from "fast-check";
import type { Profile } from "../types.js";
import type { Draft } from "./draft.js";
import { type CaseKind, type Family, familiesOf } from "./families.js";

/** One generated case: a family, its position in the family, its own seed and its first draft. */
export interface PlannedCase {
  /** `<family id>#<example>`, stable for a seed. */
  id: string;
  family: Family;
  kind: CaseKind;
  example: number;
  /** The case's seed, derived from the run's seed and the case id (not from the order of a run). */
  seed: number;
  /** The connection name the case may create, unique in the run. */
  name: string;
  /** The drafts of the case; the first one drawn from `seed` is `draft`, shrinking draws smaller ones. */
  arbitrary: fc.Arbitrary<Draft>;
  /** The request the case sends first. */
  draft: Draft;
}

/** FNV-1a over the text: the same seed and case id always give the same case seed. */
export function caseSeed(seed: number, id: string): number {
  let hash = 0x811c9dc5 ^ (seed & 0xffffffff) ^ Math.floor(seed / 2 ** 32);
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export interface PlanOptions {
  seed: number;
  profile: Profile;
  /** Cases per family (families of variants have their own count). */
  maxExamples: number;
  /** What every name the cases create starts with: `mgmtkit-contract-<run>-`. */
  namePrefix: string;
}

/**
 * Every generated case of one operation, derived from the seed up front: the cases, their order,
 * their names and their first requests depend on the seed and the options alone, never on what
 * the server answered or on which case ran first, so that cases can run side by side.
 */
export function planCases(operation: OperationModel, options: PlanOptions): PlannedCase[] {
  const index = operations.indexOf(operation);
  const planned: PlannedCase[] = [];
  for (const family of familiesOf(operation, options.profile)) {
    const count = family.examples ?? options.maxExamples;
    for (let example = 0; example < count; example++) {
      const id = `${family.id}#${example}`;
      const name = `${options.namePrefix}g${index}-${planned.length}`;
      const arbitrary = family.draft({ name, example });
      const seed = caseSeed(options.seed, id);
      const [draft] = fc.sample(arbitrary, { seed, numRuns: 1 });
      planned.push({
        id,
        family,
        kind: family.kind,
        example,
        seed,
        name,
        arbitrary,
        draft: draft as Draft,
      });
    }
  }
  return planned;
}
