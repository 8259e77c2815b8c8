// Picks each request example of an operation in the built reference, in Debian's Chromium, and
// wants the curl and SDK samples to send that example: Redoc alone changes only the payload.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Browser, launchChromium, type Page } from "@mgmtkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleSamples, operationsOf, requestExamples } from "../scripts/code-samples.mjs";
import { startStaticServer } from "../scripts/serve.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const spec = JSON.parse(readFileSync(`${dist}openapi.json`, "utf8"));
const expected = exampleSamples(spec);
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

const cases = operationsOf(spec)
  .filter(({ operation }) => requestExamples(spec, operation).length > 1)
  .map(({ path, method, operation }) => ({
    operationId: operation.operationId as string,
    tag: operation.tags[0] as string,
    summary: operation.summary as string,
    key: `${method.toUpperCase()} ${path}`,
    examples: requestExamples(spec, operation),
  }));

let browser: Browser;
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  site = await startStaticServer({ root: dist });
  browser = await launchChromium("The example samples test");
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The request samples panel of an operation: the one with the language dropdown. */
function requestPanel(page: Page, tag: string, operationId: string) {
  return page
    .locator(`[id="${tag.toLowerCase()}/${operationId.toLowerCase()}"]`)
    .locator('[data-testid="right-panel"] [data-component-name="Panel/Panel"]')
    .filter({ has: page.locator('button[aria-label^="Example: "]') })
    .first();
}

/** The code the reader sees in a panel (Redoc's block, or the one shown in its place). */
async function shownCode(panel: ReturnType<typeof requestPanel>) {
  const shown = panel.locator("pre:visible");
  await expect.poll(() => shown.count()).toBe(1);
  return (await shown.textContent()) ?? "";
}

describe("request examples drive the code samples", () => {
  it("finds operations with several request examples, createConnection among them", () => {
    expect(cases.map((c) => c.operationId)).toContain("createConnection");
    expect(cases.find((c) => c.operationId === "createConnection")?.examples).toHaveLength(6);
  });

  it.each(cases)("$operationId: every example, in curl and TypeScript", async (operation) => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(
        `${site.url}/#/${operation.tag.toLowerCase()}/${operation.operationId.toLowerCase()}`,
      );
      const panel = requestPanel(page, operation.tag, operation.operationId);
      await panel.waitFor({ state: "visible" });
      const seen = new Set<string>();
      for (const language of ["curl", "TypeScript (@mgmtkit/sdk)"]) {
        const current = panel.locator('[data-component-name="Panel/PanelHeader"] button', {
          hasText: /^(curl|TypeScript \(@mgmtkit\/sdk\)|Payload)$/,
        });
        if ((await current.textContent())?.trim() !== language) {
          await current.click();
          await page.getByRole("menuitem", { name: language, exact: true }).click();
        }
        for (const example of operation.examples) {
          await panel.locator('button[aria-label^="Example: "]').click();
          await page.getByRole("menuitem", { name: example.summary, exact: true }).click();
          // The picker is named after the pick.
          await expect
            .poll(() => panel.locator('button[aria-label^="Example: "]').getAttribute("aria-label"))
            .toBe(`Example: ${example.summary}`);
          const want = expected[operation.key]?.[example.summary]?.[language];
          if (want === undefined) throw new Error(`No sample of "${example.summary}".`);
          await expect.poll(() => shownCode(panel)).toBe(want);
          // The sample sends the picked example's body.
          const name = (example.value as { name: string }).name;
          expect(want).toContain(name);
          seen.add(want);
          // The copy button copies what is shown.
          await panel.locator('[data-testid="copy-button"]').last().click();
          await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(want);
        }
      }
      // One sample per example and language, none the same.
      expect(seen.size).toBe(operation.examples.length * 2);
      // A sample shown in Redoc's place passes axe like Redoc's own.
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (selector) => {
        // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global.
        const axe = (window as any).axe;
        const run = await axe.run(selector, { resultTypes: ["violations"] });
        return run.violations.map((v: { id: string }) => v.id);
      }, `[id="${operation.tag.toLowerCase()}/${operation.operationId.toLowerCase()}"]`);
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
