// Measures how long a deep link takes to land: from the start of the navigation to the first frame
// in which the target's heading is painted in view, near the top of the window (or the page scrolled
// to its end) and not covered by
// anything, in Debian's Chromium, over every deep link the site makes (scripts/deep-links.mjs:
// the reference's overview, sections, tags and operations, and the guides' heading anchors).
// Prints the median and the slowest per link, per kind and over all;
// `pnpm --filter docs run bench [-- --runs N --only REGEX]` (after a build). A benchmark, not a test: it fails on
// nothing but a link that never lands.
// DOCS_SITE names another build to measure (an older one, to compare).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchChromium } from "@mgmtkit/chromium";
import { deepLinks } from "./deep-links.mjs";
import { startStaticServer } from "./serve.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, only: { type: "string" } },
});
const runs = Number(values.runs);
const dist = process.env.DOCS_SITE ?? fileURLToPath(new URL("../dist/", import.meta.url));
// --only REGEX measures the links whose kind and URL ("tag index.html#/users") match.
const only = values.only === undefined ? undefined : new RegExp(values.only);
const links = deepLinks(dist).filter((link) => !only || only.test(`${link.kind} ${link.url}`));

/**
 * Runs in the page before its own scripts: on every frame, is the heading painted in view, in the
 * top third of the window, and the element the reader sees there? Records the first such frame's
 * time since the navigation started.
 * @param {{ heading: string, prefix: boolean }} target
 */
function watchLanding({ heading, prefix }) {
  const seen = () => {
    for (const element of document.querySelectorAll("h1, h2, h3")) {
      // The heading's text, without that of its links and buttons ("#", "Copy").
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let own = "";
      for (let node = walker.nextNode(); node; node = walker.nextNode())
        if (!node.parentElement?.closest("a, button")) own += node.textContent;
      own = own.trim();
      if (prefix ? !own.startsWith(heading) : own !== heading) continue;
      const box = element.getBoundingClientRect();
      // Near the top, or as near as the page can scroll it.
      const bottom = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
      if (box.height === 0 || box.top < 0 || box.top >= (bottom ? innerHeight : innerHeight / 3))
        continue;
      const hit = document.elementFromPoint(box.left + 4, box.top + box.height / 2);
      if (hit && (element.contains(hit) || hit.contains(element))) return true;
    }
    return false;
  };
  const frame = () => {
    if (seen()) /** @type {any} */ (window).__landed = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

const median = (/** @type {number[]} */ list) =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
const line = (/** @type {string} */ name, /** @type {number[]} */ times) =>
  `${name.padEnd(72)} median ${String(median(times)).padStart(5)}  max ${String(Math.max(...times)).padStart(5)}`;

const site = await startStaticServer({ root: dist });
const browser = await launchChromium("The deep-link benchmark");
/** @type {Map<string, number[]>} */
const byKind = new Map();
try {
  console.log(`deep link to landed (ms), ${runs} runs each, ${site.url}`);
  for (const link of links) {
    /** @type {number[]} */
    const times = [];
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await page.addInitScript(watchLanding, {
        heading: link.heading,
        prefix: link.kind === "overview",
      });
      await page.goto(`${site.url}/${link.url}`, { waitUntil: "commit" });
      await page.waitForFunction(() => "__landed" in window, null, { timeout: 30_000 });
      times.push(await page.evaluate(() => Math.round(/** @type {any} */ (window).__landed)));
      await page.close();
    }
    byKind.set(link.kind, [...(byKind.get(link.kind) ?? []), ...times]);
    console.log(line(`${link.kind} ${link.url}`, times));
  }
  for (const [kind, times] of byKind) console.log(line(`all ${kind} links`, times));
  console.log(line("all links", [...byKind.values()].flat()));
} finally {
  await browser.close();
  await site.close();
}
