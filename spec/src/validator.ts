import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { openapiSchemaKeywords, spec } from "./index.js";
import { resolveRef, SPEC_ID } from "./refs.js";

// ajv-formats ships CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, unknown>;

/**
 * `core` judges by the schemas as written (what the document requires); `strict` applies every
 * `x-strict` extension first (the spec's own stricter choices).
 */
export type SpecProfile = "core" | "strict";

export interface SpecValidatorOptions {
  /** Which reading of the spec to validate against. Default `"core"`. */
  profile?: SpecProfile;
  /** Coerce strings to the schema's types (for query parameters, which arrive as text). Default `false`. */
  coerceTypes?: boolean;
}

/** The outcome of checking a query string against an operation's parameters. */
/**
 * What `checkQuery` reads of an operation (an `OperationModel` of `@mgmtkit/spec/model` is
 * one): its parameters, their schemas referenced as the validator holds them.
 */
export interface QueryOperation {
  readonly parameters: ReadonlyArray<{
    readonly name: string;
    readonly in: string;
    readonly required: boolean;
    readonly schemaRef: string;
  }>;
}

export type QueryVerdict =
  | { ok: true; values: Record<string, unknown> }
  | { ok: false; problems: string[] };

export interface SpecValidator {
  readonly profile: SpecProfile;
  /** The ajv 2020 instance (formats and OpenAPI keywords registered), holding the spec as `spec`. */
  readonly ajv: Ajv2020;
  /** Whether `data` satisfies the schema at `ref` (`spec#/components/schemas/User`). */
  isValid(ref: string, data: unknown): boolean;
  /**
   * What is wrong with `data`, one sentence-like line per problem (`options.tenant_domain must be
   * string`), or `[]` when it is valid. A discriminated `oneOf` is narrowed to the variant the
   * value names, arrays are explained element by element (`[2].name …`), and `allOf` parts one by
   * one, so a failure speaks about the variant the value claims to be. At most `limit` lines
   * (default 10), the last one counting the rest.
   */
  problems(ref: string, data: unknown, options?: { root?: string; limit?: number }): string[];
  /**
   * Checks the query parameters the operation declares (others are ignored): each at most once,
   * converted to its schema's type.
   */
  checkQuery(operation: QueryOperation, query: Record<string, unknown>): QueryVerdict;
}

/** Applies every `x-strict` overlay of a copy of the document (`properties` merge one by one). */
function strictDocument(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictDocument);
  if (typeof node !== "object" || node === null) return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = strictDocument(value);
  const overlay = (node as Json)["x-strict"];
  if (typeof overlay === "object" && overlay !== null) {
    for (const [key, value] of Object.entries(overlay)) {
      copy[key] =
        key === "properties" && typeof copy.properties === "object"
          ? { ...(copy.properties as Json), ...(value as Json) }
          : value;
    }
  }
  return copy;
}

let strictSpec: unknown;

function pathOf(error: ErrorObject, root: string): string {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  let out = root;
  for (const segment of segments) {
    out += /^\d+$/.test(segment) ? `[${segment}]` : out ? `.${segment}` : segment;
  }
  return out;
}

function describe(error: ErrorObject, root: string): string {
  const where = pathOf(error, root) || "the body";
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
    case "false schema":
      return `${where} must not be present`;
    default:
      return `${where} ${error.message ?? "is invalid"}`;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Creates a validator for the spec (ajv 2020 with formats, the spec loaded under the id `spec`). */
export function createSpecValidator(options: SpecValidatorOptions = {}): SpecValidator {
  const profile = options.profile ?? "core";
  if (profile !== "core" && profile !== "strict") {
    throw new Error(`The profile must be "core" or "strict", not ${JSON.stringify(profile)}.`);
  }
  if (profile === "strict" && strictSpec === undefined) strictSpec = strictDocument(spec);
  const document = (profile === "strict" ? strictSpec : spec) as Json;
  /** An ajv 2020 instance with formats and the OpenAPI keywords, the document loaded as `spec`. */
  const ajvOf = (coerceTypes: boolean) => {
    const instance = new Ajv2020({ allErrors: true, strict: false, coerceTypes });
    addFormats(instance);
    instance.addVocabulary([...openapiSchemaKeywords]);
    instance.addSchema(document, SPEC_ID);
    return instance;
  };
  const ajv = ajvOf(options.coerceTypes === true);

  const resolve = (ref: string) => resolveRef(ref, document) as Json | undefined;

  // ajv compiles a schema on its first getSchema and answers the same function afterwards.
  const validatorFor = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`The spec has no schema at ${ref}.`);
    return validate;
  };

  const explain = (ref: string, data: unknown, root: string, depth: number): string[] => {
    const schema = resolve(ref);
    if (!schema || depth > 32) return [`${root || "the body"} is invalid`];
    if (typeof schema.$ref === "string" && Object.keys(schema).length === 1) {
      return explain(`${SPEC_ID}${schema.$ref}`, data, root, depth + 1);
    }
    if (schema.type === "array" && isObject(schema.items) && Array.isArray(data)) {
      const items = `${ref}/items`;
      return data.flatMap((item, i) =>
        validatorFor(items)(item) ? [] : explain(items, item, `${root}[${i}]`, depth + 1),
      );
    }
    const discriminator = schema.discriminator as
      | { propertyName: string; mapping?: Record<string, string> }
      | undefined;
    if (discriminator && Array.isArray(schema.oneOf)) {
      if (!isObject(data)) return [`${root || "the body"} must be an object`];
      const mapping = discriminator.mapping ?? {};
      const value = data[discriminator.propertyName];
      const name = root ? `${root}.${discriminator.propertyName}` : discriminator.propertyName;
      if (value === undefined) {
        return [
          `${root || "the body"} must have required property '${discriminator.propertyName}'`,
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
      return explain(`${SPEC_ID}${target}`, data, root, depth + 1);
    }
    const reasons: string[] = [];
    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach((_part, i) => {
        const part = `${ref}/allOf/${i}`;
        if (!validatorFor(part)(data)) reasons.push(...explain(part, data, root, depth + 1));
      });
    }
    const validate = validatorFor(ref);
    if (validate(data)) return reasons;
    // The summaries of combinators only repeat what their parts said (or what allOf gave above).
    const errors = (validate.errors ?? []).filter(
      (e) =>
        e.keyword !== "if" &&
        e.keyword !== "oneOf" &&
        e.keyword !== "anyOf" &&
        !(reasons.length > 0 && e.schemaPath.includes("/allOf/")),
    );
    reasons.push(
      ...(errors.length > 0 ? errors : (validate.errors ?? [])).map((e) => describe(e, root)),
    );
    return reasons;
  };

  const queryValidators = new Map<QueryOperation, ValidateFunction>();
  const queryAjv = options.coerceTypes ? ajv : ajvOf(true);

  return {
    profile,
    ajv,
    isValid(ref, data) {
      return validatorFor(ref)(data) === true;
    },
    problems(ref, data, { root = "", limit = 10 } = {}) {
      if (validatorFor(ref)(data)) return [];
      const reasons = [...new Set(explain(ref, data, root, 0))];
      if (reasons.length === 0) reasons.push(`${root || "the body"} is invalid`);
      if (reasons.length <= limit) return reasons;
      return [...reasons.slice(0, limit - 1), `and ${reasons.length - limit + 1} more`];
    },
    checkQuery(operation, query) {
      const declared = operation.parameters.filter((p) => p.in === "query");
      let validate = queryValidators.get(operation);
      if (!validate) {
        const properties: Json = {};
        const required: string[] = [];
        for (const p of declared) {
          properties[p.name] = { $ref: p.schemaRef };
          if (p.required) required.push(p.name);
        }
        validate = queryAjv.compile({ type: "object", properties, required });
        queryValidators.set(operation, validate);
      }
      const values: Record<string, unknown> = {};
      for (const { name } of declared) {
        if (!Object.hasOwn(query, name)) continue;
        const value = query[name];
        if (Array.isArray(value)) return { ok: false, problems: [`${name} must be given once`] };
        values[name] = value;
      }
      if (validate(values)) return { ok: true, values };
      return {
        ok: false,
        problems: [...new Set((validate.errors ?? []).map((e) => describe(e, "")))],
      };
    },
  };
}
