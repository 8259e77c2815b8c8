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
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (" \t".includes(header[i] as string)) i++;
  };
  // Moves past the rest of a malformed link, to the comma that starts the next one.
  const skipLink = () => {
    while (i < n && header[i] !== ",") {
      if (header[i] === '"') quoted();
      else i++;
    }
  };
  const quoted = (): string => {
    let value = "";
    i++;
    while (i < n && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < n) i++;
      value += header[i++];
    }
    i++;
    return value;
  };
  while (i < n) {
    skipSpace();
    if (header[i] === ",") {
      i++;
      continue;
    }
    if (header[i] !== "<") {
      skipLink();
      continue;
    }
    const close = header.indexOf(">", i);
    if (close === -1) break;
    const link: LinkValue = { uri: header.slice(i + 1, close).trim(), rel: [], params: {} };
    i = close + 1;
    for (;;) {
      skipSpace();
      if (header[i] !== ";") break;
      i++;
      skipSpace();
      let name = "";
      while (i < n && !"=;, \t".includes(header[i] as string)) name += header[i++];
      skipSpace();
      let value = "";
      if (header[i] === "=") {
        i++;
        skipSpace();
        if (header[i] === '"') value = quoted();
        else while (i < n && !";, \t".includes(header[i] as string)) value += header[i++];
      }
      name = name.toLowerCase();
      if (name && !Object.hasOwn(link.params, name)) link.params[name] = value;
    }
    link.rel = (link.params.rel ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    links.push(link);
    skipLink();
  }
  return links;
}

/** The target of the first link whose relation types include `rel` (default `next`), if any. */
export function findLink(header: string | null | undefined, rel = "next"): string | undefined {
  if (!header) return undefined;
  return parseLinkHeader(header).find((link) => link.rel.includes(rel))?.uri;
}
