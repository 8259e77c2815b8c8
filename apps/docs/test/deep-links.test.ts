// Opens deep links into the reference (each operation's route, as the guides link them) in Debian's
// Chromium and wants the target on screen from the first frame that shows any content: never the
// overview first. Redoc renders a route only once its bundle has run; the page carries each
// operation's landing for that time (withLandings in scripts/build.mjs). How long landing takes is
// measured by scripts/deep-links.bench.mjs, not here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Browser, launchChromium } from "@mgmtkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsOf } from "../scripts/code-samples.mjs";
import { startStaticServer } from "../scripts/serve.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const spec = JSON.parse(readFileSync(`${dist}openapi.json`, "utf8"));
const html = readFileSync(`${dist}index.html`, "utf8");
const routes = operationsOf(spec).map(({ operation }) => ({
  hash: `#/${(operation.tags[0] as string).toLowerCase()}/${(operation.operationId as string).toLowerCase()}`,
  heading: operation.summary as string,
}));
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

type Frame = { target: "landing" | "redoc" | null; overview: boolean };

/**
 * Runs in the page before its scripts: on every frame until Redoc's own heading is in view, notes
 * whether the target's heading (the landing's, or Redoc's in main) and the overview's are painted
 * in view.
 */
function watchFrames({ heading, overview }: { heading: string; overview: string }) {
  const frames: Frame[] = [];
  (window as unknown as { __frames: Frame[] }).__frames = frames;
  const inView = (element: Element) => {
    const box = element.getBoundingClientRect();
    return (
      box.height > 0 &&
      box.bottom > 0 &&
      box.top < innerHeight &&
      element.checkVisibility({ opacityProperty: true, visibilityProperty: true })
    );
  };
  const ownText = (element: Element) =>
    [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join("")
      .trim();
  const frame = () => {
    const headings = [...document.querySelectorAll("h1, h2")].filter(inView);
    const target = headings.find((h) => ownText(h) === heading);
    frames.push({
      target: target ? (target.closest("main") ? "redoc" : "landing") : null,
      overview: headings.some((h) => ownText(h).startsWith(overview)),
    });
    if (frames.at(-1)?.target !== "redoc") requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

describe("deep links into the reference", () => {
  it("carry every operation's landing in the served page", () => {
    expect(routes).toHaveLength(9);
    for (const route of routes) {
      expect(html).toContain(`<template data-mgmtkit-landing="${route.hash}">`);
      expect(html).toContain(`<h1>${route.heading}</h1>`);
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
        const problems: string[] = [];
        for (const route of routes) {
          // The page as a deep link shows it before Redoc has rendered the route.
          await page.evaluate((hash) => {
            for (const landing of document.querySelectorAll("body > .mgmtkit-landing"))
              landing.remove();
            document.documentElement.classList.add("mgmtkit-routing");
            const template = [
              ...document.querySelectorAll<HTMLTemplateElement>("template[data-mgmtkit-landing]"),
            ].find((t) => t.dataset.mgmtkitLanding === hash);
            if (template) document.body.append(template.content.cloneNode(true));
          }, route.hash);
          expect(await page.locator("body > .mgmtkit-landing h1").textContent()).toBe(
            route.heading,
          );
          if (!(await page.evaluate(() => "axe" in window)))
            await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global.
            const run = await (window as any).axe.run(document, { resultTypes: ["violations"] });
            return run.violations.map(
              (v: { id: string; nodes: unknown[] }) => `${v.id} (${v.nodes.length})`,
            );
          });
          problems.push(...violations.map((v: string) => `${route.hash}: ${v}`));
        }
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  // One route of each tag in the browser: every route is built the same way.
  const sampled = routes.filter(
    (route, i) => routes.findIndex((r) => r.hash.split("/")[1] === route.hash.split("/")[1]) === i,
  );

  it.each(sampled)(
    "$hash shows its target from the first painted frame, then Redoc's",
    async (route) => {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      page.setDefaultTimeout(30_000);
      try {
        await page.addInitScript(watchFrames, { heading: route.heading, overview });
        await page.goto(`${site.url}/index.html${route.hash}`, { waitUntil: "commit" });
        await page.waitForFunction(
          () => (window as unknown as { __frames: Frame[] }).__frames.at(-1)?.target === "redoc",
        );
        const frames = await page.evaluate(
          () => (window as unknown as { __frames: Frame[] }).__frames,
        );
        const painted = frames.filter((f) => f.target !== null || f.overview);
        // The first frame with content shows the target, from the page as served.
        expect(painted[0]).toEqual({ target: "landing", overview: false });
        // The overview never shows, and the landing gives way to Redoc's route.
        expect(frames.filter((f) => f.overview)).toEqual([]);
        expect(await page.locator("body > .mgmtkit-landing").count()).toBe(0);
      } finally {
        await page.close();
      }
    },
  );
});
