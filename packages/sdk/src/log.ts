import { inert } from "@mgmtkit/spec/secrets";
import type { Scrub } from "./errors.js";
import type { LogLevel, ManagementClientOptions } from "./options.js";

export type Log = (level: Exclude<LogLevel, "off">, message: string) => void;

const levels: LogLevel[] = ["debug", "info", "warn", "error", "off"];

/** The client's log function, or undefined when nothing would be logged (so callers skip building lines). */
export function createLog(
  { logger, logLevel = "warn" }: ManagementClientOptions,
  scrub: Scrub,
): Log | undefined {
  const least = levels.indexOf(logLevel);
  return logger && least < 4
    ? (level, message) => {
        if (levels.indexOf(level) >= least) logger[level](inert(scrub(message)));
      }
    : undefined;
}
