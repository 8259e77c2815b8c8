/**
 * The `Link` header of the user lists (`components.headers.Link`), read by the grammar of RFC 8288
 * section 3: `<URI-Reference>` followed by `;`-separated parameters, several links separated by
 * commas. Commas and semicolons inside `<…>` or a quoted string do not separate anything.
 */

/** One link of a `Link` header. */
export interface LinkValue {
  /** The target, as written between `<` and `>` (resolve it against the request URL). */
  uri: string;
  /** The relation types, lower-cased (`rel="next prev"` gives two). */
  rel: string[];
  /** Every parameter, names lower-cased, the first occurrence of each kept (RFC 8288 3.3). */
  params: Record<string, string>;
}

/** Every well-formed link of a `Link` header value; malformed parts are skipped. */
export function parseLinkHeader(header: string): LinkValue[] {
  const links: LinkValue[] = [];
  // One link at a time: blanks and commas, a `<target>` with its parameters, then the rest up to
  // the next comma outside a quoted string (all of a malformed link).
  const part =
    // biome-ignore lint/correctness/noEmptyCharacterClassInRegex: [^] is any character.
    /[ \t,]*(?:<([^>]*)>((?:[ \t]*;[ \t]*[^=;, \t]*[ \t]*(?:=[ \t]*(?:"(?:\\[^]|[^\\"])*\\?"?|[^;, \t]*))?)*))?(?:"(?:\\[^]|[^\\"])*\\?"?|[^,"])*/y;
  while (part.lastIndex < header.length) {
    const [, uri, params] = part.exec(header) as RegExpExecArray;
    if (uri == null) continue;
    const link: LinkValue = { uri: uri.trim(), rel: [], params: {} };
    for (const [, name, quoted, value = ""] of (params as string).matchAll(
      // biome-ignore lint/correctness/noEmptyCharacterClassInRegex: [^] is any character.
      /;[ \t]*([^=;, \t]*)[ \t]*(?:=[ \t]*(?:"((?:\\[^]|[^\\"])*\\?)"?|([^;, \t]*)))?/g,
    )) {
      const key = (name as string).toLowerCase();
      if (key && !Object.hasOwn(link.params, key)) {
        // biome-ignore lint/correctness/noEmptyCharacterClassInRegex: [^] is any character.
        link.params[key] = quoted?.replace(/\\([^])/g, "$1") ?? value;
      }
    }
    link.rel = (link.params.rel ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    links.push(link);
  }
  return links;
}

/** The target of the first link whose relation types include `rel` (default `next`), if any. */
export function findLink(header: string | null | undefined, rel = "next"): string | undefined {
  return header ? parseLinkHeader(header).find((link) => link.rel.includes(rel))?.uri : undefined;
}
