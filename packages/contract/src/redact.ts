import { type SecretMatcher, secretMatcher } from "@mgmtkit/spec/secrets";
import { viewsOf } from "./decodings.js";

/** Shell variables that stand in for secrets in reports and reproduction commands. */
export const TOKEN_PLACEHOLDER = "$MGMTKIT_TOKEN";
export const SECRET_PLACEHOLDER = "$MGMTKIT_CLIENT_SECRET";

/**
 * An access token shorter than this cannot be told from the text around it: it is reported as a
 * finding (`response.no-secret-echo`) instead of being replaced wherever its letters appear.
 */
export const MIN_TOKEN_LENGTH = 8;

/**
 * The fields of a report that quote the server or the client (what it answered, the request, the
 * reproduction, a reason that may quote an error): the only ones redacted. Ids, statuses,
 * enumerations, counts and fingerprints are the suite's own, and never change.
 */
const QUOTING = new Set([
  "observed",
  "requirement",
  "request",
  "curl",
  "steps",
  "skipReason",
  "message",
]);

interface Found {
  start: number;
  end: number;
  /** The secret's placeholder. */
  placeholder: string;
  /** The secret's length: of overlapping secrets, the longest names the whole. */
  weight: number;
}

/** Where in `text` any of the secrets appears, in any encoding, merged where they overlap. */
/**
 * A text is read in windows of this many characters: a large body never has dozens of decoded
 * copies of itself in memory at once.
 */
const WINDOW = 16 * 1024;
/** A character written in three layers of escapes (`%25F0`, `\\u00e9`) takes up to this many. */
const ENCODED_CHARACTER = 24;

/**
 * The windows of a text, each overlapping the next by twice the longest secret encoded (and a
 * little more, for an escape a window starts in the middle of): a secret that starts in one
 * window ends in it, read from a clean start.
 */
function windowsOf(text: string, longest: number): Array<[number, string]> {
  const overlap = 2 * longest * ENCODED_CHARACTER + 64;
  if (text.length <= WINDOW + overlap) return [[0, text]];
  const windows: Array<[number, string]> = [];
  for (let start = 0; start < text.length; start += WINDOW) {
    windows.push([start, text.slice(start, start + WINDOW + overlap)]);
  }
  return windows;
}

/** Where in `text` any of the secrets appears, in any encoding, merged where they overlap. */
function findSecrets(
  text: string,
  matcher: SecretMatcher,
  longest: number,
  placeholder: (secret: string) => string,
): Found[] {
  if (longest === 0 || text.length === 0) return [];
  const found: Found[] = [];
  for (const [offset, window] of windowsOf(text, longest)) {
    for (const view of viewsOf(window, true)) {
      for (const match of matcher.find(view.text)) {
        found.push({
          start: offset + (view.start ? (view.start[match.start] as number) : match.start),
          end: offset + (view.end ? (view.end[match.end - 1] as number) : match.end),
          placeholder: placeholder(match.secret),
          weight: match.secret.length,
        });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Found[] = [];
  for (const range of found) {
    const previous = merged.at(-1);
    if (previous && range.start < previous.end) {
      previous.end = Math.max(previous.end, range.end);
      if (range.weight > previous.weight) {
        previous.weight = range.weight;
        previous.placeholder = range.placeholder;
      }
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/**
 * The matcher `containsSecret` last used, and the secrets it holds: a run or a proxy asks about a
 * set that grows (and a proxy's shrinks) one secret at a time, and the matcher follows it.
 */
let last: { matcher: SecretMatcher; secrets: Set<string> } | undefined;

function matcherOf(secrets: readonly string[]): SecretMatcher {
  const wanted = new Set(secrets.filter((s) => s.length > 0));
  const previous = last?.secrets ?? new Set<string>();
  const added = [...wanted].filter((s) => !previous.has(s));
  const removed = [...previous].filter((s) => !wanted.has(s));
  if (!last || added.length + removed.length > wanted.size) {
    last = { matcher: secretMatcher(wanted), secrets: wanted };
    return last.matcher;
  }
  for (const secret of added) last.matcher.add(secret);
  for (const secret of removed) last.matcher.delete(secret);
  last.secrets = wanted;
  return last.matcher;
}

/** Whether any of the secrets appears in the text, raw or in any encoding a server may use. */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  const longest = Math.max(0, ...secrets.map((secret) => secret.length));
  if (longest === 0 || text.length === 0) return false;
  const matcher = matcherOf(secrets);
  return windowsOf(text, longest).some(([, window]) =>
    viewsOf(window, false).some((view) => matcher.find(view.text).length > 0),
  );
}

/**
 * Knows every secret of a run (the client secret, every access token the server issued or the
 * user gave, and values derived from them) and replaces each with a shell expression that
 * rebuilds it (`$MGMTKIT_CLIENT_SECRET`, `${MGMTKIT_CLIENT_SECRET%?}`) wherever it would otherwise
 * be printed. A hostile server decides how a secret it echoes is written, so every encoding is
 * found: raw, URL- and form-encoded in either hex case, JSON-escaped (`\/`, `\"`, `\\`, `\uXXXX`
 * for any character), HTML character references, and layers of these in any order; in each layer,
 * every form `@mgmtkit/spec/secrets` finds (base64, base64url, hex, split by a line break or a
 * zero-width character), the forms the SDK scrubs too.
 */
export class Redactor {
  private readonly secrets = new Map<string, string>();
  private readonly matcher = secretMatcher();
  private longest = 0;
  private readonly placeholders = new Set<string>([TOKEN_PLACEHOLDER, SECRET_PLACEHOLDER]);

  add(value: string | undefined, placeholder: string): void {
    if (!value || this.secrets.get(value) === placeholder) return;
    this.placeholders.add(placeholder);
    this.secrets.set(value, placeholder);
    this.matcher.add(value);
    this.longest = Math.max(this.longest, value.length);
  }

  /** Forgets a secret: a proxy keeps a bounded set, and forgets refused ones after their exchange. */
  delete(value: string): void {
    if (!this.secrets.delete(value)) return;
    this.matcher.delete(value);
    this.longest = 0;
    for (const secret of this.secrets.keys()) this.longest = Math.max(this.longest, secret.length);
  }

  /** How many secrets it knows. */
  get size(): number {
    return this.secrets.size;
  }

  /**
   * How long the longest secret can get once encoded: a character written in three layers of
   * escapes (`%25F0`, `\\u00e9`) takes up to this many characters of text per character.
   */
  get longestEncoding(): number {
    return this.longest * ENCODED_CHARACTER;
  }

  /** The text with every known secret, in whatever encoding, replaced by its placeholder. */
  text(input: string): string {
    // Of overlapping secrets the longest names the whole: a secret derived from another by
    // dropping a character never leaves the rest of the longer one behind.
    const found = findSecrets(
      input,
      this.matcher,
      this.longest,
      (secret) => this.secrets.get(secret) ?? TOKEN_PLACEHOLDER,
    );
    if (found.length === 0) return input;
    let out = "";
    let at = 0;
    for (const range of found) {
      out += input.slice(at, range.start) + range.placeholder;
      at = range.end;
    }
    return out + input.slice(at);
  }

  /**
   * A deep copy of a report (or a part of one) with the text that quotes the server or the client
   * redacted: the strings under QUOTING's fields. Every other string (ids, statuses, enumerations,
   * fingerprints) is copied as it is, so no verdict and no count depends on a secret's value.
   */
  value<T>(input: T, quoting = false): T {
    if (typeof input === "string") return (quoting ? this.text(input) : input) as T;
    if (Array.isArray(input)) return input.map((item) => this.value(item, quoting)) as T;
    if (input && typeof input === "object") {
      return Object.fromEntries(
        Object.entries(input).map(([key, item]) => [
          key,
          this.value(item, quoting || QUOTING.has(key)),
        ]),
      ) as T;
    }
    return input;
  }

  /** Splits redacted text into literal parts and placeholders, in order. */
  split(input: string): Array<{ text: string; placeholder: boolean }> {
    const known = [...this.placeholders].sort((a, b) => b.length - a.length);
    const parts: Array<{ text: string; placeholder: boolean }> = [];
    let rest = input;
    while (rest.length > 0) {
      let at = -1;
      let found = "";
      for (const placeholder of known) {
        const index = rest.indexOf(placeholder);
        if (index !== -1 && (at === -1 || index < at)) {
          at = index;
          found = placeholder;
        }
      }
      if (at === -1) {
        parts.push({ text: rest, placeholder: false });
        break;
      }
      if (at > 0) parts.push({ text: rest.slice(0, at), placeholder: false });
      parts.push({ text: found, placeholder: true });
      rest = rest.slice(at + found.length);
    }
    return parts;
  }
}
