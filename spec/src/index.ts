import type { OpenAPIV3_1 } from "openapi-types";
import document from "../dist/openapi.json" with { type: "json" };

/** An OpenAPI 3.1 document. */
export type OpenAPIDocument = OpenAPIV3_1.Document;

/** The bundled Management API v1 description (`openapi.yaml` with every `$ref` inside one document). */
export const spec = document as unknown as OpenAPIDocument;

/** Schema keywords that OpenAPI adds to JSON Schema 2020-12 (register them as a vocabulary with ajv). */
export const openapiSchemaKeywords: readonly string[] = [
  "discriminator",
  "xml",
  "externalDocs",
  "example",
];

export default spec;
