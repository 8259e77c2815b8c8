// The five strategies of the document. option-shapes.json transcribes, for each, the options
// object the document prints: `true/false` values are booleans, quoted values and placeholders
// strings, bracketed lists arrays of strings. Only the stricter twin holds a client to these
// shapes; the document never says that a server refuses a value of another type.
import { createRequire } from "node:module";

/** @typedef {"string" | "boolean" | "strings"} OptionType */

/** @type {Record<string, Record<string, OptionType>>} */
const optionShapes = createRequire(import.meta.url)("./option-shapes.json");

/** Every strategy the document supports. */
export const strategies = new Set(Object.keys(optionShapes));

/** The strategies that get a provisioning ticket and its URL. */
export const provisioned = new Set(["office365", "google-apps", "adfs"]);

/** The social strategies, whose users `/api/socialconnections/users` lists. */
export const social = new Set(["google-oauth2", "windowslive"]);

/**
 * The first option whose value does not have the documented type, or undefined. Options the
 * document does not name are the client's own and pass as they are.
 * @param {string} strategy one of `strategies`
 * @param {Record<string, unknown>} options
 * @returns {string | undefined}
 */
export function mistypedOption(strategy, options) {
  const shape = optionShapes[strategy] ?? {};
  for (const [name, value] of Object.entries(options)) {
    const type = shape[name];
    if (type === undefined) continue;
    const fits =
      type === "strings"
        ? Array.isArray(value) && value.every((item) => typeof item === "string")
        : typeof value === type;
    if (!fits) return name;
  }
  return undefined;
}
