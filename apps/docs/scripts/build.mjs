// Builds the site into dist/: the API reference rendered by `redocly build-docs` from the spec of
// @mgmtkit/spec (with the samples under samples/ added as x-codeSamples), and the guides beside it.
// Nothing in the build or in the pages reaches the internet.
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Marked } from "marked";
import postcss from "postcss";
import { loadCatalog, renderCatalog } from "./check-catalog.mjs";
import { exampleSamples, operationsOf, withCodeSamples } from "./code-samples.mjs";
import { escapeHtml, expandDirectives, renderMarkdown, renderPage, slugOf } from "./guides.mjs";
import { resolveBin, runBin } from "./package-cli.mjs";
import { findRemoteReferences } from "./remote-references.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// `--out DIR` builds elsewhere (the offline test builds beside the dist/ other tests read).
const outIndex = process.argv.indexOf("--out");
const dist = outIndex === -1 ? join(root, "dist") : resolve(process.argv[outIndex + 1] ?? "");
const require = createRequire(import.meta.url);
const siteTitle = "Management API reference";

/** The guides, in the order the navigation lists them; each is guides/<slug>.md. */
const guides = [
  { slug: "quick-start", summary: "Install @mgmtkit/sdk and make the first calls." },
  {
    slug: "conformance-in-ci",
    summary: "Run mgmtkit-contract against your own server in CI, with JUnit reports.",
  },
  { slug: "reference-server", summary: "Run mgmtkit-server: flags, seed file format, HTTPS." },
  {
    slug: "postgresql",
    summary:
      "Run several mgmtkit-server instances on one PostgreSQL database, with Docker Compose.",
  },
  {
    slug: "reports-baseline-proxy",
    summary: "The HTML report, a baseline of known failures, and the validating proxy.",
  },
  {
    slug: "check-catalog",
    summary: "Every check of the conformance suite, generated from mgmtkit-contract list.",
  },
].map((guide) => {
  const markdown = readFileSync(join(root, "guides", `${guide.slug}.md`), "utf8");
  return { ...guide, markdown, title: titleOf(markdown, guide.slug) };
});

/**
 * Assets of the page that Redoc would otherwise load from its CDN.
 * @type {Array<[remote: string, local: string]>}
 */
const cdnReplacements = [
  ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "assets/redocly-logo-full.svg"],
  ["https://cdn.redoc.ly/redoc/logo-mini.svg", "assets/redocly-logo-mini.svg"],
];

/** The JUnit excerpt of the conformance-in-ci guide, made once before the guides are built. */
let junitExample = "";

/** Blocks the guides ask for with `<!-- generated: name -->`, computed from the packages' CLIs. */
const generators = {
  "check-catalog": () => renderCatalog(loadCatalog()),
  "server-help": () => helpBlock("@mgmtkit/reference-server", "mgmtkit-server", ["--help"]),
  "contract-help": () => helpBlock("@mgmtkit/contract", "mgmtkit-contract", ["run", "--help"]),
  "junit-example": () => `\`\`\`xml\n${junitExample}\n\`\`\``,
};

/**
 * A command's help text as a fenced block.
 * @param {string} packageName @param {string} command @param {string[]} args
 */
function helpBlock(packageName, command, args) {
  return `\`\`\`text\n${runBin(packageName, command, args).stdout.trimEnd()}\n\`\`\``;
}

/** @param {string} markdown @param {string} slug */
function titleOf(markdown, slug) {
  const heading = /^# (.+)$/m.exec(markdown);
  if (!heading?.[1]) throw new Error(`guides/${slug}.md has no "# " title on a line of its own.`);
  return heading[1].trim();
}

/**
 * A real JUnit report of the suite against the reference server (started here on an in-memory
 * database), cut to its first test cases.
 */
async function junitExcerpt() {
  const { startServer } = await import("@mgmtkit/reference-server");
  const server = await startServer({ host: "127.0.0.1", port: 0, db: ":memory:", logger: false });
  const scratch = mkdtempSync(join(tmpdir(), "mgmtkit-docs-"));
  try {
    const output = join(scratch, "contract.xml");
    const cli = resolveBin("@mgmtkit/contract", "mgmtkit-contract");
    const args = ["run", "--base-url", server.url, "--client-id", server.clientId];
    /** @type {{ status: unknown, stderr: string }} */
    const result = await new Promise((done) =>
      execFile(
        process.execPath,
        [cli, ...args, "--reporter", "junit", "--output", output],
        {
          env: { ...process.env, MGMTKIT_CLIENT_SECRET: server.clientSecret, NO_COLOR: "1" },
          timeout: 60_000,
        },
        (error, _stdout, stderr) => done({ status: error ? error.code : 0, stderr }),
      ),
    );
    // Exit 1 means a check failed, which the report still shows; only exit 2 (cannot run) is fatal.
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(
        `\`mgmtkit-contract run\` exited with ${result.status}: ${result.stderr.trim()}`,
      );
    }
    if (!existsSync(output)) {
      throw new Error(
        `\`mgmtkit-contract run\` exited with ${result.status} and wrote no report: ${result.stderr.trim().slice(-4000)}`,
      );
    }
    const lines = readFileSync(output, "utf8").trimEnd().split("\n");
    let ended = 0;
    const cut = lines.findIndex(
      (line) => /<testcase\b[^>]*\/>|<\/testcase>/.test(line) && ++ended === 3,
    );
    if (cut === -1) return lines.join("\n");
    // Close the suite the excerpt stops in, and the report.
    const suiteEnd = lines.slice(cut + 1).find((line) => /^\s*<\/testsuite>\s*$/.test(line));
    const reportEnd = [...lines].reverse().find((line) => /^\s*<\/testsuites>\s*$/.test(line));
    const closing = [suiteEnd, reportEnd].filter((line) => line !== undefined);
    return [
      ...lines.slice(0, cut + 1),
      "    <!-- ... the other test cases ... -->",
      ...closing,
    ].join("\n");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await server.close();
  }
}

/**
 * Adds the guides to the spec's description, before its first section: a "Guides" section with one
 * subsection per guide (its summary and links to its own sections), which the reference shows in
 * its sidebar and finds with its search.
 * @template {{ info: { description?: string } }} T
 * @param {T} spec
 * @returns {T}
 */
function withGuideLinks(spec) {
  const list = guides
    .map((guide) => {
      const sections = [...guide.markdown.matchAll(/^## (.+)$/gm)].map(
        (match) => `[${match[1]}](guides/${guide.slug}.html#${slugOf(match[1] ?? "")})`,
      );
      return [
        `### ${guide.title}`,
        "",
        `[${guide.title}](guides/${guide.slug}.html): ${guide.summary}`,
        ...(sections.length > 0 ? ["", `Sections: ${sections.join(" · ")}.`] : []),
      ].join("\n");
    })
    .join("\n\n");
  const section = `## Guides\n\n${list}\n\n`;
  const description = spec.info.description ?? "";
  const firstSection = description.search(/^## /m);
  const withGuides =
    firstSection === -1
      ? `${description.trimEnd()}\n\n${section}`
      : `${description.slice(0, firstSection)}${section}${description.slice(firstSection)}`;
  return { ...spec, info: { ...spec.info, description: withGuides } };
}

function buildReference() {
  const specFile = require.resolve("@mgmtkit/spec/openapi.json");
  const spec = withGuideLinks(
    withCodeSamples(JSON.parse(readFileSync(specFile, "utf8")), join(root, "samples")),
  );
  const samplesByExample = exampleSamples(spec);
  const specCopy = join(dist, "openapi.json");
  writeFileSync(specCopy, `${JSON.stringify(spec, null, 2)}\n`);

  const redocly = require.resolve("@redocly/cli/bin/cli.js");
  const output = join(dist, "index.html");
  const result = spawnSync(
    process.execPath,
    [
      redocly,
      "build-docs",
      specCopy,
      "--output",
      output,
      "--inlineBundle",
      "--title",
      siteTitle,
      "--config",
      join(root, "redocly.yaml"),
      "--lint-config",
      "error",
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: "off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
        NO_COLOR: "1",
      },
    },
  );
  // Redocly prints banners on every run; its output is shown only when it fails.
  if (result.status !== 0) {
    throw new Error(
      `redocly build-docs failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }

  let html = readFileSync(output, "utf8");
  for (const [remote, local] of cdnReplacements) html = html.replaceAll(remote, local);
  mkdirSync(join(dist, "assets"), { recursive: true });
  html = withLandings(withAccessibilityRepairs(html, samplesByExample), spec);
  const { page, bundle } = withBundleAfterFirstPaint(html);
  writeFileSync(output, withUsedCustomProperties(page, bundle));
  for (const [, local] of cdnReplacements) copyFileSync(join(root, local), join(dist, local));
}

/**
 * Before the first paint: a link to a tag or an operation hides the overview (its landing stands
 * in, see withLandings); a link to a section of the overview hides it until sectionScript has
 * scrolled it to the section.
 */
const routingScript = `if (/^#\\/section\\//.test(location.hash)) document.documentElement.classList.add("mgmtkit-scrolling"); else if (/^#\\/./.test(location.hash)) document.documentElement.classList.add("mgmtkit-routing");`;

/**
 * Right after Redoc's pre-rendered overview, before the first paint: a section's link
 * (#/section/guides) scrolls the overview to the section, as Redoc does once its bundle has run
 * (it scrolls the element of data-section-id="/section/guides" to the top).
 */
const sectionScript = `(() => {
  const root = document.documentElement;
  const match = /^#(\\/section\\/.+)$/.exec(location.hash);
  let route = match?.[1];
  try { route = route && decodeURIComponent(route); } catch {}
  const target = route && [...document.querySelectorAll("[data-section-id]")].find((e) => e.dataset.sectionId === route);
  if (target) {
    // Measuring first lays the page out: a scroll before any layout is lost.
    target.getBoundingClientRect();
    target.scrollIntoView({ block: "start", behavior: "instant" });
  }
  root.classList.remove("mgmtkit-scrolling");
})();`;

/**
 * The reference page with the colours of assets/reference.css and the repairs of
 * assets/reference.js inlined (the page loads nothing from elsewhere): Redoc's theme options do not
 * reach its code tokens, method badges, landmarks or heading levels. The samples of every request
 * example go beside them as JSON, for reference.js to show the one the reader picks (Redoc shows
 * an operation's x-codeSamples whatever example is picked).
 * @param {string} html
 * @param {Record<string, unknown>} samplesByExample
 */
function withAccessibilityRepairs(html, samplesByExample) {
  const css = readFileSync(join(root, "assets", "reference.css"), "utf8");
  const js = readFileSync(join(root, "assets", "reference.js"), "utf8");
  if (!html.includes("</head>") || !html.includes("</body>")) {
    throw new Error("redocly build-docs wrote a page without </head> or </body>.");
  }
  // Functions as replacements: a "$" in the sources must stay as it is.
  return (
    html
      // No favicon: an empty one keeps the browser from asking the server for /favicon.ico.
      .replace(
        "</head>",
        () =>
          `<link rel="icon" href="data:," />\n<style>${css}</style>\n<script>${routingScript}</script>\n</head>`,
      )
      .replace(
        /<\/body>(?![\s\S]*<\/body>)/,
        () =>
          `<script type="application/json" id="mgmtkit-example-samples">${scriptJson(samplesByExample)}</script>\n<script>${js}</script>\n</body>`,
      )
  );
}

/**
 * Redoc routes by the URL's hash, which the server never sees: its pre-rendered page is always the
 * overview, and an operation's route appears only once its 2.6 MB bundle has run (one to three
 * seconds). So the page carries each operation's landing (its summary, method and path,
 * description and curl sample) as a template, and a script at the top of the body shows the one
 * the hash names before the first paint; reference.js removes it once Redoc has rendered the
 * route.
 * @param {string} html
 * A tag's link (#/users) gets a landing too: its name, description and operations.
 * @param {{ paths: Record<string, Record<string, any>>, tags?: { name: string, description?: string }[] }} spec
 */
function withLandings(html, spec) {
  const markdown = new Marked();
  const templates = operationsOf(spec).map(({ path, method, operation }) => {
    const hash = `#/${slugOf(operation.tags[0])}/${operation.operationId.toLowerCase()}`;
    const curl = operation["x-codeSamples"]?.find((/** @type {any} */ s) => s.lang === "curl");
    return [
      `<template data-mgmtkit-landing="${escapeHtml(hash)}">`,
      // A main landmark while Redoc's main is hidden; not a <main>, which the routing style hides.
      `<div class="mgmtkit-landing" role="main" aria-busy="true">`,
      `<h1>${escapeHtml(operation.summary)}</h1>`,
      `<p class="mgmtkit-landing-endpoint"><span class="mgmtkit-landing-method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></p>`,
      markdown.parse(operation.description ?? "", { async: false }),
      // Focusable from the first paint: the sample may scroll sideways.
      curl
        ? `<pre tabindex="0" role="region" aria-label="Code"><code>${escapeHtml(curl.source)}</code></pre>`
        : "",
      "</div>",
      "</template>",
    ].join("");
  });
  const tagTemplates = (spec.tags ?? []).map((tag) => {
    const hash = `#/${slugOf(tag.name)}`;
    const operations = operationsOf(spec).filter(({ operation }) => operation.tags[0] === tag.name);
    return [
      `<template data-mgmtkit-landing="${escapeHtml(hash)}">`,
      `<div class="mgmtkit-landing" role="main" aria-busy="true">`,
      `<h1>${escapeHtml(tag.name)}</h1>`,
      markdown.parse(tag.description ?? "", { async: false }),
      `<h2>Operations</h2>`,
      `<ul class="mgmtkit-landing-operations">`,
      ...operations.map(
        ({ path, method, operation }) =>
          `<li><a href="${escapeHtml(`${hash}/${operation.operationId.toLowerCase()}`)}"><span class="mgmtkit-landing-method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></a> ${escapeHtml(operation.summary)}</li>`,
      ),
      "</ul>",
      "</div>",
      "</template>",
    ].join("");
  });
  // Redoc's links to a part of an operation (#/users/listusers#users/listusers/responses) land on
  // the operation's landing, until Redoc has rendered the part.
  const show = `{ const route = location.hash.replace(/(.)#.*$/, "$1"); for (const t of document.querySelectorAll("template[data-mgmtkit-landing]")) if (t.dataset.mgmtkitLanding === route) document.body.append(t.content.cloneNode(true)); }`;
  if (!/<body>/.test(html)) throw new Error("redocly build-docs wrote a page without <body>.");
  if (!html.includes('<script type="module">')) {
    throw new Error("redocly build-docs wrote a page without its module script.");
  }
  const [start, end] = [html.indexOf('<div id="redoc">'), html.indexOf('<script type="module">')];
  if (start === -1 || end < start) throw new Error('redocly build-docs wrote no <div id="redoc">.');
  // Redoc's pre-rendered links name routes as paths (/section/guides), which the server does not
  // have: before Redoc has run, a click on one would answer 404. As hashes they work either way.
  const prerendered = html.slice(start, end).replace(/ href="\/(?!\/)/g, ' href="#/');
  return (html.slice(0, start) + prerendered + html.slice(end))
    .replace(
      "<body>",
      () => `<body>\n${[...tagTemplates, ...templates].join("\n")}\n<script>${show}</script>`,
    )
    .replace(
      '<script type="module">',
      () => `<script>${sectionScript}</script>\n<script type="module">`,
    );
}

/**
 * Redoc's module (its 2.3 MB bundle, the spec and the call that renders the page) as a file of its
 * own, started once the first frame is painted. Inline, the parser had to read it before it could
 * finish the page, and the browser ran it as soon as the page was parsed: on a busy machine the
 * first paint, and so a deep link's landing, waited for one or both (up to 0.8 s). A module script
 * from disk (file://) is blocked by Chromium: the site is meant to be served, as
 * `pnpm --filter docs run serve` does.
 * @param {string} html
 */
function withBundleAfterFirstPaint(html) {
  const open = '<script type="module">';
  const start = html.indexOf(open);
  const end = html.indexOf("</script>", start);
  if (start === -1 || end === -1) throw new Error("redocly build-docs wrote no module script.");
  const bundle = html.slice(start + open.length, end);
  const name = `assets/redoc.${createHash("sha256").update(bundle).digest("hex").slice(0, 12)}.js`;
  writeFileSync(join(dist, name), bundle);
  // A task queued from the first frame's callback runs once that frame is painted. (A page opened
  // in the background paints no frame, and starts Redoc, until it is shown.)
  const loader = `requestAnimationFrame(() => setTimeout(() => { const script = document.createElement("script"); script.type = "module"; script.src = ${JSON.stringify(name)}; document.body.append(script); }));`;
  return {
    page: `${html.slice(0, start)}<script>${loader}</script>${html.slice(end + "</script>".length)}`,
    bundle,
  };
}

/**
 * Redoc's pre-rendered styles (styled-components output) declare its whole theme as custom
 * properties on :root: 160 KB of the page's 250 KB of CSS, 2,900 properties, which the browser
 * parses and resolves before it can paint anything, while the pre-rendered page refers to about 500
 * of them. This keeps the ones the page refers to (from its other rules, reference.css, inline
 * styles and scripts, and from the properties it keeps), and drops the others, changing nothing
 * that renders.
 *
 * Redoc's bundle needs none of them: it does not take these styles over (styled-components only
 * rehydrates styles of its own version, and the CLI pre-renders with another one), and inserts its
 * whole theme again when it runs. The build fails if that stops being so.
 * @param {string} html
 * @param {string} bundle
 */
function withUsedCustomProperties(html, bundle) {
  const open = /<style data-styled="true" data-styled-version="([^"]+)">/.exec(html);
  const close = open ? html.indexOf("</style>", open.index) : -1;
  if (!open || close === -1)
    throw new Error("redocly build-docs wrote no styled-components styles.");
  const bundleVersion = /[`"']data-styled-version[`"'],\s*[\w$]+\s*=\s*[`"']([^`"']+)[`"']/.exec(
    bundle,
  )?.[1];
  if (bundleVersion === undefined || bundleVersion === open[1]) {
    throw new Error(
      `Redoc's bundle may take over the pre-rendered styles (styled-components ${bundleVersion ?? "of unknown version"} in the bundle, ${open[1]} in the page), which would keep only the custom properties the pre-rendered page uses: withUsedCustomProperties in scripts/build.mjs must keep them all.`,
    );
  }
  const sheet = postcss.parse(html.slice(open.index + open[0].length, close));
  const rest = html.slice(0, open.index) + html.slice(close);
  const referencesIn = (/** @type {string} */ value) =>
    [...value.matchAll(/var\(\s*(--[\w-]+)/g)].map((match) => /** @type {string} */ (match[1]));
  /** @type {Map<string, import("postcss").Declaration[]>} */
  const declarations = new Map();
  /** @type {string[]} */
  const pending = [];
  sheet.walkDecls((declaration) => {
    if (declaration.prop.startsWith("--")) {
      declarations.set(declaration.prop, [
        ...(declarations.get(declaration.prop) ?? []),
        declaration,
      ]);
    } else pending.push(...referencesIn(declaration.value));
  });
  // Any name the rest of the page mentions, and every name a script builds from a prefix
  // (reference.js colours tokens with `var(--code-block-tokens-${kind}-color)`).
  for (const [, name, built] of rest.matchAll(/(--[\w-]+)(\$\{)?/g)) {
    if (built)
      pending.push(...[...declarations.keys()].filter((key) => key.startsWith(name ?? "")));
    else pending.push(/** @type {string} */ (name));
  }
  const used = new Set();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (used.has(name)) continue;
    used.add(name);
    for (const declaration of declarations.get(name) ?? []) {
      pending.push(...referencesIn(declaration.value));
    }
  }
  for (const [name, list] of declarations) {
    if (!used.has(name)) for (const declaration of list) declaration.remove();
  }
  sheet.walkRules((rule) => {
    if (rule.nodes.length === 0) rule.remove();
  });
  return html.slice(0, open.index + open[0].length) + sheet.toString() + html.slice(close);
}

/**
 * JSON that cannot end the script element it stands in.
 * @param {unknown} value
 */
function scriptJson(value) {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

function buildGuides() {
  mkdirSync(join(dist, "guides"), { recursive: true });
  for (const guide of guides) {
    const markdown = readFileSync(join(root, "guides", `${guide.slug}.md`), "utf8");
    const body = renderMarkdown(
      expandDirectives(markdown, { root, generators, guide: guide.slug }),
    );
    writeFileSync(
      join(dist, "guides", `${guide.slug}.html`),
      renderPage({ guide, guides, body, siteTitle }),
    );
  }
}

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function refuseRemoteReferences() {
  const problems = filesUnder(dist)
    .filter((file) => file.endsWith(".html"))
    .flatMap((file) =>
      findRemoteReferences(readFileSync(file, "utf8")).map(
        ({ tag, attribute, url }) => `${relative(dist, file)}: <${tag} ${attribute}="${url}">`,
      ),
    );
  if (problems.length > 0) {
    throw new Error(
      `The site would load from other hosts, which breaks it offline: ${problems.join("; ")}.`,
    );
  }
}

try {
  if (outIndex !== -1 && !process.argv[outIndex + 1]) throw new Error("--out needs a folder.");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  buildReference();
  junitExample = await junitExcerpt();
  buildGuides();
  refuseRemoteReferences();
  for (const file of filesUnder(dist).sort()) {
    console.log(
      `${relative(process.cwd(), file).padEnd(40)} ${(statSync(file).size / 1024).toFixed(1).padStart(8)} KiB`,
    );
  }
} catch (error) {
  console.error(`docs build failed: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}
