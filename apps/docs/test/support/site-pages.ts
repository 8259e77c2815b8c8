import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@mgmtkit/chromium";
import { referenceLinks } from "../../scripts/deep-links.mjs";

export type Route = { hash: string; heading: string | RegExp };

/** `text` as a regular expression that matches it literally. */
export const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A heading's own text, matched whole (Redoc adds a "link to" anchor inside headings). */
export const ownText = (heading: string | RegExp): RegExp =>
  heading instanceof RegExp ? heading : new RegExp(`^${literal(heading)}$`);

/**
 * Every route of the reference (the overview, each section of the description, each tag and each
 * operation; scripts/deep-links.mjs lists them), with the heading that shows once it has rendered.
 */
export function referenceRoutes(spec: Parameters<typeof referenceLinks>[0]): Route[] {
  return referenceLinks(spec).map(({ kind, url, heading }) => ({
    hash: url.slice(url.indexOf("#")),
    // The overview's heading starts with the title.
    heading: kind === "overview" ? new RegExp(`^${literal(heading)}`) : heading,
  }));
}

/** The guides of a built site, by file name. */
export function guideSlugs(dist: string): string[] {
  return readdirSync(join(dist, "guides"))
    .filter((file) => file.endsWith(".html"))
    .map((file) => file.slice(0, -".html".length))
    .sort();
}

/**
 * Waits until Redoc runs the reference page: it starts after the first frame (scripts/build.mjs),
 * and its search, pre-rendered as "Loading...", is live once it has rendered.
 */
export async function redocRunning(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const search = document.querySelector('[data-testid="search-trigger"]');
    return search !== null && !search.textContent?.includes("Loading");
  });
}
