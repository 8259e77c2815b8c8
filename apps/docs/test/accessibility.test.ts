// Runs axe-core on every page of the built site (each route of the reference and each guide) at a
// desktop and a phone size, in the light and the dark scheme, and wants no violation of any impact.
// It prints one table of violations per page and saves a screenshot of each page and size under
// test-output/screenshots/ (gitignored).
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Browser, launchChromium, type Page } from "@mgmtkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsOf } from "../scripts/code-samples.mjs";
import { startStaticServer } from "../scripts/serve.mjs";
import { guideSlugs, referenceRoutes } from "./support/site-pages.js";

// DOCS_SITE names another build to measure (an older one, to compare).
const dist = process.env.DOCS_SITE
  ? `${process.env.DOCS_SITE.replace(/\/$/, "")}/`
  : fileURLToPath(new URL("../dist/", import.meta.url));
const shots = fileURLToPath(new URL("../test-output/screenshots/", import.meta.url));
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

const viewports = [
  { name: "desktop", width: 1366, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
const schemes = ["light", "dark"] as const;

type Violation = { id: string; impact: string | null; nodes: { target: unknown[] }[] };
/** page → "desktop light" → violations */
const results = new Map<string, Map<string, Violation[]>>();

let browser: Browser;
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  site = await startStaticServer({ root: dist });
  browser = await launchChromium("The accessibility test");
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  const columns = viewports.flatMap((v) => schemes.map((s) => `${v.name} ${s}`));
  const rows = [...results].map(
    ([name, byColumn]) =>
      `| ${name} | ${columns
        .map((column) => {
          const found = byColumn.get(column);
          if (!found) return "–";
          return String(found.reduce((sum, v) => sum + v.nodes.length, 0));
        })
        .join(" | ")} |`,
  );
  console.log(
    [
      "axe violations (elements) per page:",
      `| page | ${columns.join(" | ")} |`,
      `| --- | ${columns.map(() => "---").join(" | ")} |`,
      ...rows,
    ].join("\n"),
  );
});

async function audit(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window)))
    await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global.
    const axe = (window as any).axe;
    const run = await axe.run(document, { resultTypes: ["violations"] });
    return run.violations.map((v: Violation) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

function record(name: string, column: string, violations: Violation[]) {
  const byColumn = results.get(name) ?? new Map<string, Violation[]>();
  byColumn.set(column, violations);
  results.set(name, byColumn);
}

/** One line per violated rule: its id, impact and the first elements it names. */
function describeViolations(violations: Violation[]): string[] {
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes
        .slice(0, 3)
        .map((n) => JSON.stringify(n.target))
        .join(" ")}`,
  );
}

/** A heading's own text, matched whole (Redoc adds a "link to" anchor inside headings). */
function headingText(heading: string | RegExp): RegExp {
  if (heading instanceof RegExp) return heading;
  return new RegExp(`^${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}

/** Waits until the page is painted and its fonts and layout settled. */
async function settled(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((done) =>
        document.fonts.ready.then(() =>
          requestAnimationFrame(() => requestAnimationFrame(() => done())),
        ),
      ),
  );
}

const spec = JSON.parse(readFileSync(`${dist}openapi.json`, "utf8"));
const routes = referenceRoutes(spec, operationsOf(spec));
const guides = guideSlugs(dist);

describe.each(viewports.flatMap((viewport) => schemes.map((scheme) => ({ viewport, scheme }))))(
  "axe at $viewport.name size in the $scheme scheme",
  ({ viewport, scheme }) => {
    const column = `${viewport.name} ${scheme}`;

    it("finds no violation on any route of the reference", async () => {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        colorScheme: scheme,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const problems: string[] = [];
      try {
        await page.goto(`${site.url}/index.html`, { waitUntil: "load" });
        for (const route of routes) {
          // Moving between routes the way a reader does: Redoc's router follows the hash.
          await page.evaluate((hash) => {
            location.hash = hash;
          }, route.hash);
          await page
            .locator("h1, h2", { hasText: headingText(route.heading) })
            .first()
            .waitFor({ state: "visible" });
          await settled(page);
          const violations = await audit(page);
          record(`reference ${route.hash}`, column, violations);
          if (violations.length > 0)
            problems.push(
              ...describeViolations(violations).map((line) => `${route.hash}: ${line}`),
            );
          await page.screenshot({
            path: `${shots}reference-${route.hash.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "overview"}-${column.replace(" ", "-")}.png`,
          });
        }
      } finally {
        await context.close();
      }
      expect(problems).toEqual([]);
    });

    it("finds no violation on any guide", async () => {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        colorScheme: scheme,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const problems: string[] = [];
      try {
        for (const slug of guides) {
          await page.goto(`${site.url}/guides/${slug}.html`, { waitUntil: "load" });
          await settled(page);
          const violations = await audit(page);
          record(`guide ${slug}`, column, violations);
          if (violations.length > 0)
            problems.push(...describeViolations(violations).map((line) => `${slug}: ${line}`));
          await page.screenshot({
            path: `${shots}guide-${slug}-${column.replace(" ", "-")}.png`,
            fullPage: false,
          });
        }
      } finally {
        await context.close();
      }
      expect(problems).toEqual([]);
    });
  },
);
