/** The target of `rel="next"` in a `Link` header (RFC 8288), or undefined. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const [, target, params] of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    if (/;\s*rel\s*=\s*"?[^";,]*\bnext\b/i.test(params as string)) return target;
  }
  return undefined;
}
