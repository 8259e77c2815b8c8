// @ts-nocheck
import { errors } from "./errors.js";

/** The largest request body accepted, in bytes. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * How deeply objects and arrays may nest in a JSON body (the top-level value is level 1), as Ruby's
 * JSON parser allows by default. A deeper body is refused before anything is stored: deep values
 * cost stack in every reader that walks them, the server's own answers included.
 */
export const MAX_JSON_DEPTH = 100;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The charsets a body may declare; all of them are read as UTF-8 (ASCII is a subset of it). */
const READABLE_CHARSETS = new Set(["utf-8", "utf8", "us-ascii", "ascii"]);

/**
 * Decodes a body as UTF-8 after checking the charset its Content-Type declares: a body in another
 * charset is refused with 415 rather than read as mojibake, and bytes that are not UTF-8 with 400.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && !READABLE_CHARSETS.has(charset)) {
    throw new errors.MGMT_ERR_UNSUPPORTED_CHARSET(JSON.stringify(charset));
  }
  try {
    return utf8.decode(body);
  } catch {
    throw new errors.MGMT_ERR_INVALID_UTF8();
  }
}

/**
 * Reads a JSON body, refusing what JSON.parse would accept but the server cannot keep faithfully:
 * - nesting deeper than `MAX_JSON_DEPTH`;
 * - a key given twice in one object (JSON.parse keeps the last silently; a proxy or client that
 *   keeps the first would then see another object than the server stored). Forms follow the same
 *   rule: a parameter given twice is refused.
 * - a number whose value as a 64-bit float reads back as another number (`1e400` would be stored
 *   as `null`, `1e-400` as `0`, `12345678901234567890` as `12345678901234567000`).
 * A key such as `__proto__` or `constructor` is data like any other: JSON.parse makes it an own
 * property, and nothing in the server assigns keys one by one onto existing objects.
 */
export function readJson(text: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === "") throw new errors.MGMT_ERR_EMPTY_JSON();
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw new errors.MGMT_ERR_INVALID_JSON();
  }
  inspectJson(source);
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const MINUS = 0x2d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Whether `c` may continue a JSON number (`-`, `+`, `.`, digits, `e`, `E`). */
function isNumberPart(c: number): boolean {
  return isDigit(c) || c === 0x2b || c === MINUS || c === 0x2e || c === 0x45 || c === 0x65;
}

/**
 * Walks text that JSON.parse accepted, checking depth, keys and numbers. It only needs to find
 * where strings end, since the syntax is known to be valid.
 */
function inspectJson(text: string): void {
  // One set of keys per open object; `undefined` for an open array.
  const open: Array<Set<string> | undefined> = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        end++;
      }
      const keys = open.at(-1);
      if (expectKey && keys) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? String(JSON.parse(`"${raw}"`)) : raw;
        if (keys.has(key)) throw new errors.MGMT_ERR_JSON_DUPLICATE_KEY(JSON.stringify(key));
        keys.add(key);
        expectKey = false;
      }
      i = end + 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (open.length >= MAX_JSON_DEPTH) throw new errors.MGMT_ERR_JSON_TOO_DEEP(MAX_JSON_DEPTH);
      open.push(c === OPEN_OBJECT ? new Set() : undefined);
      expectKey = c === OPEN_OBJECT;
      i++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
      expectKey = false;
      i++;
    } else if (c === COMMA) {
      expectKey = open.at(-1) !== undefined;
      i++;
    } else if (c === MINUS || isDigit(c)) {
      let end = i + 1;
      while (end < text.length && isNumberPart(text.charCodeAt(end))) end++;
      const literal = text.slice(i, end);
      if (!roundTrips(literal)) throw new errors.MGMT_ERR_JSON_NUMBER(literal.slice(0, 40));
      i = end;
    } else {
      i++;
    }
  }
}

/** A decimal number in one spelling (`-12.30e1` → `-123e0`), so that two spellings compare. */
function canonicalDecimal(text: string): string | undefined {
  const parts = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!parts) return undefined;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = parts;
  const digits = `${whole}${fraction}`.replace(/^0+/, "");
  if (digits === "") return "0";
  const significant = digits.replace(/0+$/, "");
  const power = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${sign}${significant}e${power}`;
}

/** Whether a JSON number literal survives being read as a 64-bit float and written back. */
function roundTrips(literal: string): boolean {
  // Integers of up to 15 digits always do.
  if (literal.length <= 15 && !/[.eE]/.test(literal)) return true;
  const value = Number(literal);
  return Number.isFinite(value) && canonicalDecimal(String(value)) === canonicalDecimal(literal);
}

/**
 * Reads a form-encoded body into an object of its parameters. A parameter given twice is refused,
 * as RFC 6749 section 3.2 requires of the token endpoint and as JSON bodies are; names such as
 * `constructor` or `__proto__` are ordinary parameters.
 */
export function readForm(text: string): Record<string, string> {
  const seen = new Set<string>();
  const entries: Array<[string, string]> = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (seen.has(name)) throw new errors.MGMT_ERR_FORM_DUPLICATE_PARAMETER(name);
    seen.add(name);
    entries.push([name, value]);
  }
  return Object.fromEntries(entries);
}
