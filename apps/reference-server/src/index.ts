export { BODY_LIMIT } from "./app.js";
export { demoSeed, type Seed, SeedError, type SeedUser } from "./seed.js";
export { type RunningServer, type ServerOptions, ServerStartError, startServer } from "./server.js";
export {
  migrations,
  openSqliteStore,
  type SqliteStoreOptions,
  StoreOpenError,
} from "./sqlite-store.js";
export {
  type ConnectionRecord,
  NameTakenError,
  type Slice,
  type Store,
  type TokenRecord,
  type UserFilter,
  type UserRecord,
} from "./storage.js";
