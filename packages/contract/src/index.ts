export {
  applyBaseline,
  BaselineError,
  baselineFails,
  formatBaseline,
  parseBaseline,
  readBaseline,
  runFails,
  updatedBaseline,
  writeBaseline,
} from "./baseline.js";
export {
  type AnsweredExchange,
  describeAnswer,
  type Exchange,
  type ExchangeInit,
  type IncompleteExchange,
  isJsonContentType,
  type Purpose,
  recordExchange,
  type UnsentExchange,
} from "./exchange.js";
export { fingerprintOf } from "./fingerprint.js";
export { type OpenPoint, openPoints } from "./open-points.js";
export {
  type ProxyOptions,
  startProxy,
  type ValidatingProxy,
  type Violation,
} from "./proxy.js";
export { progressLine, summary as consoleSummary } from "./reporters/console.js";
export { htmlReport } from "./reporters/html.js";
export { junitReport } from "./reporters/junit.js";
export {
  type RequestContext,
  type RequestValidator,
  requestValidators,
  validateRequest,
} from "./request-validators.js";
export {
  catalog,
  runSuite,
  SuiteConfigError,
  SuiteSetupError,
  validatorCatalog,
} from "./runner.js";
export { type Statement, statements } from "./statements.js";
export type {
  BaselineEntry,
  BaselineOutcome,
  CheckInfo,
  CheckResult,
  CheckStatus,
  Failure,
  NetworkSummary,
  OperationCoverage,
  Profile,
  SuiteOptions,
  SuiteReport,
  TrafficSummary,
} from "./types.js";
export {
  type ResponseValidator,
  responseValidators,
  type ValidationContext,
  type ValidationFailure,
  validateExchange,
} from "./validators.js";
