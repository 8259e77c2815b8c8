/** Shell variables that stand in for secrets in reports and reproduction commands. */
export const TOKEN_PLACEHOLDER = "$MGMTKIT_TOKEN";
export const SECRET_PLACEHOLDER = "$MGMTKIT_CLIENT_SECRET";

/**
 * Knows every secret of a run (the client secret, every access token the server issued or the
 * user gave, and values derived from them) and replaces each, raw or URL-encoded, with a shell
 * expression that rebuilds it (`$MGMTKIT_CLIENT_SECRET`, `${MGMTKIT_CLIENT_SECRET%?}`) wherever
 * it would otherwise be printed.
 */
export class Redactor {
  private readonly secrets = new Map<string, string>();
  private readonly placeholders = new Set<string>([TOKEN_PLACEHOLDER, SECRET_PLACEHOLDER]);

  add(value: string | undefined, placeholder: string): void {
    if (!value) return;
    this.placeholders.add(placeholder);
    for (const form of new Set([
      value,
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
    ])) {
      this.secrets.set(form, placeholder);
    }
  }

  /** The text with every known secret replaced by its placeholder. */
  text(input: string): string {
    let out = input;
    // Longest first, so that an encoded form never leaves half of a raw one behind.
    const entries = [...this.secrets.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [secret, placeholder] of entries) out = out.split(secret).join(placeholder);
    return out;
  }

  /** A deep copy of a JSON-like value with every string redacted. */
  value<T>(input: T): T {
    if (typeof input === "string") return this.text(input) as T;
    if (Array.isArray(input)) return input.map((item) => this.value(item)) as T;
    if (input && typeof input === "object") {
      return Object.fromEntries(
        Object.entries(input).map(([key, item]) => [key, this.value(item)]),
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
