// Opens the built site in Debian's Chromium with every request to another host blocked, as a reader
// without network would, and walks the reference and the guides.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, launchChromium, type Page } from "@mgmtkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../scripts/check-catalog.mjs";
import { operationsOf } from "../scripts/code-samples.mjs";
import { startStaticServer } from "../scripts/serve.mjs";
import { ownText, redocRunning } from "./support/site-pages.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const localHosts = new Set(["127.0.0.1", "localhost"]);

if (!existsSync(`${dist}index.html`)) {
  throw new Error("dist/index.html is missing: run `pnpm --filter docs build` before the tests.");
}

const spec = JSON.parse(readFileSync(`${dist}openapi.json`, "utf8"));
const operations = operationsOf(spec).map(({ operation }) => ({
  tag: operation.tags[0] as string,
  summary: operation.summary as string,
  operationId: operation.operationId as string,
  curl: operation["x-codeSamples"][0].source as string,
}));

let browser: Browser;
let site: { url: string; close: () => Promise<void> };
/** Every request the pages tried to send to another host, and every error they reported. */
const offHost: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(20_000);
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (localHosts.has(url.hostname)) return route.continue();
    offHost.push(url.href);
    return route.abort("blockedbyclient");
  });
  page.on("pageerror", (error) => pageErrors.push(`${path}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${path}: ${message.text()}`);
  });
  await page.goto(`${site.url}/${path}`, { waitUntil: "load" });
  if (path.startsWith("index.html")) await redocRunning(page);
  return page;
}

/** A heading whose own text is exactly `text` (Redoc prefixes headings with a "link to" anchor). */
function heading(page: Page, level: "h1" | "h2", text: string) {
  return page.locator(level, { hasText: ownText(text) });
}

/** The section of the reference that documents one operation, found by its heading. */
function operationSection(page: Page, summary: string) {
  return page
    .locator('[data-item-kind="httpItem"]')
    .filter({ has: heading(page, "h2", summary) })
    .first();
}

beforeAll(async () => {
  site = await startStaticServer({ root: dist });
  browser = await launchChromium("The docs test");
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe("the API reference", () => {
  it("shows every operation with its summary and its curl sample, reached from the sidebar", async () => {
    const page = await openPage("index.html");
    const sidebar = page.locator('[data-component-name="Menu/Menu"]').first();
    await sidebar.waitFor();
    for (const operation of operations) {
      const entry = sidebar.getByText(operation.summary, { exact: true });
      if (!(await entry.isVisible()))
        await sidebar.getByText(operation.tag, { exact: true }).click();
      await entry.click();
      const section = operationSection(page, operation.summary);
      await heading(page, "h2", operation.summary).first().waitFor({ state: "visible" });
      const firstCommand =
        operation.curl.split("\n").find((line) => line.startsWith("curl ")) ?? "";
      const sample = section
        .locator('[data-component-name="CodeBlock/CodeBlock"]')
        .filter({ hasText: firstCommand })
        .first();
      await sample.waitFor({ state: "visible" });
      expect(await sample.textContent()).toContain(firstCommand);
    }
    await page.close();
  });

  it("switches an operation's sample to TypeScript with @mgmtkit/sdk", async () => {
    const page = await openPage("index.html");
    const createConnection = operations.find((o) => o.operationId === "createConnection");
    if (!createConnection) throw new Error("The spec has no createConnection operation.");
    await page
      .locator('[data-component-name="Menu/Menu"]')
      .getByText(createConnection.tag, { exact: true })
      .click();
    await page.getByText(createConnection.summary, { exact: true }).first().click();
    const section = operationSection(page, createConnection.summary);
    await section
      .locator('[data-component-name="Dropdown/Dropdown"] button', { hasText: /^curl$/ })
      .click();
    await page.getByRole("menuitem", { name: "TypeScript (@mgmtkit/sdk)", exact: true }).click();
    const sample = section
      .locator('[data-component-name="CodeBlock/CodeBlock"]')
      .filter({ hasText: "createManagementClient" })
      .first();
    await sample.waitFor({ state: "visible" });
    expect(await sample.textContent()).toContain('from "@mgmtkit/sdk"');
    await page.screenshot({ path: `${dist}screenshot.png` });
    await page.close();
  });

  it("finds operations with its search, offline", async () => {
    const page = await openPage("index.html");
    await page.getByText("Search", { exact: false }).first().click();
    await page.getByRole("textbox", { name: "Search docs..." }).fill("social");
    await page.locator('a[href="#/users/listsocialconnectionusers"]').first().click();
    await heading(page, "h2", "List the users of social connections")
      .first()
      .waitFor({ state: "visible" });
    await page.close();
  });

  it("has Redoc's whole theme once Redoc runs, though the page carries only the custom properties its pre-rendered part uses", async () => {
    const page = await openPage("index.html");
    // The build keeps the page's own styles (data-styled="true") to what the pre-rendered page
    // uses; Redoc's bundle inserts its theme in a style element of its own (data-styled="active").
    const { carried, inserted, defined } = await page.evaluate(() => {
      const rootProperties = (selector: string) =>
        [...document.querySelectorAll<HTMLStyleElement>(selector)].flatMap((style) =>
          [...(style.sheet?.cssRules ?? [])].flatMap((rule) =>
            rule instanceof CSSStyleRule && rule.selectorText === ":root"
              ? [...rule.style].filter((name) => name.startsWith("--"))
              : [],
          ),
        );
      const computed = getComputedStyle(document.documentElement);
      return {
        carried: rootProperties('style[data-styled="true"]'),
        inserted: rootProperties('style[data-styled="active"]'),
        defined: [...computed].filter((name) => name.startsWith("--")),
      };
    });
    expect(carried.length).toBeGreaterThan(0);
    expect(inserted.length).toBeGreaterThan(carried.length * 2);
    expect(inserted.filter((name) => !defined.includes(name))).toEqual([]);
    await page.close();
  });

  it("lists the guides in its sidebar and finds their text with its search", async () => {
    const page = await openPage("index.html");
    const sidebar = page.locator('[data-component-name="Menu/Menu"]').first();
    await sidebar.getByText("Several instances on PostgreSQL", { exact: true }).click();
    await page.waitForURL(/#\/section\/several-instances-on-postgresql$/);
    await page.getByText("Search", { exact: false }).first().click();
    await page.getByRole("textbox", { name: "Search docs..." }).fill("PostgreSQL");
    await page
      .locator('[data-component-name="Search/SearchItem"]', { hasText: "Several instances on" })
      .first()
      .waitFor();
    await page.close();
  });

  it("links to every guide, and each guide opens", async () => {
    const page = await openPage("index.html");
    const guideLinks = page.locator('a[href^="guides/"]');
    await guideLinks.first().waitFor();
    const hrefs = [
      ...new Set(
        await guideLinks.evaluateAll((links) =>
          links.map((link) => (link.getAttribute("href") ?? "").replace(/#.*$/, "")),
        ),
      ),
    ];
    expect(hrefs).toEqual([
      "guides/quick-start.html",
      "guides/conformance-in-ci.html",
      "guides/reference-server.html",
      "guides/postgresql.html",
      "guides/reports-baseline-proxy.html",
      "guides/check-catalog.html",
    ]);
    await guideLinks.first().click();
    await page.waitForURL(/guides\/quick-start\.html$/);
    await heading(page, "h1", "Quick start with the SDK").waitFor();
    for (const href of hrefs.slice(1)) {
      await page.goto(`${site.url}/${href}`, { waitUntil: "load" });
      const title = page.getByRole("heading", { level: 1 });
      await title.waitFor();
      expect((await title.textContent())?.trim()).not.toBe("");
    }
    await page.close();
  });
});

describe("the guides", () => {
  it("link back into the reference, each link landing on its operation", async () => {
    const page = await openPage("guides/quick-start.html");
    const links = await page
      .locator('a[href^="../index.html#/"]')
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ href: a.getAttribute("href") ?? "", text: a.textContent ?? "" })),
      );
    expect(links.length).toBe(operations.length - 1);
    for (const link of links) {
      await page.goto(new URL(link.href, `${site.url}/guides/quick-start.html`).href, {
        waitUntil: "load",
      });
      await operationSection(page, link.text).waitFor();
      await heading(page, "h2", link.text).first().waitFor({ state: "visible" });
    }
    await page.close();
  });

  it("list every check of the suite in the catalog, as mgmtkit-contract list prints them", async () => {
    const catalog = loadCatalog();
    const page = await openPage("guides/check-catalog.html");
    const rows = page.locator("table.check-catalog tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(catalog.length);
    for (const check of catalog) {
      const row = page.locator(`tr[id="${check.id}"]`);
      expect(await row.isVisible()).toBe(true);
      expect(await row.textContent()).toContain(check.title);
    }
    await page.close();
  });

  it("show the commands' flags and a JUnit report, generated at build time", async () => {
    const server = await openPage("guides/reference-server.html");
    expect(await server.locator("pre").filter({ hasText: "--tls-cert" }).count()).toBeGreaterThan(
      0,
    );
    await server.close();
    const ci = await openPage("guides/conformance-in-ci.html");
    expect(await ci.locator("pre").filter({ hasText: "<testcase" }).count()).toBeGreaterThan(0);
    expect(await ci.locator("pre").filter({ hasText: "--timeout-ms" }).count()).toBeGreaterThan(0);
    await ci.close();
  });
});

describe("offline", () => {
  it("no page asked for anything from another host, and none reported an error", () => {
    expect(offHost).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
