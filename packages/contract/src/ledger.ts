import type { Failure } from "./types.js";

/** Distinct ways one rule is broken in one group that a report shows one by one. */
export const MAX_REPORTED = 5;

/** A failure filed, and how many later ones it stands for. */
interface Entry {
  failure: Failure;
  /** What the failure observed when it was filed, before any count was added. */
  observed: string;
  more: number;
}

/**
 * The findings of the validators, filed so that a report stays bounded however much traffic
 * breaks a rule: once per way of breaking it (later ones the same way are counted on the first),
 * and at most MAX_REPORTED ways per group (past that, the last one filed counts the others). A
 * run groups by check and rule, a proxy by rule and operation.
 */
export class FindingsLedger {
  private readonly sameWay = new Map<string, Entry>();
  private readonly groups = new Map<string, Entry[]>();

  /** `noun` names what breaks a rule in the counts: `answer` for a run, `exchange` for a proxy. */
  constructor(private readonly noun: "answer" | "exchange") {}

  /**
   * Files a finding in `group`, broken the way `way` names (a key of its own: a proxy counts the
   * same way across operations): answers the failure `make` makes of it when it is to be
   * reported, undefined when an earlier failure now counts it.
   */
  file(group: string, way: string, make: () => Failure): Failure | undefined {
    const repeat = this.sameWay.get(way);
    if (repeat) {
      repeat.more += 1;
      repeat.failure.observed = `${repeat.observed} (${this.count(repeat.more)} broke the rule the same way.)`;
      return undefined;
    }
    const shown = this.groups.get(group) ?? [];
    this.groups.set(group, shown);
    const last = shown.at(-1);
    if (last && shown.length >= MAX_REPORTED) {
      last.more += 1;
      last.failure.observed = `${last.observed} (${this.count(last.more)} broke the rule.)`;
      return undefined;
    }
    const failure = make();
    const entry = { failure, observed: failure.observed, more: 0 };
    shown.push(entry);
    this.sameWay.set(way, entry);
    return failure;
  }

  private count(more: number): string {
    return `${more} more ${this.noun}${more === 1 ? "" : "s"}`;
  }
}
