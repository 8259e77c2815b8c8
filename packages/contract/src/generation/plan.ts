import { type OperationModel, operations } from "@mgmtkit/spec/model";
import fc from "fast-check";
import type { Profile } from "../types.js";
import type { Draft } from "./draft.js";
import { type CaseKind, type Family, familiesOf } from "./families.js";
import { wireClasses } from "./wire-class.js";

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

/** Drafts a family's classes are read from, under fixed seeds: the same classes whatever the run's seed. */
const CLASS_POOL = 40;
/** Draws a case makes from the run's seed to meet its class, before it takes the pool's draft of it. */
const CLASS_DRAWS = 24;

const sampleOne = (arbitrary: fc.Arbitrary<Draft>, seed: number) =>
  fc.sample(arbitrary, { seed, numRuns: 1 })[0] as Draft;

/** What a family's pool of drafts shows: every class met, with the first pool seed that met it and how often. */
const poolCache = new Map<string, Map<string, { seed: number; drafts: number }>>();

function poolOf(family: Family, profile: Profile): Map<string, { seed: number; drafts: number }> {
  const key = `${profile} ${family.id}`;
  let seen = poolCache.get(key);
  if (!seen) {
    seen = new Map();
    const arbitrary = family.draft({ name: "mgmtkit-contract-000000-classes", example: 0 });
    for (let seed = 1; seed <= CLASS_POOL; seed++) {
      for (const wireClass of wireClasses(sampleOne(arbitrary, seed))) {
        const entry = seen.get(wireClass) ?? { seed, drafts: 0 };
        entry.drafts += 1;
        seen.set(wireClass, entry);
      }
    }
    poolCache.set(key, seen);
  }
  return seen;
}

/**
 * The wire-level classes a family's drafts fall into (see `wireClasses`) that set it apart, each
 * with a fixed seed that draws one of it, in a fixed order. Left out: classes every draft of the
 * family has, and those the operation's valid requests fall into too (the valid family plans
 * those). A family whose examples are its own (`examples`) covers its classes by position already.
 */
export function classesOf(
  family: Family,
  profile: Profile,
): ReadonlyArray<{ wireClass: string; seed: number }> {
  if (family.examples !== undefined) return [];
  const validId = `${family.operation.id}/valid/valid`;
  const valid =
    family.id === validId
      ? undefined
      : familiesOf(family.operation, profile).find((f) => f.id === validId);
  const base = valid ? poolOf(valid, profile) : new Map();
  return [...poolOf(family, profile)]
    .filter(([wireClass, { drafts }]) => drafts < CLASS_POOL && !base.has(wireClass))
    .map(([wireClass, { seed }]) => ({ wireClass, seed }));
}

/**
 * The first draft of case `id` that falls into `wireClass`: drawn from the run's seed, then from
 * seeds derived from it, and from the class's own pool seed when none of those did. Every class of a
 * family is met under every seed: a server's bug of one class cannot hide behind a lucky seed.
 */
function draftOfClass(
  arbitrary: fc.Arbitrary<Draft>,
  runSeed: number,
  id: string,
  target: { wireClass: string; seed: number } | undefined,
): { seed: number; draft: Draft } {
  const first = { seed: caseSeed(runSeed, id), draft: undefined as Draft | undefined };
  first.draft = sampleOne(arbitrary, first.seed);
  if (!target || wireClasses(first.draft).has(target.wireClass)) {
    return first as { seed: number; draft: Draft };
  }
  for (let draw = 1; draw <= CLASS_DRAWS; draw++) {
    const seed = caseSeed(runSeed, `${id}~${draw}`);
    const draft = sampleOne(arbitrary, seed);
    if (wireClasses(draft).has(target.wireClass)) return { seed, draft };
  }
  const pooled = sampleOne(arbitrary, target.seed);
  return wireClasses(pooled).has(target.wireClass)
    ? { seed: target.seed, draft: pooled }
    : (first as { seed: number; draft: Draft });
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
    // Example k is of the family's k-th class (in turn): as many examples as classes, at least.
    const classes = classesOf(family, options.profile);
    const count = family.examples ?? Math.max(options.maxExamples, classes.length);
    for (let example = 0; example < count; example++) {
      const id = `${family.id}#${example}`;
      const name = `${options.namePrefix}g${index}-${planned.length}`;
      const arbitrary = family.draft({ name, example });
      const { seed, draft } = draftOfClass(
        arbitrary,
        options.seed,
        id,
        classes[example % Math.max(1, classes.length)],
      );
      planned.push({
        id,
        family,
        kind: family.kind,
        example,
        seed,
        name,
        arbitrary,
        draft,
      });
    }
  }
  return planned;
}
