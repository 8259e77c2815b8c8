import { existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const dist = join(root, "dist/index.js");
// 6 KiB held the client until the hardening of issue 13 (same-origin redirects, every encoding
// of every secret scrubbed through the cause chain, typed errors for odd 2xx bodies, page caps,
// hooks, logger, withResponse, deadlines, token suppliers, the RFC 8288 Link grammar): together
// they cost about 1.7 KiB gzip, measured feature by feature, on top of openapi-fetch's 2.6 KiB.
const budget = 7.5 * 1024;

describe("browser bundle", () => {
  it(`of createManagementClient, openapi-fetch included, is at most ${budget} bytes minified and gzipped`, async () => {
    expect(existsSync(dist), "dist/index.js is missing; run the build first").toBe(true);
    // platform "browser" fails the build on any Node built-in the runtime might import.
    const result = await build({
      stdin: {
        contents: `export { createManagementClient } from ${JSON.stringify(dist)};`,
        resolveDir: root,
        loader: "js",
      },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const gzipped = gzipSync(code, { level: 9 }).length;
    const inputs = Object.keys(result.metafile.inputs);
    console.log(
      `browser bundle of createManagementClient: ${code.length} B minified, ${gzipped} B gzip -9 (budget ${budget} B)`,
    );

    expect(inputs.some((i) => i.includes("openapi-fetch"))).toBe(true);
    expect(inputs.filter((i) => i.startsWith("node:"))).toEqual([]);
    expect(gzipped).toBeLessThanOrEqual(budget);
  });
});
