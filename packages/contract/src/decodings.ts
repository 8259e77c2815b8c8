/**
 * The ways a server may have written a secret: the text as JSON, URL, form and HTML encodings
 * read it, one layer or a few, each view knowing where its units come from in the text.
 */

/**
 * A text as some decoding of it reads: unit `i` of `text` comes from `[start[i], end[i])` of the
 * original text. Absent maps mean the original itself.
 */
export interface View {
  text: string;
  start?: number[];
  end?: number[];
}

/** What one decoder made of a text, with (when asked) where each unit came from in that text. */
interface Decoded {
  text: string;
  start?: number[];
  end?: number[];
}

/** Builds a decoded text: runs kept as they are, and what the decoder read, in order. */
class Decoding {
  private readonly parts: string[] = [];
  private readonly start: number[] | undefined;
  private readonly end: number[] | undefined;
  private kept = 0;
  private changed = false;

  constructor(
    private readonly source: string,
    maps: boolean,
  ) {
    this.start = maps ? [] : undefined;
    this.end = maps ? [] : undefined;
  }

  /** `units` stand for `source[from, to)`; what lies between the last one and `from` is kept. */
  push(units: string, from: number, to: number): void {
    this.keep(from);
    this.parts.push(units);
    for (let k = 0; k < units.length; k++) {
      this.start?.push(from);
      this.end?.push(to);
    }
    this.kept = to;
    this.changed = true;
  }

  private keep(until: number): void {
    if (until <= this.kept) return;
    this.parts.push(this.source.slice(this.kept, until));
    for (let k = this.kept; k < until; k++) {
      this.start?.push(k);
      this.end?.push(k + 1);
    }
    this.kept = until;
  }

  result(): Decoded | undefined {
    if (!this.changed) return undefined;
    this.keep(this.source.length);
    return {
      text: this.parts.join(""),
      ...(this.start && this.end ? { start: this.start, end: this.end } : {}),
    };
  }
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};
/** The value of a hex digit's character code, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** The number written by `digits` hex digits at `at`, or -1. */
function hexAt(text: string, at: number, digits: number): number {
  let value = 0;
  for (let k = 0; k < digits; k++) {
    const digit = hexDigit(text.charCodeAt(at + k));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** JSON string escapes, read leniently: `\"`, `\\`, `\/` (PHP writes every slash so), `\n`…, `\uXXXX` in either case. */
function jsonUnescape(text: string, maps: boolean): Decoded | undefined {
  if (!text.includes("\\")) return undefined;
  const out = new Decoding(text, maps);
  for (let i = text.indexOf("\\"); i !== -1; i = text.indexOf("\\", i)) {
    const simple = JSON_ESCAPES[text[i + 1] ?? ""];
    const code = text[i + 1] === "u" ? hexAt(text, i + 2, 4) : -1;
    if (simple !== undefined) {
      out.push(simple, i, i + 2);
      i += 2;
    } else if (code >= 0) {
      out.push(String.fromCharCode(code), i, i + 6);
      i += 6;
    } else {
      i += 1;
    }
  }
  return out.result();
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The byte of `%XX` at `i`, or undefined. */
function percentByte(text: string, i: number): number | undefined {
  if (text.charCodeAt(i) !== 37) return undefined;
  const byte = hexAt(text, i + 1, 2);
  return byte < 0 ? undefined : byte;
}

/** UTF-8 bytes as `%XX` in either hex case (URL encoding); with `plus`, `+` as a space too (form encoding). */
function percentDecode(text: string, plus: boolean, maps: boolean): Decoded | undefined {
  const next = (from: number) => {
    const percent = text.indexOf("%", from);
    const space = plus ? text.indexOf("+", from) : -1;
    return percent === -1 ? space : space === -1 ? percent : Math.min(percent, space);
  };
  if (next(0) === -1) return undefined;
  const out = new Decoding(text, maps);
  for (let i = next(0); i !== -1; i = next(i)) {
    if (text[i] === "+") {
      out.push(" ", i, i + 1);
      i += 1;
      continue;
    }
    const lead = percentByte(text, i) ?? 0xff;
    const length = lead < 0x80 ? 1 : lead >= 0xf8 ? 0 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    const bytes: number[] = [lead];
    for (let k = 1; k < length; k++) {
      const byte = percentByte(text, i + 3 * k);
      if (byte === undefined) break;
      bytes.push(byte);
    }
    let decoded: string | undefined;
    if (length === 1) {
      decoded = String.fromCharCode(lead);
    } else if (length > 0 && bytes.length === length) {
      try {
        decoded = utf8.decode(Uint8Array.from(bytes));
      } catch {
        // Not UTF-8: the text stays as it is.
      }
    }
    if (decoded === undefined) {
      i += 1;
      continue;
    }
    out.push(decoded, i, i + 3 * length);
    i += 3 * length;
  }
  return out.result();
}

const ENTITIES: Record<string, string> = {
  quot: '"',
  amp: "&",
  lt: "<",
  gt: ">",
  apos: "'",
};
const ENTITY = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|quot|amp|lt|gt|apos);/;

/** HTML and XML character references (`&quot;`, `&#34;`, `&#x22;`). */
function entityDecode(text: string, maps: boolean): Decoded | undefined {
  if (!text.includes("&")) return undefined;
  const out = new Decoding(text, maps);
  for (let i = text.indexOf("&"); i !== -1; i = text.indexOf("&", i + 1)) {
    const match = ENTITY.exec(text.slice(i, i + 12));
    const name = match?.[1];
    if (!match || !name) continue;
    const code =
      name[0] !== "#"
        ? undefined
        : name[1] === "x" || name[1] === "X"
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
    const char =
      code === undefined
        ? ENTITIES[name]
        : code <= 0x10ffff
          ? String.fromCodePoint(code)
          : undefined;
    if (char === undefined) continue;
    out.push(char, i, i + match[0].length);
    i += match[0].length - 1;
  }
  return out.result();
}

const DECODERS: Record<string, (text: string, maps: boolean) => Decoded | undefined> = {
  J: jsonUnescape,
  U: (text, maps) => percentDecode(text, false, maps),
  F: (text, maps) => percentDecode(text, true, maps),
  H: entityDecode,
};
/**
 * The layers of encoding undone, outermost first: JSON (J), URL (U) and form (F) encoding, HTML
 * references (H). Every way a server writes a value into a JSON string, a URL, a form or a page,
 * once, twice or three times; not every one of the 85 orders of four decoders, which would cost a
 * large answer dozens of decoded copies.
 */
const LAYERS = [
  "J",
  "JJ",
  "JJJ",
  "JU",
  "JF",
  "JUJ",
  "JJU",
  "JJF",
  "U",
  "UU",
  "UF",
  "UJ",
  "UJJ",
  "F",
  "FF",
  "FJ",
  "H",
  "HJ",
  "HU",
  "JH",
];
const PREFIXES = new Set(
  LAYERS.flatMap((layers) => [...layers].map((_, i) => layers.slice(0, i + 1))),
);

/**
 * The text as written, and as each sequence of LAYERS reads it; with `maps`, each view knows
 * where its units come from in the text.
 */
export function viewsOf(text: string, maps: boolean): View[] {
  const all: View[] = [{ text }];
  const seen = new Set([text]);
  let frontier: Array<[string, View]> = [["", { text }]];
  while (frontier.length > 0) {
    const next: Array<[string, View]> = [];
    for (const [layers, view] of frontier) {
      for (const [name, decode] of Object.entries(DECODERS)) {
        if (!PREFIXES.has(layers + name)) continue;
        const decoded = decode(view.text, maps);
        if (!decoded || seen.has(decoded.text)) continue;
        seen.add(decoded.text);
        const { start, end } = view;
        const composed: View =
          start && end && decoded.start && decoded.end
            ? {
                text: decoded.text,
                start: decoded.start.map((s) => start[s] as number),
                end: decoded.end.map((e) => end[e - 1] as number),
              }
            : decoded;
        all.push(composed);
        next.push([layers + name, composed]);
      }
    }
    frontier = next;
  }
  return all;
}
