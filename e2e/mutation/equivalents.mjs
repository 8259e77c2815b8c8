// mutation/equivalent.json: the surviving mutants of the era server that no client can tell
// apart from the server through the API, each with its reason. An entry names its mutant by
// file, line, mutator and replacement (Stryker's numeric id changes with every edit).
import { readFile } from "node:fs/promises";

/**
 * @typedef {object} Equivalent
 * @property {string} file path from e2e/, such as era-server/server.js
 * @property {number} line
 * @property {string} mutator Stryker's mutator name
 * @property {string} replacement the mutated code, as Stryker reports it
 * @property {string} reason why no client can observe it through the API
 */

/**
 * @param {string} file
 * @param {{ location: { start: { line: number } }, mutatorName: string, replacement?: string }} mutant
 */
export function equivalentKey(file, mutant) {
  return `${file}:${mutant.location.start.line} ${mutant.mutatorName} ${mutant.replacement ?? ""}`;
}

/** Key → reason of every listed mutant. */
export async function readEquivalents() {
  /** @type {{ mutants: Equivalent[] }} */
  const list = JSON.parse(await readFile(new URL("./equivalent.json", import.meta.url), "utf8"));
  return new Map(
    list.mutants.map((m) => [
      equivalentKey(m.file, {
        location: { start: { line: m.line } },
        mutatorName: m.mutator,
        replacement: m.replacement,
      }),
      m.reason,
    ]),
  );
}
