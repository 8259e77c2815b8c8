// Runs axe-core on every page of the built site (each route of the reference and each guide) at a
// desktop and a phone size, in the light and the dark scheme, and wants no violation of any impact.
// It prints one table of violations per page and saves a screenshot of each page and size under
// test-output/screenshots/ (gitignored).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, launchChromium, type Page } from "@mgmtkit/chromium";
import { startServer } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBin } from "../scripts/package-cli.mjs";
import { startStaticServer } from "../scripts/serve.mjs";
import { guideSlugs, ownText, redocRunning, referenceRoutes } from "./support/site-pages.js";

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

/** The HTML report of the conformance suite, from a real run against a server with one broken route. */
let report: { url: string; close: () => Promise<void> } | undefined;
const reportDir = mkdtempSync(join(tmpdir(), "mgmtkit-docs-report-"));

/**
 * Runs `mgmtkit-contract run --reporter html` against the reference server behind a front that
 * answers 500 to every create, so the report holds failures, reproductions and a 5xx in its matrix.
 */
async function writeReport(): Promise<void> {
  const server = await startServer({ port: 0, db: ":memory:", logger: false });
  const target = new URL(server.url);
  const front = createServer((incoming, outgoing) => {
    if (incoming.method === "POST" && incoming.url?.startsWith("/api/connections")) {
      incoming.resume();
      outgoing.writeHead(500, { "content-type": "application/json" });
      outgoing.end(JSON.stringify({ message: "Something broke." }));
      return;
    }
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((done) => front.listen(0, "127.0.0.1", done));
  const address = front.address();
  if (address === null || typeof address === "string") throw new Error("No TCP address.");
  try {
    const cli = resolveBin("@mgmtkit/contract", "mgmtkit-contract");
    const args = [
      "run",
      "--base-url",
      `http://127.0.0.1:${address.port}`,
      "--client-id",
      server.clientId,
    ];
    const code = await new Promise<number>((done) =>
      execFile(
        process.execPath,
        [cli, ...args, "--reporter", "html", "--output", join(reportDir, "report.html")],
        {
          env: { ...process.env, MGMTKIT_CLIENT_SECRET: server.clientSecret, NO_COLOR: "1" },
          timeout: 120_000,
        },
        (error) => done(error ? Number(error.code) : 0),
      ),
    );
    // 1: the broken route failed checks, which is what the report must show.
    expect(code).toBe(1);
  } finally {
    await new Promise((done) => front.close(done));
    await server.close();
  }
}

beforeAll(async () => {
  site = await startStaticServer({ root: dist });
  browser = await launchChromium("The accessibility test");
  mkdirSync(shots, { recursive: true });
  await writeReport();
  report = await startStaticServer({ root: reportDir });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await report?.close();
  rmSync(reportDir, { recursive: true, force: true });
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

/**
 * Audits the page once it has settled: painted, fonts in, and its DOM still for two frames (the
 * site's script repairs headings, landmarks and names in the frame after Redoc changes the page,
 * so an audit in between would judge Redoc's own markup). Stillness for two frames is no proof
 * that the page is done: on a busy machine React can still be rendering, and commit after the
 * audit began. So the DOM is watched through the audit, and an audit of a page that changed is
 * done again, up to four times; the last one stands. Each wait for stillness is bounded at 5 s.
 */
async function settledAudit(page: Page): Promise<Violation[]> {
  let violations: Violation[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    await settled(page);
    violations = await audit(page);
    const changed = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the watch is a property settled() left on window.
      const watch = (window as any).__mgmtkitWatch as {
        changed: boolean;
        observer: MutationObserver;
      };
      watch.observer.disconnect();
      return watch.changed;
    });
    if (!changed) break;
  }
  return violations;
}

/**
 * Waits for stillness (see settledAudit). The observer that measured it stays on window as the
 * watch: from the last still frame on, it notes any change.
 */
async function settled(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        let still = 0;
        const watch = {
          changed: true,
          observer: new MutationObserver(() => {
            watch.changed = true;
          }),
        };
        // The mutations that make the site's script repair the page (see assets/reference.js).
        watch.observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributeFilter: ["aria-label"],
        });
        // biome-ignore lint/suspicious/noExplicitAny: read back by settledAudit().
        (window as any).__mgmtkitWatch = watch;
        const deadline = performance.now() + 5000;
        const frame = () => {
          still = watch.changed ? 0 : still + 1;
          watch.changed = false;
          if (still >= 2 || performance.now() > deadline) done();
          else requestAnimationFrame(frame);
        };
        document.fonts.ready.then(() => requestAnimationFrame(frame));
      }),
  );
}

const spec = JSON.parse(readFileSync(`${dist}openapi.json`, "utf8"));
const routes = referenceRoutes(spec);
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
        await redocRunning(page);
        for (const route of routes) {
          // Moving between routes the way a reader does: Redoc's router follows the hash.
          await page.evaluate((hash) => {
            location.hash = hash;
          }, route.hash);
          await page
            .locator("h1, h2, h3", { hasText: ownText(route.heading) })
            .first()
            .waitFor({ state: "visible" });
          const violations = await settledAudit(page);
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

    it("finds no violation in the HTML report of the conformance suite", async () => {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        colorScheme: scheme,
        // The report's Content-Security-Policy admits its own script only; axe is added to it.
        bypassCSP: true,
      });
      const page = await context.newPage();
      try {
        await page.goto(`${report?.url}/report.html`, { waitUntil: "load" });
        const violations = await settledAudit(page);
        record("contract HTML report", column, violations);
        await page.screenshot({ path: `${shots}contract-report-${column.replace(" ", "-")}.png` });
        expect(describeViolations(violations)).toEqual([]);
      } finally {
        await context.close();
      }
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
          const violations = await settledAudit(page);
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
