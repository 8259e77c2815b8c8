// Finds what an HTML page would fetch from other hosts: the site must render with the network cut
// off, so the build refuses any such reference.
import { Parser } from "htmlparser2";

const localHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Attributes through which an element makes the browser fetch something. */
const loadingAttributes = {
  script: ["src"],
  link: ["href"],
  img: ["src", "srcset"],
  iframe: ["src"],
  frame: ["src"],
  source: ["src", "srcset"],
  video: ["src", "poster"],
  audio: ["src"],
  track: ["src"],
  embed: ["src"],
  object: ["data"],
  input: ["src"],
  image: ["href", "xlink:href"],
  use: ["href", "xlink:href"],
};

/** Links that name another document without loading it. */
const nonLoadingRels = new Set(["canonical", "alternate", "author", "license", "help", "bookmark"]);

/** @param {string} url */
function isRemote(url) {
  const trimmed = url.trim();
  if (trimmed.startsWith("//")) return !localHosts.has(trimmed.slice(2).split(/[/:?#]/)[0] ?? "");
  if (!/^https?:/i.test(trimmed)) return false;
  try {
    return !localHosts.has(new URL(trimmed).hostname);
  } catch {
    return true;
  }
}

/** @param {string} css */
function cssUrls(css) {
  const urls = [];
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3/g)) {
    urls.push((match[2] ?? match[4] ?? "").trim());
  }
  return urls;
}

/**
 * Every reference in `html` that a browser would load from a host other than this machine.
 * @param {string} html
 * @returns {Array<{ tag: string, attribute: string, url: string }>}
 */
export function findRemoteReferences(html) {
  /** @type {Array<{ tag: string, attribute: string, url: string }>} */
  const found = [];
  let inStyle = false;
  let styleText = "";
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        inStyle = name === "style";
        const rel = (attributes.rel ?? "").toLowerCase().split(/\s+/);
        if (name === "link" && rel.length > 0 && rel.every((r) => nonLoadingRels.has(r))) return;
        for (const attribute of loadingAttributes[
          /** @type {keyof typeof loadingAttributes} */ (name)
        ] ?? []) {
          const value = attributes[attribute];
          if (value === undefined) continue;
          const urls =
            attribute === "srcset"
              ? value.split(",").map((part) => part.trim().split(/\s+/)[0] ?? "")
              : [value];
          for (const url of urls) if (isRemote(url)) found.push({ tag: name, attribute, url });
        }
        if (attributes.style) {
          for (const url of cssUrls(attributes.style)) {
            if (isRemote(url)) found.push({ tag: name, attribute: "style", url });
          }
        }
      },
      ontext(text) {
        if (inStyle) styleText += text;
      },
      onclosetag(name) {
        if (name !== "style") return;
        // The parser may hand a style sheet over in several pieces; urls are read from the whole.
        for (const url of cssUrls(styleText)) {
          if (isRemote(url)) found.push({ tag: "style", attribute: "css", url });
        }
        inStyle = false;
        styleText = "";
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}
