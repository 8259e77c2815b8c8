import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // Runs wherever fetch exists (browsers, Deno, Bun, Node 18+): no Node built-ins, ES2022 syntax.
  platform: "neutral",
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  dts: true,
  sourcemap: true,
  clean: true,
  define: { __SDK_VERSION__: JSON.stringify(version) },
  // The Link parser the SDK shares with the conformance suite is built in: it holds no spec JSON,
  // and the published package then needs no @mgmtkit/spec at run time.
  noExternal: ["@mgmtkit/spec"],
});
