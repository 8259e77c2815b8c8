import type { SuiteReport } from "../types.js";

/**
 * The report as JSON. `JSON.stringify` escapes the C0 controls; DEL and the C1 controls (U+009B
 * starts an escape sequence in some terminals) are escaped too, so that the file is inert text
 * whoever prints it.
 */
export function jsonReport(report: SuiteReport): string {
  return `${JSON.stringify(report, null, 2).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  )}\n`;
}
