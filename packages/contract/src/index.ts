export { progressLine, summary as consoleSummary } from "./reporters/console.js";
export { junitReport } from "./reporters/junit.js";
export { catalog, runSuite, SuiteConfigError, SuiteSetupError } from "./runner.js";
export type {
  CheckInfo,
  CheckResult,
  CheckStatus,
  Failure,
  OperationCoverage,
  Profile,
  SuiteOptions,
  SuiteReport,
} from "./types.js";
