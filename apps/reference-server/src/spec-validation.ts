import { openapiSchemaKeywords, spec } from "@mgmtkit/spec";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats ships CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** The outcome of checking a value against a schema of the spec. */
export type Verdict = { ok: true } | { ok: false; detail: string };

type Schema = Record<string, unknown>;

const SPEC_ID = "spec";

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** A JSON pointer reference into the bundled spec, as ajv resolves it. */
export function specRef(...segments: string[]): string {
  return `${SPEC_ID}#/${segments.map(escapePointer).join("/")}`;
}

function createAjv(coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes });
  addFormats(ajv);
  ajv.addVocabulary([...openapiSchemaKeywords]);
  ajv.addSchema(spec as object, SPEC_ID);
  return ajv;
}

// Bodies are validated as sent; query parameters arrive as strings and are compared as their typed values.
const bodyAjv = createAjv(false);
const queryAjv = createAjv(true);

function resolve(ref: string): Schema {
  const pointer = ref.slice(ref.indexOf("#") + 1);
  let node: unknown = spec;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = (node as Record<string, unknown>)[segment];
  }
  if (node === undefined) throw new Error(`The spec has nothing at ${ref}.`);
  return node as Schema;
}

function toSpecRef(localRef: string): string {
  return `${SPEC_ID}${localRef}`;
}

const compiled = new Map<string, ValidateFunction>();
function validatorFor(ajv: Ajv2020, ref: string): ValidateFunction {
  const key = `${ajv === bodyAjv ? "b" : "q"}:${ref}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`The spec has no schema at ${ref}.`);
    compiled.set(key, validate);
  }
  return validate;
}

function describe(error: ErrorObject, prefix: string): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .join(".");
  const where = [prefix, path].filter(Boolean).join(".") || "the body";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${where} must have required property '${String(params.missingProperty)}'`;
    case "additionalProperties":
      return `${where} must not have the property '${String(params.additionalProperty)}'`;
    case "const":
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    case "enum":
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `${where} ${error.message ?? "is invalid"}`;
  }
}

/**
 * Explains why `data` fails the schema at `ref`, following the spec's discriminators so that the
 * explanation speaks about the variant the value claims to be rather than every alternative.
 */
function explain(ref: string, data: unknown, prefix: string): string[] {
  const schema = resolve(ref);
  if (typeof schema.$ref === "string") return explain(toSpecRef(schema.$ref), data, prefix);

  const discriminator = schema.discriminator as
    | { propertyName: string; mapping?: Record<string, string> }
    | undefined;
  if (discriminator && Array.isArray(schema.oneOf)) {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return [`${prefix || "the body"} must be an object`];
    }
    const mapping = discriminator.mapping ?? {};
    const value = (data as Record<string, unknown>)[discriminator.propertyName];
    const name = [prefix, discriminator.propertyName].filter(Boolean).join(".");
    if (value === undefined) {
      return [
        `${prefix || "the body"} must have required property '${discriminator.propertyName}'`,
      ];
    }
    const target = typeof value === "string" ? mapping[value] : undefined;
    if (!target) {
      return [
        `${name} must be one of ${Object.keys(mapping)
          .map((k) => JSON.stringify(k))
          .join(", ")}`,
      ];
    }
    return explain(toSpecRef(target), data, prefix);
  }

  if (Array.isArray(schema.allOf)) {
    const reasons: string[] = [];
    schema.allOf.forEach((_part, index) => {
      const partRef = `${ref}/allOf/${index}`;
      if (!validatorFor(bodyAjv, partRef)(data)) reasons.push(...explain(partRef, data, prefix));
    });
    if (reasons.length > 0) return reasons;
  }

  const validate = validatorFor(bodyAjv, ref);
  if (validate(data)) return [];
  const errors = (validate.errors ?? []).filter(
    // An "if"/"oneOf" summary only repeats the errors listed next to it.
    (e) => e.keyword !== "if" && e.keyword !== "oneOf" && e.keyword !== "allOf",
  );
  const reasons = (errors.length > 0 ? errors : (validate.errors ?? [])).map((e) =>
    describe(e, prefix),
  );
  return [...new Set(reasons)];
}

const MAX_REASONS = 10;

// A body of a megabyte can fail in thousands of places; the first few say enough.
function summarize(reasons: string[]): string {
  if (reasons.length === 0) return "the body is invalid";
  const shown = reasons.slice(0, MAX_REASONS).join("; ");
  const more = reasons.length - MAX_REASONS;
  return more > 0 ? `${shown}; and ${more} more` : shown;
}

/** Checks a request body against the spec's schema at `ref`; the detail names each failing field. */
export function checkBody(ref: string, data: unknown): Verdict {
  const validate = validatorFor(bodyAjv, ref);
  if (validate(data)) return { ok: true };
  const reasons = explain(ref, data, "");
  return { ok: false, detail: summarize(reasons) };
}

/** The schema of an operation's JSON request body in the spec. */
export function requestBodyRef(path: string, method: string, mediaType: string): string {
  return specRef("paths", path, method, "requestBody", "content", mediaType, "schema");
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}

/**
 * Compiles a checker for an operation's query parameters from the spec. It answers the typed values
 * (the spec's integers as numbers) of the parameters the spec declares and ignores any other.
 */
export function queryChecker(
  path: string,
  method: string,
): (query: Record<string, unknown>) => { ok: true; values: Record<string, unknown> } | Verdict {
  const operation = (spec.paths[path] as Record<string, { parameters?: ParameterObject[] }>)[
    method
  ];
  const declared = (operation?.parameters ?? [])
    .map((p) => (p.$ref ? (resolve(toSpecRef(p.$ref)) as unknown as ParameterObject) : p))
    .filter((p) => p.in === "query");
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const p of declared) {
    properties[p.name] = p.schema ?? {};
    if (p.required) required.push(p.name);
  }
  const validate = queryAjv.compile({ type: "object", properties, required });
  return (query) => {
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(properties)) {
      const value = query[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        return { ok: false, detail: `${name} must be given once` };
      }
      values[name] = value;
    }
    if (validate(values)) return { ok: true, values };
    const reasons = (validate.errors ?? []).map((e) => describe(e, ""));
    return { ok: false, detail: [...new Set(reasons)].join("; ") };
  };
}
