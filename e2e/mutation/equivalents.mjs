// mutation/equivalent.json: the surviving mutants of the era server that no client can tell
// apart from the server through the API, each with its reason. An entry names its mutant by
// file, line, range, mutator and replacement (Stryker's numeric id changes with every edit).
import { readFile } from "node:fs/promises";

/**
 * @typedef {{ line: number, column: number }} Position
 * @typedef {object} Equivalent
 * @property {string} file path from e2e/, such as era-server/server.js
 * @property {number} line
 * @property {string} range the mutated code's start and end, `line:column-line:column` as
 *   Stryker counts them (two mutants of one mutator may start at the same place)
 * @property {string} mutator Stryker's mutator name
 * @property {string} replacement the mutated code, as Stryker reports it
 * @property {string} reason why no client can observe it through the API
 */

/**
 * @param {string} file
 * @param {{ location: { start: Position, end: Position }, mutatorName: string, replacement?: string }} mutant
 */
export function equivalentKey(file, mutant) {
  const { start, end } = mutant.location;
  const range = `${start.line}:${start.column}-${end.line}:${end.column}`;
  return `${file}:${range} ${mutant.mutatorName} ${mutant.replacement ?? ""}`;
}

/** @param {string} range `line:column-line:column` */
function location(range) {
  const [start, end] = range.split("-").map((at) => {
    const [line, column] = at.split(":").map(Number);
    return { line: Number(line), column: Number(column) };
  });
  return { start: /** @type {Position} */ (start), end: /** @type {Position} */ (end) };
}

/** Key → reason of every listed mutant. */
export async function readEquivalents() {
  /** @type {{ mutants: Equivalent[] }} */
  const list = JSON.parse(await readFile(new URL("./equivalent.json", import.meta.url), "utf8"));
  return new Map(
    list.mutants.map((m) => [
      equivalentKey(m.file, {
        location: location(m.range),
        mutatorName: m.mutator,
        replacement: m.replacement,
      }),
      m.reason,
    ]),
  );
}
