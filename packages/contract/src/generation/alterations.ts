import fc from "fast-check";

/**
 * Ways to alter a credential (the client id, the client secret, the access token) so that it is no
 * longer the one the server issued: a server must compare every part of it.
 */
export type Alteration =
  | { kind: "suffix"; text: string }
  | { kind: "drop-last"; count: number }
  | { kind: "replace-last" }
  | { kind: "flip-case" }
  | { kind: "upper" }
  | { kind: "lower" }
  | { kind: "pad-start" }
  | { kind: "pad-end" }
  | { kind: "twice" }
  | { kind: "empty" };

/**
 * One arbitrary per kind of alteration, the most telling first (a character added, which a server
 * that compares a prefix misses): coverage families take kind `k` for their example `k`.
 */
export const alterationKinds: ReadonlyArray<fc.Arbitrary<Alteration>> = [
  fc
    .constantFrom("x", "0", ".sig", "-", "_", "==")
    .map((text): Alteration => ({ kind: "suffix", text })),
  fc.integer({ min: 1, max: 3 }).map((count): Alteration => ({ kind: "drop-last", count })),
  fc.constant<Alteration>({ kind: "replace-last" }),
  fc.constant<Alteration>({ kind: "flip-case" }),
  fc.constant<Alteration>({ kind: "upper" }),
  fc.constant<Alteration>({ kind: "lower" }),
  fc.constant<Alteration>({ kind: "pad-start" }),
  fc.constant<Alteration>({ kind: "pad-end" }),
  fc.constant<Alteration>({ kind: "twice" }),
  fc.constant<Alteration>({ kind: "empty" }),
];

/** Every alteration, drawn; shrinking leads to the simplest ones (a character added). */
export const alterations: fc.Arbitrary<Alteration> = fc.oneof(...alterationKinds);

const flip = (text: string) =>
  [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");

function applied(value: string, a: Alteration): string {
  switch (a.kind) {
    case "suffix":
      return value + a.text;
    case "drop-last":
      return value.slice(0, Math.max(1, value.length - a.count));
    case "replace-last":
      return value.slice(0, -1) + (value.endsWith("x") ? "y" : "x");
    case "flip-case":
      return flip(value);
    case "upper":
      return value.toUpperCase();
    case "lower":
      return value.toLowerCase();
    case "pad-start":
      return ` ${value}`;
    case "pad-end":
      return `${value} `;
    case "twice":
      return value + value;
    case "empty":
      return "";
  }
}

/**
 * The credential altered, and the shell expression that rebuilds it from the variable holding the
 * real one (`${MGMTKIT_CLIENT_SECRET%?}`), so that reports print the expression instead. An
 * alteration that leaves the value as it was (the case of a value without letters) adds an `x`.
 */
export function alter(
  value: string,
  a: Alteration,
  variable: string,
): { value: string; expression: string } {
  const altered = applied(value, a);
  if (altered === value) return alter(value, { kind: "suffix", text: "x" }, variable);
  const v = (op = "") => `\${${variable}${op}}`;
  const expression = {
    suffix: () => `${v()}${(a as { text: string }).text}`,
    "drop-last": () => v(`%${"?".repeat(value.length - altered.length)}`),
    "replace-last": () => `${v("%?")}${altered.slice(-1)}`,
    "flip-case": () => v("~~"),
    upper: () => v("^^"),
    lower: () => v(",,"),
    "pad-start": () => ` ${v()}`,
    "pad-end": () => `${v()} `,
    twice: () => `${v()}${v()}`,
    empty: () => "",
  }[a.kind]();
  return { value: altered, expression };
}
