// Bundles openapi.yaml into dist/ (JSON and YAML) and writes the package's JS entry points, which
// embed the bundled document so that it loads the same way in Node, browsers and bundlers.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const redocly = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const ext of ["json", "yaml"]) {
  // Redocly prints banners on every run; its output is shown only when bundling fails (execFileSync
  // then throws with stderr attached).
  execFileSync(
    process.execPath,
    [redocly, "bundle", "openapi.yaml", "--output", join(dist, `openapi.${ext}`), "--ext", ext],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
}

const json = readFileSync(join(dist, "openapi.json"), "utf8");
const header = "// Generated from spec/openapi.yaml by scripts/build.mjs. Do not edit.\n";
// OpenAPI adds these keywords to JSON Schema; validators that do not know them must ignore them.
const keywords = JSON.stringify(["discriminator", "xml", "externalDocs", "example"]);
const body = `const spec = ${json.trim()};\nconst openapiSchemaKeywords = ${keywords};\n`;
writeFileSync(
  join(dist, "index.js"),
  `${header}${body}export { spec, openapiSchemaKeywords };\nexport default spec;\n`,
);
writeFileSync(
  join(dist, "index.cjs"),
  `"use strict";\n${header}${body}exports.spec = spec;\nexports.openapiSchemaKeywords = openapiSchemaKeywords;\nexports.default = spec;\n`,
);
const types = `${header}/** An OpenAPI 3.1 document. */
export interface OpenAPIDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  servers?: Array<{ url: string; description?: string; variables?: Record<string, { default: string; description?: string }> }>;
  paths: Record<string, Record<string, any>>;
  components: {
    schemas: Record<string, any>;
    responses?: Record<string, any>;
    parameters?: Record<string, any>;
    securitySchemes?: Record<string, any>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
/** The bundled Management API v1 description. */
export declare const spec: OpenAPIDocument;
/** Schema keywords that OpenAPI adds to JSON Schema 2020-12 (register them as a vocabulary with ajv). */
export declare const openapiSchemaKeywords: readonly string[];
`;
for (const file of ["index.d.ts", "index.d.cts"]) {
  writeFileSync(join(dist, file), `${types}export default spec;\n`);
}
