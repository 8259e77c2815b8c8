export { type ApiPromise, createManagementClient, type ManagementClient } from "./client.js";
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  ManagementError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnsupportedMediaTypeError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export type {
  ListOptions,
  Logger,
  LogLevel,
  ManagementClientOptions,
  RequestEvent,
  RequestOptions,
  ResponseEvent,
} from "./options.js";
export type {
  Connection,
  ConnectionCreate,
  ConnectionReplacement,
  ConnectionStatus,
  CreatedConnection,
  ErrorBody,
  RemovedConnection,
  Strategy,
  User,
} from "./types.js";
