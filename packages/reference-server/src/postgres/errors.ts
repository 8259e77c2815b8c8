import postgres from "postgres";
import { NameTakenError, StoreFullError, StoreUnavailableError } from "../storage.js";

/** Node and driver error codes of a connection that could not be made or was lost. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);

export function codeOf(error: unknown): string {
  return String((error as { code?: unknown }).code ?? "");
}

/** Whether the error means the database is out of reach (as opposed to a statement failing). */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith("08") || // connection exception
    code.startsWith("57P") || // shutdown, crash, cannot connect now
    code === "28P01" || // password authentication failed
    code === "28000" ||
    code === "3D000" // database does not exist
  );
}

/** Why the database could not be used, in words that carry no secret. */
export function reason(error: unknown): string {
  const code = codeOf(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "no answer in time";
    case "CONNECTION_CLOSED":
    case "CONNECTION_DESTROYED":
    case "CONNECTION_ENDED":
    case "ECONNRESET":
    case "EPIPE":
      return "connection lost";
    default:
      // PostgreSQL's own messages name users and databases, never passwords.
      return error instanceof postgres.PostgresError
        ? error.message.replace(/\.$/, "")
        : code || "unknown error";
  }
}

export function translate(error: unknown): unknown {
  if (
    error instanceof StoreUnavailableError ||
    error instanceof StoreFullError ||
    error instanceof NameTakenError
  ) {
    return error;
  }
  const code = codeOf(error);
  if (code === "53100") {
    return new StoreFullError(
      "The disk holding the database is full; nothing was written. Free some space and retry.",
      { cause: error },
    );
  }
  if (code === "57014") {
    return new StoreUnavailableError("The database did not answer in time; retry shortly.", {
      cause: error,
    });
  }
  if (isConnectionError(error) || code.startsWith("53")) {
    return new StoreUnavailableError(
      `The database is unavailable (${reason(error)}); retry shortly.`,
      { cause: error },
    );
  }
  return error;
}
