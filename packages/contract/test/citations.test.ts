import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { statements } from "../src/index.js";

// Users do not have the reference document, so a citation of its line numbers tells them nothing:
// failures, sources and open points quote its words and name the section they stand in.
const root = fileURLToPath(new URL("..", import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const files = [
  ...sourcesUnder(join(root, "src")),
  ...sourcesUnder(join(root, "test")),
  ...sourcesUnder(join(root, "scripts")),
  join(root, "README.md"),
  join(root, "CHECKS.md"),
]
  .map((file) => relative(root, file))
  // This file quotes wrongly on purpose.
  .filter((file) => file !== "test/citations.test.ts");

const sections = new Map<string, string>();
for (const { section, says } of statements) {
  sections.set(section, `${sections.get(section) ?? ""} ${says}`);
}
const squash = (text: string) => text.replace(/\s+/g, " ");

/** Every `"words" (Section)` in a file, with its line. */
function quotesIn(file: string) {
  const text = readFileSync(join(root, file), "utf8").replaceAll('\\"', '"');
  return [...text.matchAll(/"([^"\n]{3,})" \(([^()\n]{2,40})\)/g)].map((match) => ({
    where: `${file}:${text.slice(0, match.index).split("\n").length}`,
    words: match[1] ?? "",
    section: match[2] ?? "",
  }));
}

describe("citations of the reference document", () => {
  it("never cite a line number of it", () => {
    const cited = files.flatMap((file) =>
      readFileSync(join(root, file), "utf8")
        .split("\n")
        .flatMap((line, i) =>
          /\blines? \d/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(cited).toEqual([]);
  });

  it("quote words the document says, in the section they name", () => {
    const quotes = files.flatMap(quotesIn);
    const known = new Map([...sections.keys()].map((name) => [name.toLowerCase(), name]));
    const wrong = quotes.flatMap(({ where, words, section }) => {
      const name = known.get(section.toLowerCase());
      // Parentheses after a quote that name no section say something else ("a string" …).
      if (name === undefined) return [];
      if (name !== section) return [`${where}: "${section}" is spelled "${name}" in the document`];
      return squash(sections.get(name) ?? "").includes(squash(words))
        ? []
        : [`${where}: ${name} does not say "${words}"`];
    });
    expect(wrong).toEqual([]);
    // The suite's own sources quote the document throughout; a scan that finds none is broken.
    expect(quotes.filter(({ where }) => where.startsWith("src/checks/")).length).toBeGreaterThan(
      50,
    );
  });

  it("catch a misquote", () => {
    const text = '"The Accept header is ignored forever" (API endpoint)';
    const [match] = text.matchAll(/"([^"\n]{3,})" \(([^()\n]{2,40})\)/g);
    expect(squash(sections.get(match?.[2] ?? "") ?? "")).not.toContain(match?.[1]);
    expect(squash(sections.get("API endpoint") ?? "")).toContain("The Accept header is ignored");
  });
});
