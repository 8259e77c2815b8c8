import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/model.ts", "src/link.ts", "src/secrets.ts", "src/retry-after.ts"],
  format: ["esm", "cjs"],
  target: "node18",
  platform: "neutral",
  dts: true,
  // The bundled document (dist/openapi.json, written first by scripts/build.mjs) is embedded once,
  // in a chunk the entry points share.
  splitting: true,
  clean: false,
  sourcemap: true,
});
