// Every deep link the site makes, by kind: the reference's routes (overview, sections of the
// description, tags, operations) and the guides' heading anchors. The build writes a landing for
// each route that Redoc's pre-rendered overview does not already show; the deep-link test and the
// benchmark open every one of them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { operationsOf } from "./code-samples.mjs";

/**
 * @typedef {"overview" | "section" | "tag" | "operation" | "guide"} Kind
 * @typedef {{ kind: Kind, url: string, heading: string }} DeepLink `url` is relative to the site's
 *   root; `heading` is the own text of the heading the link lands on (for the overview, how it
 *   starts).
 */

/** Redoc's route slug of a heading or a tag: lower case, spaces as dashes, no commas or dots. */
export const routeSlug = (/** @type {string} */ text) =>
  text.toLowerCase().replace(/[,.]/g, "").replaceAll(" ", "-");

/**
 * The reference's routes, as Redoc names them.
 * @param {{ info: { title: string, description?: string }, tags?: { name: string }[], paths: Record<string, any> }} spec
 * @returns {DeepLink[]}
 */
export function referenceLinks(spec) {
  const operations = operationsOf(spec);
  // Redoc routes both levels of the description's sections (the guides are its "###" ones).
  const sections = [...(spec.info.description ?? "").matchAll(/^###? (.+)$/gm)].map((match) =>
    /** @type {string} */ (match[1]).trim(),
  );
  return [
    { kind: "overview", url: "index.html#/", heading: spec.info.title },
    ...sections.map((title) => ({
      kind: /** @type {const} */ ("section"),
      url: `index.html#/section/${routeSlug(title)}`,
      heading: title,
    })),
    ...(spec.tags ?? []).flatMap((tag) => [
      {
        kind: /** @type {const} */ ("tag"),
        url: `index.html#/${routeSlug(tag.name)}`,
        heading: tag.name,
      },
      ...operations
        .filter(({ operation }) => operation.tags[0] === tag.name)
        .map(({ operation }) => ({
          kind: /** @type {const} */ ("operation"),
          url: `index.html#/${routeSlug(tag.name)}/${operation.operationId.toLowerCase()}`,
          heading: /** @type {string} */ (operation.summary),
        })),
    ]),
  ];
}

/**
 * The heading anchors of the built guides (`<h2 id="install">Install</h2>`).
 * @param {string} dist
 * @returns {DeepLink[]}
 */
export function guideLinks(dist) {
  return readdirSync(join(dist, "guides"))
    .filter((file) => file.endsWith(".html"))
    .sort()
    .flatMap((file) =>
      [
        ...readFileSync(join(dist, "guides", file), "utf8").matchAll(
          /<h([23]) id="([^"]+)">([\s\S]*?)<\/h\1>/g,
        ),
      ].map((match) => ({
        kind: /** @type {const} */ ("guide"),
        url: `guides/${file}#${match[2]}`,
        // The heading's own text, without its "#" link.
        heading: decodeEntities(
          /** @type {string} */ (match[3])
            .replace(/<a\b[\s\S]*?<\/a>/g, "")
            .replace(/<[^>]*>/g, ""),
        ).trim(),
      })),
    );
}

/** @param {string} text */
function decodeEntities(text) {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/**
 * Every deep link of the built site in `dist`.
 * @param {string} dist
 * @returns {DeepLink[]}
 */
export function deepLinks(dist) {
  const spec = JSON.parse(readFileSync(join(dist, "openapi.json"), "utf8"));
  return [...referenceLinks(spec), ...guideLinks(dist)];
}
