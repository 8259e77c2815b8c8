import { SuiteConfigError } from "./setup.js";

export interface Pattern {
  matches(id: string): boolean;
  /** Names one check by its id, which selects it even outside the profile. */
  exact: boolean;
}

function pattern(text: string): Pattern {
  if (text.endsWith(".*")) {
    const group = text.slice(0, -1);
    return { matches: (id) => id.startsWith(group), exact: false };
  }
  if (!text.includes(".")) return { matches: (id) => id.startsWith(`${text}.`), exact: false };
  return { matches: (id) => id === text, exact: true };
}

/** The patterns (ids, or groups as `auth` / `auth.*`) of a flag; throws SuiteConfigError for one that names nothing of `among`. */
export function compile(
  patterns: string[] | undefined,
  flag: string,
  among: ReadonlyArray<{ id: string }>,
): Pattern[] {
  return (patterns ?? [])
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((text) => {
      const compiled = pattern(text);
      if (!among.some((entry) => compiled.matches(entry.id))) {
        throw new SuiteConfigError(
          `${flag} ${text} matches no check; run \`mgmtkit-contract list\` for the catalog.`,
        );
      }
      return compiled;
    });
}
