import { describe, expect, it } from "vitest";
import { containsSecret, Redactor, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER } from "./redact.js";

/** A secret with every character a hostile server may escape: quote, backslash, slash, plus, space, percent, non-ASCII, astral. */
const SECRET = 'se"c\\r/e+t %é😀x';
const TOKEN = "tok/en.Ab+c";

const upperHex = (text: string) => encodeURIComponent(text);
const lowerHex = (text: string) =>
  encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const form = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);
const json = (text: string) => JSON.stringify(text).slice(1, -1);
/** As PHP's json_encode writes it by default: `/` as `\/`, everything beyond ASCII as `\uXXXX`. */
const php = (text: string) =>
  json(text)
    .replaceAll("/", "\\/")
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
/** Every character as `\uXXXX`, hex in upper case. */
const allUnicode = (text: string) =>
  [...text]
    .flatMap((c) => (c.length === 2 ? [c[0] as string, c[1] as string] : [c]))
    .map((c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
    .join("");
const entities = (text: string) =>
  [...text].map((c) => `&#x${c.codePointAt(0)?.toString(16)};`).join("");
/** Every other character escaped one way, the rest another: encodings mixed within the secret. */
const mixed = (text: string) =>
  [...text]
    .map((c, i) => (i % 2 === 0 ? encodeURIComponent(c) : json(c).replace("/", "\\/")))
    .join("");

const encodings: Array<[string, (text: string) => string]> = [
  ["raw", (t) => t],
  ["URL-encoded, upper-case hex", upperHex],
  ["URL-encoded, lower-case hex", lowerHex],
  ["form-encoded", form],
  ["form-encoded, lower-case hex", (t) => form(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  ["JSON-escaped", json],
  ["JSON-escaped as PHP writes it (\\/, \\uXXXX)", php],
  ["every character as \\uXXXX", allUnicode],
  ["every character as \\uxxxx in lower case", (t) => allUnicode(t).toLowerCase()],
  ["JSON-escaped twice (a JSON string in a JSON string)", (t) => json(json(t))],
  ["PHP-escaped twice", (t) => php(php(t))],
  ["URL-encoded, then JSON-escaped", (t) => php(upperHex(t))],
  ["JSON-escaped, then URL-encoded", (t) => lowerHex(php(t))],
  ["URL-encoded twice", (t) => upperHex(upperHex(t))],
  ["HTML character references", entities],
  ["mixed within the secret", mixed],
];

describe("the redactor", () => {
  it.each(encodings)("replaces a secret written %s", (_name, encode) => {
    const redactor = new Redactor();
    redactor.add(SECRET, SECRET_PLACEHOLDER);
    redactor.add(TOKEN, TOKEN_PLACEHOLDER);
    for (const [secret, placeholder] of [
      [SECRET, SECRET_PLACEHOLDER],
      [TOKEN, TOKEN_PLACEHOLDER],
    ] as const) {
      const encoded = encode(secret);
      const text = `{"message":"wrong: ${encoded}!","next":"${encoded}"}`;
      const out = redactor.text(text);
      expect(out).toBe(`{"message":"wrong: ${placeholder}!","next":"${placeholder}"}`);
      expect(containsSecret(text, [secret])).toBe(true);
      expect(containsSecret(out, [SECRET, TOKEN])).toBe(false);
    }
  });

  it("leaves text without a secret as it is, escapes included", () => {
    const redactor = new Redactor();
    redactor.add(SECRET, SECRET_PLACEHOLDER);
    const text = '{"a":"b\\/c %2F+ \\u00e9 &amp;"} se"c\\r/e+t %é😀 (not quite)';
    expect(redactor.text(text)).toBe(text);
    expect(containsSecret(text, [SECRET])).toBe(false);
  });

  it("names an altered secret by its own expression, the longest first", () => {
    const redactor = new Redactor();
    redactor.add(TOKEN, TOKEN_PLACEHOLDER);
    redactor.add(`${TOKEN}x`, `\${MGMTKIT_TOKEN}x`);
    redactor.add(TOKEN.slice(0, -1), `\${MGMTKIT_TOKEN%?}`);
    expect(redactor.text(`a ${json(`${TOKEN}x`)} b ${php(TOKEN)} c ${TOKEN.slice(0, -1)}!`)).toBe(
      `a \${MGMTKIT_TOKEN}x b $MGMTKIT_TOKEN c \${MGMTKIT_TOKEN%?}!`,
    );
  });

  it("redacts the text of a report that quotes the server or the client, deeply", () => {
    const redactor = new Redactor();
    redactor.add(TOKEN, TOKEN_PLACEHOLDER);
    expect(
      redactor.value({
        checks: [{ failures: [{ observed: php(TOKEN), curl: form(TOKEN) }], skipReason: TOKEN }],
        stopped: { message: `at ${TOKEN}` },
        case: { steps: [php(TOKEN)] },
        n: 1,
      }),
    ).toEqual({
      checks: [
        {
          failures: [{ observed: TOKEN_PLACEHOLDER, curl: TOKEN_PLACEHOLDER }],
          skipReason: TOKEN_PLACEHOLDER,
        },
      ],
      stopped: { message: `at ${TOKEN_PLACEHOLDER}` },
      case: { steps: [TOKEN_PLACEHOLDER] },
      n: 1,
    });
  });

  it("never rewrites the suite's own ids, statuses, enumerations or fingerprints", () => {
    // A server that issues the token "failed" (or one that spells a fingerprint) changes no verdict.
    const redactor = new Redactor();
    for (const secret of ["failed", "passed", "e", "auth", "0a1b2c3d4e5f"]) {
      redactor.add(secret, TOKEN_PLACEHOLDER);
    }
    const result = {
      id: "auth.missing-token",
      status: "failed",
      profile: "core",
      failures: [
        {
          checkId: "auth.missing-token",
          type: "response.schema",
          fingerprint: "0a1b2c3d4e5f",
          observed: "it failed",
        },
      ],
      summary: { passed: 0, failed: 1 },
    };
    const out = redactor.value(result);
    expect(out).toEqual({
      ...result,
      failures: [{ ...result.failures[0], observed: `it ${TOKEN_PLACEHOLDER}` }],
    });
  });
});

describe("a large text", () => {
  it("is read in windows: a secret in any encoding is found wherever it lies, across a window's edge too", () => {
    const redactor = new Redactor();
    redactor.add(SECRET, SECRET_PLACEHOLDER);
    for (const at of [0, 16 * 1024 - 7, 16 * 1024 + 3, 40_000]) {
      for (const [name, encode] of encodings) {
        const filler = "\\u0041 %41 &amp; ".repeat(3_000).slice(0, at);
        const text = `${filler}${encode(SECRET)}${"x\\/".repeat(1000)}`;
        expect(containsSecret(text, [SECRET]), `${name} at ${at}`).toBe(true);
        const out = redactor.text(text);
        expect(out.slice(filler.length, filler.length + SECRET_PLACEHOLDER.length), name).toBe(
          SECRET_PLACEHOLDER,
        );
      }
    }
  });
});
