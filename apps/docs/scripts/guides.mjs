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

/** @param {string} text */
export function escapeHtml(text) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Replaces the directives of a guide: `<!-- include: path lang [name] -->` becomes a fenced block
 * with the file's content (so code shown in a guide is code that tsc checks; `name` is the file the
 * reader saves it as, which the block's caption shows), `<!-- generated: name -->`
 * becomes what that generator returns.
 * @param {string} markdown
 * @param {{ root: string, generators: Record<string, Generator>, guide: string }} options
 */
export function expandDirectives(markdown, { root, generators, guide }) {
  return markdown
    .replace(/^<!-- include: (\S+) (\S+)(?: (\S+))? -->$/gm, (_, path, lang, saveAs) => {
      const source = readFileSync(join(root, path), "utf8").trimEnd();
      const info = saveAs ? `${lang} file=${saveAs}` : lang;
      return `\`\`\`${info}\n${source}\n\`\`\``;
    })
    .replace(/^<!-- generated: (\S+) -->$/gm, (_, name) => {
      const generate = generators[name];
      if (!generate)
        throw new Error(`guides/${guide}.md asks for an unknown generated block "${name}".`);
      return generate({ root });
    });
}

/**
 * A heading's anchor: lower case, words joined by dashes, as GitHub makes them.
 * @param {string} text
 */
export function slugOf(text) {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/&[a-z]+;|&#\d+;/g, "")
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s+/g, "-");
}

/**
 * The HTML page of one guide: the navigation of the site, the guide, a copy button on each code
 * block, an anchor on each heading, and the reader's colour scheme, shared with the reference
 * (Redoc keeps it in localStorage as `redoc.colorMode`).
 * @param {{ guide: Guide, guides: Guide[], body: string, siteTitle: string }} page
 */
export function renderPage({ guide, guides, body, siteTitle }) {
  const nav = [
    `<li><a href="../index.html">API reference</a></li>`,
    ...guides.map((other) =>
      other.slug === guide.slug
        ? `<li><a href="${other.slug}.html" aria-current="page">${escapeHtml(other.title)}</a></li>`
        : `<li><a href="${other.slug}.html">${escapeHtml(other.title)}</a></li>`,
    ),
  ].join("\n          ");
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(guide.title)} · ${escapeHtml(siteTitle)}</title>
    <meta name="description" content="${escapeHtml(guide.summary)}" />
    <link rel="icon" href="data:," />
    <script>${schemeScript}</script>
    <style>${styleSheet}</style>
  </head>
  <body>
    <a class="skip" href="#content">Skip to the guide</a>
    <header>
      <nav aria-label="Documentation">
        <ul>
          ${nav}
        </ul>
      </nav>
      <button type="button" class="scheme" aria-pressed="false">Dark mode</button>
    </header>
    <script>${headerScript}</script>
    <main id="content" tabindex="-1">
${body}
    </main>
    <script>${pageScript}</script>
    <script>${fragmentScript}</script>
  </body>
</html>
`;
}

/**
 * Renders one guide's Markdown to the page's main content: headings with anchors, code blocks that
 * can be scrolled from the keyboard, a caption naming the file a block is saved as.
 * @param {string} markdown
 */
export function renderMarkdown(markdown) {
  const renderer = {
    /**
     * @this {{ parser: { parseInline: (tokens: import("marked").Token[]) => string } }}
     * @param {{ tokens: import("marked").Token[], depth: number }} heading
     * @returns {string}
     */
    heading({ tokens, depth }) {
      const inner = this.parser.parseInline(tokens);
      if (depth === 1) return `<h1>${inner}</h1>\n`;
      const id = slugOf(inner);
      return `<h${depth} id="${id}">${inner} <a class="anchor" href="#${id}" aria-label="Link to this section: ${escapeHtml(inner.replace(/<[^>]*>/g, ""))}">#</a></h${depth}>\n`;
    },
    /** @param {{ text: string, lang?: string }} code */
    code({ text, lang }) {
      const [language = "", tag = ""] = (lang ?? "").trim().split(/\s+/);
      const file = /^file=(\S+)$/.exec(tag)?.[1];
      const className = language ? ` class="language-${escapeHtml(language)}"` : "";
      const block = `<div class="code"><pre tabindex="0"><code${className}>${escapeHtml(text)}</code></pre></div>`;
      return file
        ? `<figure><figcaption><code>${escapeHtml(file)}</code></figcaption>${block}</figure>\n`
        : `${block}\n`;
    },
  };
  const html = /** @type {string} */ (
    new Marked({ gfm: true, renderer }).parse(markdown, { async: false })
  );
  // A wide table scrolls on its own on a phone; the keyboard must reach it too.
  return html
    .replaceAll(
      "<table>",
      '<div class="table" tabindex="0" role="region" aria-label="Table"><table>',
    )
    .replace(/<\/table>(?!\s*<\/div>)/g, "</table></div>");
}

// Before the page paints: the scheme the reader chose on the reference or here, else the system's.
/**
 * Right after the sticky header, before the first paint: its height (one line of links or two,
 * as the window allows) is what a heading the URL's fragment names must clear.
 */
const headerScript = `(() => {
  const header = document.querySelector("body > header");
  const fit = () => document.documentElement.style.setProperty("--header-height", header.offsetHeight + "px");
  fit();
  addEventListener("resize", fit);
})();`;

const schemeScript = `
  try {
    var chosen = localStorage.getItem("redoc.colorMode");
    var dark = chosen ? chosen === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
    document.documentElement.className = dark ? "dark" : "light";
  } catch (error) {
    document.documentElement.className = "light";
  }
  if (location.hash.length > 1) document.documentElement.classList.add("mgmtkit-scrolling");
`;

/**
 * Last, before the first paint: a heading's link (#install) scrolls the guide to the heading, as the
 * browser does on its own once it has parsed the page, which on a busy machine came a frame after
 * the guide was first painted unscrolled; the head script hides the guide until then. It runs after
 * the copy buttons are in: the browser may paint between two scripts, and buttons added after the
 * scroll made the page taller, so a heading near its end moved (272 px, then 239 px).
 */
const fragmentScript = `(() => {
  let id = location.hash.slice(1);
  try { id = decodeURIComponent(id); } catch {}
  const target = id && document.getElementById(id);
  if (target) {
    // Measuring first lays the page out: a scroll before any layout is lost.
    target.getBoundingClientRect();
    target.scrollIntoView({ block: "start", behavior: "instant" });
  }
  document.documentElement.classList.remove("mgmtkit-scrolling");
})();`;

// Copy buttons (a button before each block, never over its text) and the scheme switch.
const pageScript = `
  (function () {
    var toggle = document.querySelector("button.scheme");
    function show() {
      var dark = document.documentElement.className === "dark";
      toggle.setAttribute("aria-pressed", String(dark));
    }
    toggle.addEventListener("click", function () {
      var next = document.documentElement.className === "dark" ? "light" : "dark";
      document.documentElement.className = next;
      try { localStorage.setItem("redoc.colorMode", next); } catch (error) {}
      show();
    });
    show();
    document.querySelectorAll("div.code").forEach(function (wrapper) {
      var pre = wrapper.querySelector("pre");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the code below");
      button.addEventListener("click", function () {
        var done = function (text) {
          button.textContent = text;
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        };
        navigator.clipboard.writeText(pre.innerText).then(
          function () { done("Copied"); },
          function () { done("Select and copy"); }
        );
      });
      wrapper.insertBefore(button, pre);
    });
  })();
`;

// System fonts only: a web font would be a request to another host. Every text colour passes
// WCAG AA (4.5:1) on the backgrounds it is drawn on, in both schemes.
const styleSheet = `
  :root, html.light { color-scheme: light; --text: #1f2328; --muted: #57606a; --accent: #0b5cad; --line: #d1d9e0; --code: #f6f8fa; --bg: #ffffff; --header: #f6f8fa; --th: #eef1f4; }
  html.dark { color-scheme: dark; --text: #e6edf3; --muted: #a8b1bb; --accent: #8ab4ff; --line: #3d444d; --code: #161b22; --bg: #0d1117; --header: #161b22; --th: #1c2229; }
  * { box-sizing: border-box; }
  body { margin: 0; color: var(--text); background: var(--bg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  .skip { position: absolute; left: -999px; top: 0; }
  .skip:focus { left: 1rem; top: 0.5rem; z-index: 2; background: var(--bg); padding: 0.3rem 0.6rem; }
  header { border-bottom: 1px solid var(--line); background: var(--header); position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 1rem; padding: 0 1.5rem; }
  header nav { flex: 1; }
  nav ul { list-style: none; max-width: 60rem; margin: 0 auto; padding: 0.6rem 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.4rem; }
  nav a { color: var(--muted); text-decoration: none; font-size: 0.95rem; }
  nav a:hover, nav a[aria-current="page"] { color: var(--accent); }
  nav a[aria-current="page"] { font-weight: 600; }
  button { font: inherit; font-size: 0.85rem; color: var(--text); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 0.2rem 0.6rem; cursor: pointer; }
  button:focus-visible, a:focus-visible, pre:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
  main:focus { outline: none; }
  html.mgmtkit-scrolling main { visibility: hidden; }
  h1 { font-size: 2rem; line-height: 1.25; margin: 1rem 0; overflow-wrap: normal; }
  h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
  h3 { font-size: 1.1rem; margin-top: 1.6rem; }
  h2, h3 { scroll-margin-top: calc(var(--header-height, 5rem) + 1rem); }
  a { color: var(--accent); }
  a.anchor { text-decoration: none; color: var(--muted); font-weight: 400; opacity: 0; }
  h2:hover a.anchor, h3:hover a.anchor, a.anchor:focus { opacity: 1; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
  figure { margin: 1rem 0; }
  figcaption { font-size: 0.85rem; color: var(--muted); }
  div.code { margin: 1rem 0; display: flex; flex-direction: column; }
  div.code button.copy { align-self: flex-end; margin-bottom: 0.25rem; }
  pre { margin: 0; background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 0.9rem 1rem; overflow-x: auto; line-height: 1.45; }
  pre code { background: none; padding: 0; font-size: 0.85rem; overflow-wrap: normal; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.92rem; }
  th, td { border: 1px solid var(--line); padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
  th { background: var(--th); }
  td { overflow-wrap: break-word; }
  table.check-catalog { table-layout: fixed; }
  table.check-catalog th:nth-child(1) { width: 24%; }
  table.check-catalog th:nth-child(2) { width: 9%; }
  table.check-catalog th:nth-child(3) { width: 42%; }
  blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
  @media (max-width: 40rem) {
    header { padding: 0.2rem 1rem; position: static; align-items: flex-start; }
    nav ul { gap: 0.1rem 1rem; padding: 0.4rem 0; }
    nav a { font-size: 0.88rem; }
    h2, h3 { scroll-margin-top: 0.5rem; }
    main { padding: 1rem 1rem 3rem; }
    h1 { font-size: 1.6rem; }
    div.table { overflow-x: auto; }
    table.check-catalog { display: block; overflow: visible; }
    table.check-catalog thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table.check-catalog tbody, table.check-catalog tr, table.check-catalog td { display: block; width: auto; }
    table.check-catalog tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 0.8rem; padding: 0.4rem 0.6rem; }
    table.check-catalog td { border: 0; padding: 0.15rem 0; }
    table.check-catalog td::before { content: attr(data-label); display: block; font-size: 0.8rem; color: var(--muted); }
  }
`;
