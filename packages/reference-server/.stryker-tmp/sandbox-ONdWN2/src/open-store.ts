// @ts-nocheck
import { isPostgresUrl, openPostgresStore } from "./postgres-store.js";
import { openSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
import type { Store } from "./storage.js";

/**
 * Opens the store `location` names: a `postgres://` or `postgresql://` URL is a PostgreSQL
 * database, anything else a SQLite file (or `:memory:`). `synchronous` applies to SQLite only;
 * PostgreSQL's durability is its server's `synchronous_commit`.
 */
export async function openStore(
  location: string,
  options: Pick<SqliteStoreOptions, "synchronous"> = {},
): Promise<Store> {
  if (isPostgresUrl(location)) return openPostgresStore(location);
  return openSqliteStore(location, options);
}
