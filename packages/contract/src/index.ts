export {
  describeAnswer,
  type Exchange,
  type ExchangeInit,
  isJsonContentType,
  recordExchange,
} from "./exchange.js";
export { type OpenPoint, openPoints } from "./open-points.js";
export { progressLine, summary as consoleSummary } from "./reporters/console.js";
export { junitReport } from "./reporters/junit.js";
export {
  catalog,
  runSuite,
  SuiteConfigError,
  SuiteSetupError,
  validatorCatalog,
} from "./runner.js";
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
export {
  type ResponseValidator,
  responseValidators,
  type ValidationContext,
  type ValidationFailure,
  validateExchange,
} from "./validators.js";
