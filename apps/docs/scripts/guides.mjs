// Renders the Markdown guides under guides/ into standalone HTML pages beside the reference. The
// pages carry their own style sheet and load nothing from elsewhere.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Marked } from "marked";

/**
 * @typedef {{ slug: string, title: string, summary: string }} Guide
 * @typedef {(context: { root: string }) => string} Generator Returns Markdown (or HTML) to put in
 *   place of a `<!-- generated: name -->` line.
 */

const marked = new Marked({ gfm: true });

/** @param {string} text */
export function escapeHtml(text) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Replaces the directives of a guide: `<!-- include: path lang -->` becomes a fenced block with the
 * file's content (so code shown in a guide is code that tsc checks), `<!-- generated: name -->`
 * becomes what that generator returns.
 * @param {string} markdown
 * @param {{ root: string, generators: Record<string, Generator>, guide: string }} options
 */
export function expandDirectives(markdown, { root, generators, guide }) {
  return markdown
    .replace(/^<!-- include: (\S+) (\S+) -->$/gm, (_, path, lang) => {
      const source = readFileSync(join(root, path), "utf8").trimEnd();
      return `\`\`\`${lang}\n${source}\n\`\`\``;
    })
    .replace(/^<!-- generated: (\S+) -->$/gm, (_, name) => {
      const generate = generators[name];
      if (!generate)
        throw new Error(`guides/${guide}.md asks for an unknown generated block "${name}".`);
      return generate({ root });
    });
}

/**
 * The HTML page of one guide.
 * @param {{ guide: Guide, guides: Guide[], body: string, siteTitle: string }} page
 */
export function renderPage({ guide, guides, body, siteTitle }) {
  const nav = [
    `<a href="../index.html">API reference</a>`,
    ...guides.map((other) =>
      other.slug === guide.slug
        ? `<a href="${other.slug}.html" aria-current="page">${escapeHtml(other.title)}</a>`
        : `<a href="${other.slug}.html">${escapeHtml(other.title)}</a>`,
    ),
  ].join("\n        ");
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(guide.title)} · ${escapeHtml(siteTitle)}</title>
    <meta name="description" content="${escapeHtml(guide.summary)}" />
    <style>${styleSheet}</style>
  </head>
  <body>
    <header>
      <nav aria-label="Documentation">
        ${nav}
      </nav>
    </header>
    <main>
${body}
    </main>
  </body>
</html>
`;
}

/**
 * Renders one guide's Markdown to the page's main content.
 * @param {string} markdown
 */
export function renderMarkdown(markdown) {
  return /** @type {string} */ (marked.parse(markdown, { async: false }));
}

// System fonts only: a web font would be a request to another host.
const styleSheet = `
  :root { color-scheme: light; --text: #1f2328; --muted: #59636e; --accent: #0b5cad; --line: #d1d9e0; --code: #f6f8fa; }
  * { box-sizing: border-box; }
  body { margin: 0; color: var(--text); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  header { border-bottom: 1px solid var(--line); background: #fafbfc; position: sticky; top: 0; }
  nav { max-width: 60rem; margin: 0 auto; padding: 0.6rem 1.5rem; display: flex; flex-wrap: wrap; gap: 0.4rem 1.4rem; }
  nav a { color: var(--muted); text-decoration: none; font-size: 0.95rem; }
  nav a:hover, nav a[aria-current="page"] { color: var(--accent); }
  nav a[aria-current="page"] { font-weight: 600; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
  h1 { font-size: 2rem; line-height: 1.25; margin: 1rem 0; }
  h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
  h3 { font-size: 1.1rem; margin-top: 1.6rem; }
  a { color: var(--accent); }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; }
  pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 0.9rem 1rem; overflow-x: auto; line-height: 1.45; }
  pre code { background: none; padding: 0; font-size: 0.85rem; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.92rem; }
  th, td { border: 1px solid var(--line); padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
  th { background: #f3f5f7; }
  td { overflow-wrap: anywhere; }
  table.check-catalog { table-layout: fixed; }
  table.check-catalog th:nth-child(1) { width: 24%; }
  table.check-catalog th:nth-child(2) { width: 9%; }
  table.check-catalog th:nth-child(3) { width: 42%; }
  blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
`;
