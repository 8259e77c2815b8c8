// Opens every kind of deep link the site makes (scripts/deep-links.mjs: the reference's overview,
// its sections, tags and operations, and the guides' heading anchors) in Debian's Chromium and wants
// the target on screen, at the place it ends up, from the first frame that shows any content, and
// in every frame after: never the overview first, never a jump. Redoc renders a route only once its
// bundle has run; until then the page shows a tag's or an operation's landing (withLandings in
// scripts/build.mjs), or the overview Redoc pre-rendered, scrolled to the section (sectionScript).
// How long landing takes is measured by scripts/deep-links.bench.mjs, not here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Browser, launchChromium } from "@mgmtkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeepLink, deepLinks } from "../scripts/deep-links.mjs";
import { startStaticServer } from "../scripts/serve.mjs";
import { guideSlugs, redocRunning } from "./support/site-pages.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const spec = JSON.parse(readFileSync(`${dist}openapi.json`, "utf8"));
const html = readFileSync(`${dist}index.html`, "utf8");
const links = deepLinks(dist);
const overview = spec.info.title as string;
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

let browser: Browser;
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  site = await startStaticServer({ root: dist });
  browser = await launchChromium("The deep-link test");
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** One painted frame: where the target's heading is (null: not seen), and what else shows. */
type Frame = {
  top: number | null;
  overview: boolean;
  content: boolean;
  redoc: boolean;
  landing: boolean;
};
type Watched = { frames: Frame[]; done: boolean };

/**
 * Runs in the page before its scripts: after every frame notes where the target's heading is painted
 * (in view, not covered, not hidden), whether the overview's title or any heading is painted, and
 * whether Redoc has taken over (no landing, nothing hidden). Stops 60 frames after Redoc has taken
 * over, or after the target has stood still for 20 frames on a page without Redoc.
 */
function watchFrames({
  heading,
  overview,
  reference,
}: {
  heading: string;
  overview: string;
  reference: boolean;
}) {
  const watched: Watched = { frames: [], done: false };
  (window as unknown as { __watched: Watched }).__watched = watched;
  const textOf = (element: Element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      if (!node.parentElement?.closest("a, button")) text += node.textContent;
    return text.trim();
  };
  const painted = (element: Element) => {
    const box = element.getBoundingClientRect();
    if (box.height === 0 || box.bottom <= 0 || box.top >= innerHeight) return false;
    if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    // Covered when something else is on top of it there (its own parts and boxes are not).
    const hit = document.elementFromPoint(box.left + 4, Math.max(0, box.top) + 4);
    return hit !== null && (element.contains(hit) || hit.contains(element));
  };
  let still = 0;
  const frame = () => {
    const headings = [...document.querySelectorAll("h1, h2, h3")].filter(painted);
    const target = headings.find((h) =>
      heading === overview ? textOf(h).startsWith(overview) : textOf(h) === heading,
    );
    const root = document.documentElement;
    const landing = document.querySelector("body > .mgmtkit-landing") !== null;
    const redoc =
      reference &&
      !landing &&
      !root.classList.contains("mgmtkit-routing") &&
      !root.classList.contains("mgmtkit-scrolling") &&
      target?.closest("main") != null &&
      // React has rendered the page: its nodes carry React's own keys.
      Object.keys(target).some((key) => key.startsWith("__react"));
    const previous = watched.frames.at(-1);
    const top = target ? Math.round(target.getBoundingClientRect().top) : null;
    watched.frames.push({
      top,
      overview: heading !== overview && headings.some((h) => textOf(h).startsWith(overview)),
      content: headings.length > 0,
      redoc,
      landing,
    });
    still = (reference ? redoc : top !== null && previous?.top === top) ? still + 1 : 0;
    if (still >= (reference ? 60 : 20)) watched.done = true;
    else requestAnimationFrame(afterFrame);
  };
  // Sampled right after each frame is rendered (a message posted from requestAnimationFrame): a
  // sample inside requestAnimationFrame would lay out a render Redoc finishes before the frame is
  // painted (it scrolls back to its route from a ResizeObserver), and see a frame nobody sees.
  const channel = new MessageChannel();
  channel.port1.onmessage = frame;
  const afterFrame = () => channel.port2.postMessage(null);
  requestAnimationFrame(afterFrame);
}

/** Every landing the page carries: each tag's and each operation's. */
const landingHashes = links
  .filter((link) => link.kind === "tag" || link.kind === "operation")
  .map((link) => link.url.slice("index.html".length));

describe("deep links", () => {
  it("are every kind the site makes", () => {
    const kinds = new Map<string, number>();
    for (const link of links) kinds.set(link.kind, (kinds.get(link.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({
      overview: 1,
      section: expect.any(Number),
      tag: 3,
      operation: 9,
      guide: expect.any(Number),
    });
    // Every fragment a page of the site links to is one of them.
    const known = new Set(links.map((link) => link.url));
    for (const file of ["index.html", ...guideSlugs(dist).map((slug) => `guides/${slug}.html`)]) {
      const page = readFileSync(`${dist}${file}`, "utf8");
      for (const [, href] of page.matchAll(/<a\b[^>]*\bhref="([^"]*#[^"]+)"/g)) {
        const url = new URL((href as string).replaceAll("&#x27;", "'"), `http://site/${file}`);
        if (url.host !== "site") continue;
        const relative = `${url.pathname.slice(1)}${decodeURIComponent(url.hash)}`;
        // The guides' skip link goes to their main content, not to a heading.
        if (url.hash === "#content") continue;
        expect(known, `${file} links to ${href}`).toContain(relative);
      }
    }
  });

  it("to tags and operations find their landing in the served page", () => {
    for (const hash of landingHashes) {
      expect(html).toContain(`<template data-mgmtkit-landing="${hash}">`);
    }
  });

  it.each(["light", "dark"] as const)(
    "show landings axe finds no fault with, in the %s scheme",
    async (colorScheme) => {
      const context = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        colorScheme,
      });
      const page = await context.newPage();
      try {
        await page.goto(`${site.url}/index.html`, { waitUntil: "load" });
        await redocRunning(page);
        const problems: string[] = [];
        for (const hash of landingHashes) {
          // The page as a deep link shows it before Redoc has rendered the route.
          await page.evaluate((hash) => {
            for (const landing of document.querySelectorAll("body > .mgmtkit-landing"))
              landing.remove();
            document.documentElement.classList.add("mgmtkit-routing");
            const template = [
              ...document.querySelectorAll<HTMLTemplateElement>("template[data-mgmtkit-landing]"),
            ].find((t) => t.dataset.mgmtkitLanding === hash);
            if (template) document.body.append(template.content.cloneNode(true));
          }, hash);
          expect(await page.locator("body > .mgmtkit-landing h1").count()).toBe(1);
          if (!(await page.evaluate(() => "axe" in window)))
            await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global.
            const run = await (window as any).axe.run(document, { resultTypes: ["violations"] });
            return run.violations.map(
              (v: { id: string; nodes: unknown[] }) => `${v.id} (${v.nodes.length})`,
            );
          });
          problems.push(...violations.map((v: string) => `${hash}: ${v}`));
        }
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  // Every kind, each of its ends: the overview, the first two and the last section (both heading
  // levels, and the page's end), every tag, the first operation of each tag, and the first and
  // the last heading of each guide. The links of a kind are all made the same way.
  const groupOf = (link: DeepLink) =>
    link.kind === "operation"
      ? link.url.split("/")[1]
      : link.kind === "guide"
        ? link.url.split("#")[0]
        : link.kind;
  const byGroup = new Map<string | undefined, DeepLink[]>();
  for (const link of links)
    byGroup.set(groupOf(link), [...(byGroup.get(groupOf(link)) ?? []), link]);
  const sampled = [...byGroup.entries()].flatMap(([group, list]) => {
    if (group === "tag" || group === "overview") return list;
    if (group === "section") return [list[0], list[1], list.at(-1)];
    if (list[0]?.kind === "operation") return [list[0]];
    return [list[0], list.at(-1)];
  });

  it.each(
    [...new Set(sampled)].map((link) => ({
      ...(link as DeepLink),
      name: `${link?.kind} ${link?.url}`,
    })),
  )("$name shows its target in place from the first painted frame", async (link: DeepLink) => {
    const reference = link.url.startsWith("index.html");
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(30_000);
    try {
      await page.addInitScript(watchFrames, { heading: link.heading, overview, reference });
      await page.goto(`${site.url}/${link.url}`, { waitUntil: "commit" });
      await page.waitForFunction(
        () => (window as unknown as { __watched: Watched }).__watched.done,
      );
      const frames = await page.evaluate(
        () => (window as unknown as { __watched: Watched }).__watched.frames,
      );
      const shown = frames.slice(frames.findIndex((f) => f.content));
      const final = shown.at(-1)?.top;
      expect(final, "the target's heading is in view at last").not.toBeNull();
      // From the first frame with content on: the target, where it ends up, never the overview.
      expect(shown.map((f) => ({ top: f.top, overview: f.overview }))).toEqual(
        shown.map(() => ({ top: final, overview: false })),
      );
      if (reference) {
        expect(shown.at(-1)?.redoc).toBe(true);
        expect(await page.locator("body > .mgmtkit-landing").count()).toBe(0);
      }
    } finally {
      await page.close();
    }
  });
});
