import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@mgmtkit/chromium";

export type Route = { hash: string; heading: string | RegExp };

/** Redoc's route slug of a heading or a tag: lower case, spaces as dashes, no commas or dots. */
const slug = (text: string) => text.toLowerCase().replace(/[,.]/g, "").replaceAll(" ", "-");

/**
 * Every route of the reference: the overview, each section of the description, each tag and each
 * operation, with the heading that shows once the route has rendered.
 */
export function referenceRoutes(
  spec: { info: { title: string; description?: string }; tags?: { name: string }[] },
  operations: { operation: { tags: string[]; operationId: string; summary: string } }[],
): Route[] {
  // Redoc routes both levels of the description's sections (the guides are its "###" ones).
  const sections = [...(spec.info.description ?? "").matchAll(/^###? (.+)$/gm)].map(
    (match) => match[1] as string,
  );
  return [
    { hash: "#/", heading: new RegExp(`^${spec.info.title}`) },
    ...sections.map((title) => ({ hash: `#/section/${slug(title)}`, heading: title })),
    ...(spec.tags ?? []).flatMap((tag) => [
      { hash: `#/${slug(tag.name)}`, heading: tag.name },
      ...operations
        .filter(({ operation }) => operation.tags[0] === tag.name)
        .map(({ operation }) => ({
          hash: `#/${slug(tag.name)}/${operation.operationId.toLowerCase()}`,
          heading: operation.summary,
        })),
    ]),
  ];
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
