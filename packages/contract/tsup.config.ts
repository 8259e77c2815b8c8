import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts", "src/pactum.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { entry: ["src/index.ts", "src/pactum.ts"] },
  sourcemap: true,
  clean: true,
});
