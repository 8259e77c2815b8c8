// The Stryker reporter plugin of `pnpm mutation`: it hands what Stryker learns to run.mjs, which
// loaded this module first (both share this module instance): the plan before any mutant runs
// (so that a --sample is drawn from it), each result as it comes, and the final report.
import { declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";

/**
 * @typedef {import("@stryker-mutator/api/core").MutantTestPlan} MutantTestPlan
 * @typedef {import("@stryker-mutator/api/core").MutantResult} MutantResult
 * @typedef {import("@stryker-mutator/api/core").schema.MutationTestResult} MutationTestResult
 */

export const hooks = {
  /** @type {(plans: readonly MutantTestPlan[]) => void} */
  plan: () => {},
  /** @type {(result: Readonly<MutantResult>) => void} */
  tested: () => {},
  /** @type {MutationTestResult | undefined} */
  report: undefined,
};

class HandOverReporter {
  /** @type {[]} */
  static inject = [];

  /** @param {{ mutantPlans: readonly MutantTestPlan[] }} event */
  onMutationTestingPlanReady(event) {
    hooks.plan(event.mutantPlans);
  }

  /** @param {Readonly<MutantResult>} result */
  onMutantTested(result) {
    hooks.tested(result);
  }

  /** @param {Readonly<MutationTestResult>} report */
  onMutationTestReportReady(report) {
    hooks.report = structuredClone(/** @type {MutationTestResult} */ (report));
  }
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.Reporter, "mgmtkit", HandOverReporter),
];
