/**
 * The rules the SDK and the conformance suite share for text a server or a client wrote: where a
 * secret appears in it, in whatever encoding, and how to print it so that it cannot drive a
 * terminal. Small on purpose: the SDK's browser bundle carries it.
 */

/** `text.slice(start, end)` spells `secret` in one of its encodings. */
export interface SecretMatch {
  start: number;
  end: number;
  secret: string;
}

/** Finds a set of secrets in text; the set changes in place, the search never builds a pattern from a secret. */
export interface SecretMatcher {
  add(secret: string | undefined): void;
  delete(secret: string): void;
  /** Every place a secret appears, overlaps merged (the longest secret names the whole), in order. */
  find(text: string): SecretMatch[];
  /** The text with each place `find` answers replaced by `by(secret)`. */
  replace(text: string, by: (secret: string) => string): string;
}

/** Characters that split a secret without a reader noticing: line breaks, zero-width ones, the soft hyphen. */
const GAP = /[\n\r\xad\u200b-\u200d\u2060\ufeff]/g;

/** Lower case without changing the length (U+0130 alone lower-cases to two units). */
const low = (text: string) => text.replace(/\u0130/g, "i").toLowerCase();

const hex = (code: number, width: number) => code.toString(16).padStart(width, "0");

/**
 * The forms a secret takes in text, lower-cased (the search ignores case, so either hex case
 * matches) and without gaps: as is; URL-encoded with `%20` or `+`; every byte as `%xx`; hex;
 * JSON-escaped, with `\/` or without; every unit as `\uXXXX`; base64 and base64url at each of the
 * three byte alignments it may start at inside a longer encoded value. Encoded forms shorter than
 * four characters are left out: they would match everywhere.
 */
export function secretForms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  let bin = "";
  let all = "";
  let url = "";
  let units = "";
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    bin += c;
    all += `%${hex(b, 2)}`;
    url += /[\w.!~*'()-]/.test(c) ? c : `%${hex(b, 2)}`;
  }
  for (let i = 0; i < secret.length; i++) units += `\\u${hex(secret.charCodeAt(i), 4)}`;
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    url,
    url.replace(/%20/g, "+"),
    all,
    all.replace(/%/g, ""),
    json,
    json.replace(/\//g, "\\/"),
    units,
  ];
  for (let k = 0; k < 3; k++) {
    // Only the characters made of the secret's bits alone: the others depend on its neighbours.
    const b64 = btoa("\0".repeat(k) + bin).slice(
      Math.ceil(k / 0.75),
      ((k + bytes.length) / 0.75) | 0,
    );
    forms.push(b64, b64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...new Set(forms.map((form) => low(form).replace(GAP, "")))].filter(
    (form, i) => form.length > (i && 3),
  );
}

/** The number two units of `text` at `i` make; past the end, a unit counts as 0. */
const pair = (text: string, i: number) => (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);

/** Sixteen bits of a key. */
const bit = (key: number) => (key ^ (key >>> 16)) & 65535;

/** Forms this long are bucketed by a hash of their first LONG units, and found by `indexOf`. */
const LONG = 16;
/** The hash of `text.slice(i, i + LONG)`, given the hash at `i - 1` (`h`, or 0 to start afresh). */
const roll = (text: string, i: number, h?: number) => {
  if (h === undefined) {
    h = 0;
    for (let k = i; k < i + LONG; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
    return h;
  }
  // 31 ** 15, modulo 2 ** 32: what the unit leaving the window weighs.
  return (
    (Math.imul(h - Math.imul(text.charCodeAt(i - 1), 0xe191dddf), 31) +
      text.charCodeAt(i + LONG - 1)) |
    0
  );
};

/**
 * A matcher of the given secrets. Every form of each is bucketed by its start: the first two units
 * of a short form, a hash of the first LONG of a long one. One pass over a text looks each
 * position up; a short form is compared there, a long one found with `indexOf` from there (in time
 * linear however the text and the secret repeat themselves), which also tells where it is not.
 */
export function secretMatcher(secrets: Iterable<string | undefined> = []): SecretMatcher {
  const buckets = [new Map<number, Map<string, string>>(), new Map<number, Map<string, string>>()];
  // A key's bucket may exist only where its bit is set: most positions of a text cost one read.
  const bits = [new Uint8Array(65536), new Uint8Array(65536)];
  // How many forms are of one unit (looked up under the unit followed by 0), and how many long.
  let short = 0;
  let long = 0;
  const each = (secret: string, act: (bucket: Map<string, string>, form: string) => void) => {
    for (const form of secretForms(secret)) {
      const isLong = form.length >= LONG;
      const map = buckets[+isLong] as Map<number, Map<string, string>>;
      const key = isLong ? roll(form, 0) : pair(form, 0);
      if (form.length < 2) short++;
      if (isLong) long++;
      if (!map.has(key)) map.set(key, new Map());
      (bits[+isLong] as Uint8Array)[bit(key)] = 1;
      act(map.get(key) as Map<string, string>, form);
    }
  };
  const matcher: SecretMatcher = {
    add(secret) {
      if (secret) each(secret, (bucket, form) => bucket.set(form, secret));
    },
    delete(secret) {
      each(secret, (bucket, form) => bucket.get(form) === secret && bucket.delete(form));
    },
    find(text) {
      let folded = low(text);
      // Where each unit of the folded text stands in `text`, when gaps were taken out.
      let at: number[] | undefined;
      if (folded.search(GAP) >= 0) {
        at = [];
        folded = folded.replace(GAP, "");
        for (let i = 0; i < text.length; i++) if ((text[i] as string).search(GAP)) at.push(i);
      }
      const found: SecretMatch[] = [];
      // Where each long form occurs next, from the last position it was looked up at.
      const next = new Map<string, number>();
      const seek = (form: string, from: number) => {
        const n = folded.indexOf(form, from);
        next.set(form, n < 0 ? 1 / 0 : n);
      };
      const scan = (bucket: Map<string, string>, i: number) => {
        for (const [form, secret] of bucket) {
          const end = i + form.length;
          if (form.length < LONG) {
            if (!folded.startsWith(form, i)) continue;
          } else {
            if (!((next.get(form) ?? -1) >= i)) seek(form, i);
            if (next.get(form) !== i) continue;
            // Occurrences of one form that overlap count once: the search stays linear.
            seek(form, end);
          }
          found.push(
            at
              ? { start: at[i] as number, end: (at[end - 1] as number) + 1, secret }
              : { start: i, end, secret },
          );
        }
      };
      const [byPair, byHash] = buckets as [
        Map<number, Map<string, string>>,
        Map<number, Map<string, string>>,
      ];
      const [pairBits, hashBits] = bits as [Uint8Array, Uint8Array];
      const look = (
        map: Map<number, Map<string, string>>,
        set: Uint8Array,
        key: number,
        i: number,
      ) => {
        const bucket = set[bit(key)] ? map.get(key) : undefined;
        if (bucket) scan(bucket, i);
      };
      let h: number | undefined;
      for (let i = 0; i < folded.length; i++) {
        const key = pair(folded, i);
        look(byPair, pairBits, key, i);
        if (short && key & 65535) look(byPair, pairBits, key & -65536, i);
        if (long && i + LONG <= folded.length) {
          h = roll(folded, i, h);
          look(byHash, hashBits, h, i);
        }
      }
      found.sort((a, b) => a.start - b.start || b.end - a.end);
      const merged: SecretMatch[] = [];
      for (const match of found) {
        const last = merged.at(-1);
        if (last && match.start < last.end) {
          last.end = Math.max(last.end, match.end);
          if (match.secret.length > last.secret.length) last.secret = match.secret;
        } else merged.push({ ...match });
      }
      return merged;
    },
    replace(text, by) {
      let out = "";
      let from = 0;
      for (const { start, end, secret } of matcher.find(text)) {
        out += text.slice(from, start) + by(secret);
        from = end;
      }
      return out + text.slice(from);
    },
  };
  for (const secret of secrets) matcher.add(secret);
  return matcher;
}

/**
 * Text a server or a client wrote, made inert for a terminal, a log or a report: every C0 and C1
 * control character but the tab (escape sequences, carriage returns, backspaces, line breaks) and
 * DEL shown as an escape (`\x1b`, `\r`, `\n`) instead of acting.
 */
export const inert = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds.
  text.replace(/[\0-\x08\n-\x1f\x7f-\x9f]/g, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : `\\x${hex(c.charCodeAt(0), 2)}`,
  );
