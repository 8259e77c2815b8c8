// Measures how long a deep link into the reference takes to land: from the start of the navigation
// to the first frame in which the target's heading is painted in view (and the overview is not
// shown instead), in Debian's Chromium, over each operation's route. Prints the median and the
// slowest per route and over all; `pnpm --filter docs run bench` (after a build). A benchmark, not a
// test: it fails on nothing but a route that never lands.
// DOCS_SITE names another build to measure (an older one, to compare).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchChromium } from "@mgmtkit/chromium";
import { operationsOf } from "./code-samples.mjs";
import { startStaticServer } from "./serve.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
const dist = process.env.DOCS_SITE ?? fileURLToPath(new URL("../dist/", import.meta.url));
const spec = JSON.parse(readFileSync(`${dist}/openapi.json`, "utf8"));
const routes = operationsOf(spec).map(({ operation }) => ({
  hash: `#/${operation.tags[0].toLowerCase()}/${operation.operationId.toLowerCase()}`,
  heading: operation.summary,
}));

/**
 * Runs in the page before its own scripts: on every frame, is the heading in view and painted?
 * Records the first such frame's time since the navigation started.
 * @param {string} heading
 */
function watchLanding(heading) {
  const seen = () => {
    for (const element of document.querySelectorAll("h1, h2")) {
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent)
        .join("")
        .trim();
      if (own !== heading) continue;
      const box = element.getBoundingClientRect();
      if (box.height === 0 || box.bottom <= 0 || box.top >= innerHeight) continue;
      if (element.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) === false)
        continue;
      return true;
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
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const site = await startStaticServer({ root: dist });
const browser = await launchChromium("The deep-link benchmark");
/** @type {number[]} */
const all = [];
try {
  console.log(`deep link to landed (ms), ${runs} runs each, ${site.url}`);
  for (const route of routes) {
    /** @type {number[]} */
    const times = [];
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await page.addInitScript(watchLanding, route.heading);
      await page.goto(`${site.url}/index.html${route.hash}`, { waitUntil: "commit" });
      await page.waitForFunction(() => "__landed" in window, null, { timeout: 30_000 });
      times.push(await page.evaluate(() => Math.round(/** @type {any} */ (window).__landed)));
      await page.close();
    }
    all.push(...times);
    console.log(
      `${route.hash.padEnd(40)} median ${String(median(times)).padStart(5)}  max ${String(Math.max(...times)).padStart(5)}`,
    );
  }
  console.log(
    `${"all routes".padEnd(40)} median ${String(median(all)).padStart(5)}  max ${String(Math.max(...all)).padStart(5)}`,
  );
} finally {
  await browser.close();
  await site.close();
}
