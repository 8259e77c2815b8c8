import { isPostgresUrl, openPostgresStore } from "./postgres-store.js";
import { openSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
import { type Store, StoreOpenError } from "./storage.js";

/** A scheme and `://`, as every URL the server could be given starts. */
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** `:…@` with no slash between: the password of a URL's userinfo, wherever the URL was cut. */
const PASSWORD_LIKE = /:[^/\\]*@/;
/** `user@host:port` before any slash: a URL's authority without its scheme. */
const AUTHORITY_LIKE = /^[^/\\]*@[^/\\]*:\d*(?:[/\\]|$)/;

/**
 * Why `location` is neither a PostgreSQL URL nor a SQLite path the server should open, in one
 * sentence that never quotes it (a mistyped URL holds a password); undefined when it is fine.
 * Each case is a PostgreSQL URL gone wrong that would otherwise be taken for a file name, printed
 * in the error that file's path gives, or silently become a database named after the password.
 */
export function locationProblem(location: string): string | undefined {
  if (location !== location.trim()) {
    return "The database location starts or ends with white space; remove it.";
  }
  if (isPostgresUrl(location)) return undefined;
  const scheme = URL_SCHEME.exec(location)?.[1];
  if (scheme !== undefined) {
    return `The database URL's scheme ${scheme.slice(0, 20)}:// is not one this server speaks; use postgres:// or postgresql://, or give a SQLite file path.`;
  }
  // A path written as one (`/…`, `./…`, `../…`) is a file whatever it holds.
  if (/^\.{0,2}[/\\]/.test(location)) return undefined;
  if (PASSWORD_LIKE.test(location) || AUTHORITY_LIKE.test(location)) {
    return "The database location looks like a PostgreSQL URL without postgres:// (it holds user:password@ or user@host:port); add the scheme, or write ./ before a SQLite file name.";
  }
  return undefined;
}

/**
 * Opens the store `location` names: a `postgres://` or `postgresql://` URL is a PostgreSQL
 * database, anything else a SQLite file (or `:memory:`), except what `locationProblem` refuses.
 * `synchronous` applies to SQLite only; PostgreSQL's durability is its server's
 * `synchronous_commit`.
 */
export async function openStore(
  location: string,
  options: Pick<SqliteStoreOptions, "synchronous"> = {},
): Promise<Store> {
  const problem = locationProblem(location);
  if (problem) throw new StoreOpenError(problem);
  if (isPostgresUrl(location)) return openPostgresStore(location);
  return openSqliteStore(location, options);
}
