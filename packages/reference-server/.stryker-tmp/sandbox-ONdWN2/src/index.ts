// @ts-nocheck
export { type AppOptions, buildApp } from "./app.js";
export { BODY_LIMIT, MAX_JSON_DEPTH } from "./body-readers.js";
export type { ErrorBody, ErrorCode } from "./errors.js";
export {
  openPostgresStore,
  type PostgresStoreOptions,
  postgresMigrations,
} from "./postgres-store.js";
export { demoSeed, type Seed, SeedError, type SeedUser } from "./seed.js";
export { type RunningServer, type ServerOptions, ServerStartError, startServer } from "./server.js";
export { migrations, openSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
export {
  type ConnectionList,
  type ConnectionRecord,
  NameTakenError,
  type Slice,
  type Store,
  StoreFullError,
  StoreOpenError,
  StoreUnavailableError,
  type TokenPruning,
  type TokenRecord,
  type UserFilter,
  type UserRecord,
} from "./storage.js";
