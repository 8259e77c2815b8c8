function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * Whether `actual` is like `expected`: every property `expected` names has a like value in
 * `actual` (further properties are allowed), every element of an expected array is like some
 * element of the actual array (in any order), and anything else is equal. Answers the first
 * difference, as `path: what`, or undefined.
 */
export function unlike(actual: unknown, expected: unknown, at = ""): string | undefined {
  const where = at || "body";
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where} is ${show(actual)}, not an array`;
    const unused = [...actual];
    for (const [index, item] of expected.entries()) {
      const match = unused.findIndex((candidate) => unlike(candidate, item) === undefined);
      if (match === -1) return `${where} has no element like ${show(expected[index])}`;
      unused.splice(match, 1);
    }
    return undefined;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${where} is ${show(actual)}, not an object`;
    for (const [key, value] of Object.entries(expected)) {
      const path = at ? `${at}.${key}` : key;
      if (!(key in actual)) return `${path} is missing (expected ${show(value)})`;
      const problem = unlike(actual[key], value, path);
      if (problem) return problem;
    }
    return undefined;
  }
  return Object.is(actual, expected)
    ? undefined
    : `${where} is ${show(actual)}, not ${show(expected)}`;
}
