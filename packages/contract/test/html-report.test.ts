// Opens the HTML report of a real run in Debian's Chromium, on a laptop and on a phone, and leaves
// screenshots in test-output/html-report/ (git-ignored) for a person to look at.
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, launchChromium, type Page } from "@mgmtkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlReport } from "../src/reporters/html.js";
import type { SuiteReport } from "../src/types.js";
import { judge } from "./harness/judge.js";

const output = fileURLToPath(new URL("../test-output/html-report/", import.meta.url));

let browser: Browser;
let report: SuiteReport;
let file: string;
/** A server the hostile body points images and beacons at: it must never be asked anything. */
let beacon: { url: string; hits: string[]; close(): Promise<void> };

beforeAll(async () => {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  beacon = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  // A server that answers Accept: application/xml with an HTML page written to attack the report.
  const hostile = `<script>window.pwned = true</script><img src="${beacon.url}/img" onerror="window.pwned = true"><style>body{display:none}</style><link rel="stylesheet" href="${beacon.url}/css">`;
  const judged = await judge(["document", "token.form", "users.list"], {
    request: (req) =>
      String(req.headers.accept).includes("xml")
        ? { status: 406, raw: hostile, headers: { "content-type": "text/html" } }
        : undefined,
  });
  report = judged.report;
  mkdirSync(output, { recursive: true });
  file = `${output}report.html`;
  writeFileSync(file, htmlReport(report));
  browser = await launchChromium("The HTML report test");
});

afterAll(async () => {
  await browser?.close();
  await beacon?.close();
});

/** Opens the report, recording every request the page makes and every error it reports. */
async function open(viewport: { width: number; height: number }) {
  const page: Page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).toString());
  return { page, requests, errors };
}

const visibleChecks = (page: Page) =>
  page
    .locator("details.check")
    .evaluateAll((all) =>
      all
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => `${el.classList.contains("failed") ? "failed" : "other"} ${el.id}`),
    );

describe("the HTML report in Chromium", () => {
  it("opens offline, runs only its own script, and no markup of the server's", async () => {
    const { page, requests, errors } = await open({ width: 1280, height: 900 });
    expect(requests).toEqual([pathToFileURL(file).toString()]);
    expect(errors).toEqual([]);
    expect(beacon.hits).toEqual([]);
    expect(await page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
    expect(await page.locator("main img, main link, main style, main script").count()).toBe(0);
    // The page's own script ran under its policy: every reproduction got a copy button.
    const curls = await page.locator("pre.curl").count();
    expect(curls).toBeGreaterThan(0);
    expect(await page.locator("button.copy").count()).toBe(curls);
    // The hostile body is there, as text.
    expect(await page.locator("#check-document\\.accept-xml").textContent()).toContain(
      "<script>window.pwned = true</script>",
    );
    await page.close();
  });

  it("shows the operation × status matrix: exercised, not exercised, undocumented", async () => {
    const { page } = await open({ width: 1280, height: 900 });
    const list = page.locator('tr[data-operation="listConnections"]');
    const ok = list.locator('td[data-status="200"]');
    expect(await ok.getAttribute("class")).toMatch(/^hit h[1-4]$/);
    const answered = report.coverage.find((op) => op.operationId === "listConnections");
    expect(await ok.textContent()).toBe(String(answered?.statuses["200"]));
    const undocumented = list.locator('td[data-status="406"]');
    expect(await undocumented.getAttribute("class")).toBe("undoc");
    expect(await undocumented.getAttribute("title")).toMatch(/not documented, answered \d+×/);
    const unused = page.locator('tr[data-operation="deleteConnection"] td[data-status="404"]');
    expect(await unused.getAttribute("class")).toBe("miss");
    expect(await page.locator("#coverage-summary").textContent()).toMatch(
      /^\d+\/9 operations, \d+\/\d+ documented statuses exercised, \d+ undocumented status(es)? answered\.$/,
    );
    await page.screenshot({ path: `${output}laptop.png`, fullPage: true });
    await page.close();
  });

  it("shows a failure with what was required, what happened and its reproduction, secrets as placeholders", async () => {
    const { page } = await open({ width: 1280, height: 900 });
    const check = page.locator("#check-document\\.accept-xml");
    expect(await check.getAttribute("open")).toBe("");
    // The check's own finding (the validators' findings on the same answer come before it).
    const failure = check
      .locator(".failure")
      .filter({ hasText: "Accept: application/xml answers 200, not 406" });
    expect(await failure.count()).toBe(1);
    expect(await failure.locator(".versus").textContent()).toMatch(
      /^RequiredGET \/api\/connections with Accept: application\/xml answers 200, not 406 — "The Accept header is ignored for now\." \(API endpoint\)\.ObservedThe server answered 406 \(text\/html\): /,
    );
    const curl = (await failure.locator("pre.curl").textContent()) ?? "";
    expect(curl).toMatch(
      /^curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/api\/connections' -H "Authorization: bearer \$MGMTKIT_TOKEN" -H 'Accept: application\/xml'$/,
    );
    expect(await failure.textContent()).toMatch(/Fingerprint[0-9a-f]{12}/);
    const source = await check.locator(".body > p").nth(1).textContent();
    expect(source).toMatch(
      /^Source"All content is returned in JSON\. The Accept header is ignored for now\." \(API endpoint\)/,
    );
    await page.close();
  });

  it("filters to the failed checks and back", async () => {
    const { page } = await open({ width: 1280, height: 900 });
    const failed = report.checks.filter((c) => c.status === "failed").length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(report.checks.length);
    expect(await visibleChecks(page)).toHaveLength(report.checks.length);
    const filter = page.locator('label[for="failed-only"]');
    expect(await filter.textContent()).toBe(`Failed checks only (${failed})`);
    await filter.click();
    const shown = await visibleChecks(page);
    expect(shown).toHaveLength(failed);
    for (const entry of shown) expect(entry).toMatch(/^failed /);
    await filter.click();
    expect(await visibleChecks(page)).toHaveLength(report.checks.length);
    await page.close();
  });

  it("fits a phone: no sideways scrolling of the page, the matrix scrolls in its box", async () => {
    const { page } = await open({ width: 390, height: 844 });
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      box: document.querySelector(".scroll")?.clientWidth ?? 0,
      matrix: document.querySelector(".scroll")?.scrollWidth ?? 0,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.matrix).toBeGreaterThan(widths.box);
    // Observed stands under required, not beside it.
    const [required, observed] = await page
      .locator("#check-document\\.accept-xml .versus > div")
      .evaluateAll((els) => els.slice(0, 2).map((el) => el.getBoundingClientRect().top));
    expect(observed).toBeGreaterThan(required ?? 0);
    await page.locator('label[for="failed-only"]').click();
    await page.screenshot({ path: `${output}phone.png`, fullPage: true });
    await page.close();
  });
});
