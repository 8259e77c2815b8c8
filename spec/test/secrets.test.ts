import { describe, expect, it } from "vitest";
import { inert, secretForms, secretMatcher } from "../src/secrets.js";

/** Characters that each encode differently: quote, backslash, slash, plus, space, percent, non-ASCII, astral, regex syntax. */
const SECRET = 'se"c\\r/e+t %é😀x(.*)[a-z]{2}$^|?';
const bytes = (text: string) => [...new TextEncoder().encode(text)];
const b64 = (text: string) => Buffer.from(text).toString("base64");

const encodings: Array<[string, (text: string) => string]> = [
  ["raw", (t) => t],
  ["URL-encoded", encodeURIComponent],
  [
    "URL-encoded, lower-case hex",
    (t) => encodeURIComponent(t).replace(/%[\dA-F]{2}/g, (e) => e.toLowerCase()),
  ],
  [
    "every unit as \\uXXXX, upper-case hex",
    (t) =>
      t.replace(
        /[\s\S]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
      ),
  ],
  ["form-encoded (+ for a space)", (t) => encodeURIComponent(t).replace(/%20/g, "+")],
  [
    "every byte as %XX",
    (t) =>
      bytes(t)
        .map((b) => `%${b.toString(16).padStart(2, "0")}`)
        .join(""),
  ],
  ["JSON-escaped", (t) => JSON.stringify(t).slice(1, -1)],
  ["JSON-escaped with \\/", (t) => JSON.stringify(t).slice(1, -1).replaceAll("/", "\\/")],
  [
    "every unit as \\uXXXX",
    (t) => t.replace(/[\s\S]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  ],
  ["base64", b64],
  ["base64 without padding", (t) => b64(t).replace(/=+$/, "")],
  ["base64url", (t) => Buffer.from(t).toString("base64url")],
  ["base64 inside a longer value", (t) => b64(`{"token":"${t}"}`)],
  ["base64 one byte in", (t) => b64(`x${t}yy`)],
  ["base64url two bytes in", (t) => Buffer.from(`xy${t}z`).toString("base64url")],
  ["hex, lower case", (t) => Buffer.from(t).toString("hex")],
  ["hex, upper case", (t) => Buffer.from(t).toString("hex").toUpperCase()],
  ["split by a newline", (t) => `${t.slice(0, 5)}\n${t.slice(5)}`],
  ["split by CR LF", (t) => `${t.slice(0, 3)}\r\n${t.slice(3)}`],
  ["split by a zero-width space", (t) => `${t.slice(0, 7)}\u200b${t.slice(7)}`],
  ["base64 wrapped at 8 characters", (t) => b64(t).replace(/.{8}/g, "$&\n")],
];

describe("a secret matcher", () => {
  it.each(encodings)("finds a secret written %s, and only where it is", (name, encode) => {
    const matcher = secretMatcher([SECRET, "other-secret"]);
    const encoded = encode(SECRET);
    const text = `before «${encoded}» after`;
    const found = matcher.find(text);
    expect(found).toHaveLength(1);
    const out = matcher.replace(text, () => "[S]");
    expect(out.startsWith("before «")).toBe(true);
    expect(out.endsWith("» after")).toBe(true);
    // Left: the neighbours of an encoded value, and the few characters that also depend on them.
    const neighbours = name.includes("longer value") ? 18 : name.includes(" in") ? 4 : 0;
    expect(out.length).toBeLessThan("before «[S]» after".length + neighbours + 6);
  });

  it("leaves text without a secret as it is", () => {
    const matcher = secretMatcher([SECRET]);
    const text = 'se"c\\r/e+t %é😀 (almost) ZXhhbXBsZQ== 0a0b %2F \\u00e9';
    expect(matcher.find(text)).toEqual([]);
    expect(matcher.replace(text, () => "[S]")).toBe(text);
  });

  it("names overlapping secrets by the longest, and forgets a deleted one", () => {
    const matcher = secretMatcher(["tok-abcdef", "tok-abcdefgh"]);
    expect(matcher.replace("a tok-abcdefgh b tok-abcdef c", (s) => `<${s.length}>`)).toBe(
      "a <12> b <10> c",
    );
    matcher.delete("tok-abcdef");
    expect(matcher.replace("a tok-abcdefgh b tok-abcdef c", (s) => `<${s.length}>`)).toBe(
      "a <12> b tok-abcdef c",
    );
  });

  it("tells a secret from its case-swapped twin", () => {
    const matcher = secretMatcher(["Secret-Value", "sECRET-vALUE"]);
    expect(matcher.replace("a Secret-Value b sECRET-vALUE c", (s) => `<${s}>`)).toBe(
      "a <Secret-Value> b <sECRET-vALUE> c",
    );
  });

  it("finds a one-character secret as is, and leaves its short encodings out", () => {
    expect(secretForms("e")).toEqual(["e", "\\u0065"]);
    expect(secretMatcher(["e"]).replace("abc def", () => "_")).toBe("abc d_f");
  });

  it("works at any length: a 10,000-character token that repeats itself, in a text that does", () => {
    const token = "A1b2-_.~".repeat(1_250);
    const matcher = secretMatcher(["client-secret", token]);
    // Near misses: every eighth position starts up to 9,999 characters of the token, none all of it.
    const filler = `${"A1b2-_.~".repeat(1_249)}A1b2-_.!`.repeat(4);
    for (const [name, encode] of encodings) {
      const text = `${filler}${encode(token)}${filler}`;
      const found = matcher.find(text);
      expect(found.length, name).toBe(1);
      expect(found[0]?.secret, name).toBe(token);
    }
    // About 0.5 s on a quiet machine; 5.3 s when a clean-clone check ran beside other builds.
  }, 60_000);

  it("finds secrets where a regular expression built from them would overflow", () => {
    const secret = "(".repeat(20_000);
    expect(secretMatcher([secret]).replace(`x${secret}y`, () => "_")).toBe("x_y");
  });
});

describe("inert text", () => {
  it("shows every control character but the tab as an escape", () => {
    const hostile =
      "\x1b[2J\x1b[H clear, \x1b]0;title\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \rCR \bBS\x7f \x9b31m C1\n\ttab é😀";
    const out = inert(hostile);
    expect(out).toBe(
      "\\x1b[2J\\x1b[H clear, \\x1b]0;title\\x07 \\x1b]8;;https://evil.example\\x1b\\link\\x1b]8;;\\x1b\\ \\rCR \\x08BS\\x7f \\x9b31m C1\\n\ttab é😀",
    );
    const codes = [...out].map((c) => c.charCodeAt(0));
    expect(codes.filter((c) => c !== 9 && (c < 32 || (c >= 0x7f && c <= 0x9f)))).toEqual([]);
  });
});
