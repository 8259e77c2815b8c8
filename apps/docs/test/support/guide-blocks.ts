import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Lexer } from "marked";
import { expandDirectives } from "../../scripts/guides.mjs";
import { literal } from "./site-pages.js";

/**
 * What a fenced block of a guide is for, from its info string (`sh server`, `text output`, …):
 * - `sh`: commands the reader runs in the project's folder, in order;
 * - `sh server`: a command the reader leaves running in another terminal;
 * - `sh registry`: the install once the packages are published (not yet possible);
 * - `sh checkout`: cloning mgmtkit and `release:pack`, which the test does with this workspace;
 * - `sh example`: commands against the reader's own server, shown with placeholders;
 * - `sh compose-up`: `docker compose up`, replaced by starting the compose file's commands;
 * - `text output`: lines the last `sh` block prints, in order (`…` stands for anything);
 * - `text server-output`: lines the last `sh server` block prints, in order;
 * - `<lang> file=NAME`: a file the reader saves as NAME;
 * - `yaml github-actions`, `yaml gitlab-ci`, `yaml compose`: the CI and compose files.
 * Any other block (a snippet, a JSON example) is prose.
 */
export type Block =
  | { kind: "run" | "server" | "skipped" | "compose-up"; text: string; info: string }
  | { kind: "output" | "server-output"; text: string; info: string }
  | { kind: "file"; name: string; text: string; info: string }
  | { kind: "github-actions" | "gitlab-ci" | "compose"; text: string; info: string }
  | { kind: "prose"; text: string; info: string };

const skippedShell = new Set(["registry", "checkout", "example"]);

/** The fenced blocks of guides/<slug>.md, directives expanded as the build expands them. */
export function guideBlocks(root: string, slug: string): Block[] {
  const markdown = expandDirectives(readFileSync(join(root, "guides", `${slug}.md`), "utf8"), {
    root,
    // Generated blocks (help texts, a report excerpt) are output of the build, not steps.
    generators: new Proxy({}, { get: () => () => "" }),
    guide: slug,
  });
  const blocks: Block[] = [];
  Lexer.lex(markdown).forEach(function visit(token) {
    if (token.type === "code") {
      const info = String(token.lang ?? "").trim();
      const [lang = "", tag = ""] = info.split(/\s+/);
      const text = String(token.text);
      const file = /^file=(\S+)$/.exec(tag);
      if (file?.[1]) blocks.push({ kind: "file", name: file[1], text, info });
      else if (lang === "sh" && tag === "") blocks.push({ kind: "run", text, info });
      else if (lang === "sh" && tag === "server") blocks.push({ kind: "server", text, info });
      else if (lang === "sh" && tag === "compose-up")
        blocks.push({ kind: "compose-up", text, info });
      else if (lang === "sh" && skippedShell.has(tag)) blocks.push({ kind: "skipped", text, info });
      else if (lang === "sh")
        throw new Error(`guides/${slug}.md has a block "${info}" of no known kind.`);
      else if (lang === "text" && tag === "output") blocks.push({ kind: "output", text, info });
      else if (lang === "text" && tag === "server-output")
        blocks.push({ kind: "server-output", text, info });
      else if (
        lang === "yaml" &&
        (tag === "github-actions" || tag === "gitlab-ci" || tag === "compose")
      )
        blocks.push({ kind: tag, text, info });
      else blocks.push({ kind: "prose", text, info });
    }
    const children = (token as { tokens?: unknown[]; items?: unknown[] }).tokens ?? [];
    for (const child of children) visit(child as Parameters<typeof visit>[0]);
    for (const item of (token as { items?: unknown[] }).items ?? [])
      visit(item as Parameters<typeof visit>[0]);
  });
  return blocks;
}

/**
 * Whether `documented` (lines, `…` standing for any text) appears in `actual`, each documented line
 * matching a whole line of the output, in order. Answers the first line not found, or undefined.
 */
export function missingLine(documented: string, actual: string): string | undefined {
  const lines = actual.split(/\r?\n/).map((line) => line.trimEnd());
  let at = 0;
  for (const want of documented.split("\n").filter((line) => line.trim() !== "")) {
    const pattern = new RegExp(`^${want.trimEnd().split("…").map(literal).join(".*")}$`);
    const found = lines.findIndex((line, index) => index >= at && pattern.test(line));
    if (found === -1) return want;
    at = found + 1;
  }
  return undefined;
}

/** The 4-digit loopback ports a guide names (`127.0.0.1:3000`, `--port 3000`, `"127.0.0.1:3001:3000"`). */
export function portsNamed(blocks: Block[]): Set<number> {
  const ports = new Set<number>();
  for (const block of blocks) {
    if (block.kind === "prose" || block.kind === "skipped") continue;
    // In a compose file only the published host ports count: a container's own port is not ours.
    const named =
      block.kind === "compose"
        ? /127\.0\.0\.1:(\d{4})\b/g
        : /127\.0\.0\.1:(\d{4})\b|--port (\d{4})\b/g;
    for (const match of block.text.matchAll(named)) ports.add(Number(match[1] ?? match[2]));
  }
  return ports;
}

/** `text` with every port of `ports` replaced by its free stand-in. */
export function withPorts(text: string, ports: Map<number, number>): string {
  return text.replace(
    /(127\.0\.0\.1:|--port )(\d{4})\b/g,
    (whole, prefix: string, port: string) => {
      const free = ports.get(Number(port));
      return free === undefined ? whole : `${prefix}${free}`;
    },
  );
}
