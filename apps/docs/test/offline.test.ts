import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { findRemoteReferences } from "../scripts/remote-references.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

describe("findRemoteReferences", () => {
  it.each([
    [
      "a CDN script",
      {
        given: '<script src="https://cdn.example.net/redoc.js"></script>',
        want: ["https://cdn.example.net/redoc.js"],
      },
    ],
    [
      "a protocol-relative script",
      { given: '<script src="//cdn.example.net/a.js"></script>', want: ["//cdn.example.net/a.js"] },
    ],
    [
      "a web font style sheet",
      {
        given: '<link rel="stylesheet" href="https://fonts.example.com/css?family=Roboto">',
        want: ["https://fonts.example.com/css?family=Roboto"],
      },
    ],
    [
      "a preconnect",
      {
        given: '<link rel="preconnect" href="https://fonts.example.com">',
        want: ["https://fonts.example.com"],
      },
    ],
    [
      "an image",
      {
        given: '<IMG SRC="http://images.example.org/logo.png">',
        want: ["http://images.example.org/logo.png"],
      },
    ],
    [
      "a srcset",
      {
        given: '<img srcset="a.png 1x, https://img.example.org/b.png 2x">',
        want: ["https://img.example.org/b.png"],
      },
    ],
    [
      "a CSS import",
      {
        given: "<style>@import 'https://fonts.example.com/a.css'; body{}</style>",
        want: ["https://fonts.example.com/a.css"],
      },
    ],
    [
      "a CSS url",
      {
        given: '<style>.x{background:url("https://img.example.org/bg.png")}</style>',
        want: ["https://img.example.org/bg.png"],
      },
    ],
    [
      "a style attribute",
      {
        given: '<div style="background:url(https://img.example.org/x.png)"></div>',
        want: ["https://img.example.org/x.png"],
      },
    ],
    [
      "an iframe",
      {
        given: '<iframe src="https://embed.example.com/"></iframe>',
        want: ["https://embed.example.com/"],
      },
    ],
    [
      "relative and data URLs",
      {
        given:
          '<script src="app.js"></script><img src="data:image/png;base64,AAAA"><link rel="icon" href="/favicon.svg">',
        want: [],
      },
    ],
    [
      "this machine",
      {
        given:
          '<script src="http://127.0.0.1:8080/a.js"></script><img src="http://localhost/b.png">',
        want: [],
      },
    ],
    [
      "links people follow",
      {
        given:
          '<a href="https://redocly.com/">Redocly</a><link rel="canonical" href="https://example.com/">',
        want: [],
      },
    ],
    [
      "URLs in script text",
      {
        given:
          '<script>const logo = "https://cdn.example.net/logo.svg"; el.innerHTML = \'<img src="https://x.example/y.png">\';</script>',
        want: [],
      },
    ],
  ])("%s", (_, { given, want }) => {
    expect(findRemoteReferences(given).map((reference) => reference.url)).toEqual(want);
  });
});

describe("the built site", () => {
  const pages = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((file) =>
    file.endsWith(".html"),
  );

  it("has the reference and the six guides", () => {
    expect(pages.sort()).toEqual([
      "guides/check-catalog.html",
      "guides/conformance-in-ci.html",
      "guides/postgresql.html",
      "guides/quick-start.html",
      "guides/reference-server.html",
      "guides/reports-baseline-proxy.html",
      "index.html",
    ]);
  });

  it.each(pages)("%s loads nothing from another host", (page) => {
    const references = findRemoteReferences(readFileSync(join(dist, page), "utf8"));
    expect(references, relative(dist, join(dist, page))).toEqual([]);
  });

  it("serves Redoc from the site instead of loading it from a CDN", () => {
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const bundle = /script\.src = "(assets\/redoc\.[0-9a-f]+\.js)"/.exec(html)?.[1];
    expect(bundle).toBeDefined();
    expect(readFileSync(join(dist, bundle as string), "utf8")).toContain(
      "hydrate(__redoc_definition",
    );
    expect(html).not.toMatch(/cdn\.redoc\.ly\/redoc\/logo/);
  });
});

/** Whether this machine lets the test start a process in a network namespace of its own. */
function canCutNetwork() {
  return spawnSync("unshare", ["--net", "sh", "-c", "ip link set lo up"]).status === 0;
}

describe("the build", () => {
  // A process in a new network namespace has no network at all, only its own loopback: whatever in
  // the build tried to reach the internet would fail it.
  it.skipIf(!canCutNetwork())("runs with the network cut off", async () => {
    const out = mkdtempSync(join(tmpdir(), "docs-offline-"));
    try {
      const script = `ip link set lo up && exec "${process.execPath}" scripts/build.mjs --out "${out}"`;
      const result = await promisify(execFile)("unshare", ["--net", "sh", "-c", script], {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        timeout: 90_000,
      });
      expect(result.stdout).toContain("index.html");
      const html = readFileSync(join(out, "index.html"), "utf8");
      expect(findRemoteReferences(html)).toEqual([]);
      expect(readFileSync(join(out, "guides", "check-catalog.html"), "utf8")).toContain(
        'class="check-catalog"',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
