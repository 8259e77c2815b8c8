/** Shell variables that stand in for secrets in reports and reproduction commands. */
export const TOKEN_PLACEHOLDER = "$MGMTKIT_TOKEN";
export const SECRET_PLACEHOLDER = "$MGMTKIT_CLIENT_SECRET";

/**
 * Knows every secret of a run (the client secret, every access token the server issued or the
 * user gave) and replaces it, raw or URL-encoded, wherever it would otherwise be printed.
 */
export class Redactor {
  private readonly secrets = new Map<string, string>();

  add(value: string | undefined, placeholder: string): void {
    if (!value) return;
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

  /** Whether a placeholder occurs in a string. */
  static hasPlaceholder(input: string): boolean {
    return input.includes(TOKEN_PLACEHOLDER) || input.includes(SECRET_PLACEHOLDER);
  }
}
