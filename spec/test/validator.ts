import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openapiSchemaKeywords, spec } from "../dist/index.js";

/** An ajv 2020 instance holding the bundled spec under the id `spec`. */
export function specValidator() {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addVocabulary([...openapiSchemaKeywords]);
  ajv.addSchema(spec, "spec");
  return ajv;
}

/** Escapes one segment of a JSON pointer (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}
