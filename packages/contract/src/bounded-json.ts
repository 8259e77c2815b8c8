/**
 * JSON from a server is read only within limits checked before it is parsed: what JSON.parse
 * builds of a body can take many times the body's size (an 8 MB answer of nested arrays becomes
 * hundreds of MB of arrays, and seconds of a parse that no timer interrupts), and deep values cost
 * stack in every reader that walks them. The check is one pass over the text that keeps nothing
 * but a depth and a count, so that a body over the limits costs no more than its bytes.
 */

/**
 * How deeply arrays and objects may nest (the top-level value is level 1). The suite itself sends
 * options nested up to 400 levels deep, which a server may store and answer back inside a
 * connection of a list.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * How many entries (array elements and object members, at every level) one body may hold. A page
 * of a list is far below it; a body above it would make a parse of tens of MB per answer.
 */
export const MAX_JSON_ENTRIES = 20_000;

export interface JsonLimits {
  depth: number;
  entries: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Why `text` is beyond the limits, as the end of a sentence "The server sent …", or undefined
 * when it is within them. Stops at the first limit crossed. Text that is not JSON at all passes
 * (JSON.parse refuses it cheaply): only structure is counted, strings are skipped whole.
 */
export function beyondJsonLimits(
  text: string,
  limits: JsonLimits = { depth: MAX_JSON_DEPTH, entries: MAX_JSON_ENTRIES },
): string | undefined {
  let depth = 0;
  let entries = 0;
  // After an opening bracket, the first value that is not a closing one is the first entry.
  let opened = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (opened) {
      opened = false;
      if (c !== CLOSE_ARRAY && c !== CLOSE_OBJECT) entries += 1;
    }
    if (c === QUOTE) {
      // Skip the string: a quote ends it unless an odd number of backslashes precede it.
      for (i += 1; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 1;
        else if (d === QUOTE) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth += 1;
      if (depth > limits.depth) {
        return `JSON nested more than ${limits.depth} levels deep, more than the suite reads`;
      }
      opened = true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth > 0) depth -= 1;
    } else if (c === COMMA) {
      entries += 1;
    }
    if (entries > limits.entries) {
      return `JSON of more than ${limits.entries} entries (array elements and object members), more than the suite reads`;
    }
  }
  return undefined;
}

/** What reading a body as JSON gave: the value, or why it was not read. */
export type JsonReading = { json: unknown; isJson: true } | { isJson: false; beyond?: string };

/** Parses `text` as JSON if it is within the limits; never throws. */
export function readBoundedJson(text: string, limits?: JsonLimits): JsonReading {
  const beyond = beyondJsonLimits(text, limits);
  if (beyond) return { isJson: false, beyond };
  try {
    return { json: JSON.parse(text), isJson: true };
  } catch {
    return { isJson: false };
  }
}
