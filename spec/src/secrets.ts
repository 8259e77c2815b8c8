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

const hex = (code: number, width: number) => code.toString(16).padStart(width, "0");

/**
 * The text without gaps, the hex digits of its escapes (`%E9`, `\u00E9`) in lower case: a secret's
 * forms and the text searched are folded alike, so an escape matches in either case.
 */
const fold = (text: string) =>
  text.replace(GAP, "").replace(/%[\da-f]{2}|\\u[\da-f]{4}/gi, (found) => found.toLowerCase());

/**
 * The forms a secret takes in text, folded (no gaps, escapes in lower case): as is; URL-encoded
 * with `%20` or `+`; every byte as `%xx`; hex in either case; JSON-escaped, with `\/` or without;
 * every unit as `\uXXXX`; base64 and base64url at each of the three byte alignments it may start
 * at inside a longer encoded value. Encoded forms shorter than four characters are left out: they
 * would match everywhere.
 */
export function secretForms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  let bin = "";
  let all = "";
  let url = "";
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    const percent = `%${hex(b, 2)}`;
    bin += c;
    all += percent;
    url += /[\w.!~*'()-]/.test(c) ? c : percent;
  }
  // Every UTF-16 unit, lone surrogates included: without the u flag, a class reads units.
  // biome-ignore lint/correctness/noEmptyCharacterClassInRegex: [^] is any unit, line breaks too.
  const units = secret.replace(/[^]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
  const json = JSON.stringify(secret).slice(1, -1);
  const hexes = all.replace(/%/g, "");
  const forms = [
    secret,
    url,
    url.replace(/%20/g, "+"),
    all,
    hexes,
    hexes.toUpperCase(),
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
  return [...new Set(forms.map(fold))].filter((form, i) => form.length > (i && 3));
}

/**
 * A matcher of the given secrets: an exact search (`indexOf`) of each form of each secret in the
 * text without gaps. Its time is linear in the text for every form, however the
 * text and the secret repeat themselves: occurrences of one form that overlap count once.
 */
export function secretMatcher(secrets: Iterable<string | undefined> = []): SecretMatcher {
  const forms = new Map<string, string>();
  const matcher: SecretMatcher = {
    add(secret) {
      if (secret) for (const form of secretForms(secret)) forms.set(form, secret);
    },
    delete(secret) {
      for (const form of secretForms(secret)) if (forms.get(form) === secret) forms.delete(form);
    },
    find(text) {
      const folded = fold(text);
      // Where each unit of the folded text stands in `text`, when gaps were taken out.
      const at: number[] = [];
      if (folded.length < text.length) {
        for (let i = 0; i < text.length; i++) if ((text[i] as string).search(GAP)) at.push(i);
      }
      const found: SecretMatch[] = [];
      for (const [form, secret] of forms) {
        for (let i = folded.indexOf(form); i >= 0; i = folded.indexOf(form, i + form.length)) {
          const end = i + form.length;
          found.push({ start: at[i] ?? i, end: (at[end - 1] ?? end - 1) + 1, secret });
        }
      }
      found.sort((a, b) => a.start - b.start || b.end - a.end);
      let last: SecretMatch | undefined;
      // A match that overlaps the last one kept is merged into it.
      return found.filter((match) => {
        if (last && match.start < last.end) {
          last.end = Math.max(last.end, match.end);
          if (match.secret.length > last.secret.length) last.secret = match.secret;
          return false;
        }
        last = match;
        return true;
      });
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
