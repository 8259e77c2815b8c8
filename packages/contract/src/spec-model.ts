import { openapiSchemaKeywords, spec } from "@mgmtkit/spec";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// biome-ignore lint/suspicious/noExplicitAny: walks an arbitrary OpenAPI document.
type Json = any;

/** One operation of the spec, with what the suite needs to judge its answers. */
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  /** Documented response keys (`"200"`, `"5XX"`) mapped to the ajv ref of their JSON body schema. */
  responses: Map<string, string | undefined>;
  matches(pathname: string): boolean;
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function resolvePointer(pointer: string): Json {
  const path = pointer.replace(/^(spec)?#\//, "").split("/");
  return path.reduce(
    (at: Json, key: string) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")],
    spec,
  );
}

function buildOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    // Connection names never contain "/", so one segment per path parameter identifies the
    // operation; a trailing slash is the same resource (spec quirk 5).
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+").replaceAll(".", "\\.")}/?$`);
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (method === "parameters" || typeof operation !== "object") continue;
      const responses = new Map<string, string | undefined>();
      for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
        const base =
          typeof response.$ref === "string"
            ? response.$ref
            : `#/paths/${escapePointer(path)}/${method}/responses/${status}`;
        const resolved = resolvePointer(base);
        const hasJson = resolved?.content?.["application/json"]?.schema !== undefined;
        responses.set(status, hasJson ? `spec${base}/content/application~1json/schema` : undefined);
      }
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        responses,
        matches: (pathname) => pattern.test(pathname),
      });
    }
  }
  return operations;
}

/** Every operation the spec documents, in document order. */
export const operations: readonly Operation[] = buildOperations();

/** The operation a request addresses, if the spec documents one. */
export function findOperation(method: string, pathname: string): Operation | undefined {
  return operations.find((op) => op.method === method && op.matches(pathname));
}

/** The documented response key (`"404"`, `"5XX"`) a status falls under, if any. */
export function documentedResponseKey(op: Operation, status: number): string | undefined {
  const exact = String(status);
  if (op.responses.has(exact)) return exact;
  const range = `${exact[0]}XX`;
  return op.responses.has(range) ? range : undefined;
}

let ajvInstance: InstanceType<typeof Ajv2020.default> | undefined;

function ajv() {
  if (!ajvInstance) {
    ajvInstance = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajvInstance);
    ajvInstance.addVocabulary([...openapiSchemaKeywords]);
    ajvInstance.addSchema(spec as object, "spec");
  }
  return ajvInstance;
}

const compiled = new Map<string, ReturnType<ReturnType<typeof ajv>["compile"]>>();

function validatorFor(schema: object) {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    const ref = (schema as { $ref?: unknown }).$ref;
    validate =
      typeof ref === "string" && Object.keys(schema).length === 1 && ref.startsWith("spec#")
        ? (ajv().getSchema(ref) ?? ajv().compile(schema))
        : ajv().compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Validates `data` against a schema (usually `{ $ref: "spec#/..." }`) and returns one line per
 * problem, empty when valid. A `oneOf` with a discriminator is narrowed to the branch the
 * discriminator names, and arrays are checked element by element, so that a broken connection
 * reads "[2].provisioning_ticket_url: must be present" instead of ajv's five-branch `oneOf` dump.
 */
export function schemaProblems(schema: object, data: unknown, at = ""): string[] {
  const rawRef = (schema as { $ref?: unknown }).$ref;
  const ref = typeof rawRef === "string" ? rawRef : undefined;
  const target = ref ? resolveDeep(ref) : undefined;
  if (target && ref) {
    if (target.type === "array" && target.items && Array.isArray(data)) {
      const itemSchema = itemsRef(ref, target);
      return data.flatMap((item, index) => schemaProblems(itemSchema, item, `${at}[${index}]`));
    }
    if (target.oneOf && target.discriminator?.propertyName && isObject(data)) {
      const value = data[target.discriminator.propertyName];
      const mapped = typeof value === "string" ? target.discriminator.mapping?.[value] : undefined;
      if (mapped) return schemaProblems({ $ref: `spec${mapped}` }, data, at);
    }
  }
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const where = `${at}${error.instancePath.replaceAll("/", ".")}` || "body";
    const extra =
      error.keyword === "const" || error.keyword === "enum"
        ? ` ${JSON.stringify((error.params as { allowedValue?: unknown }).allowedValue ?? (error.params as { allowedValues?: unknown }).allowedValues)}`
        : "";
    seen.add(`${where.replace(/^\./, "")}: ${error.message ?? error.keyword}${extra}`);
  }
  return [...seen];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveDeep(ref: string): Json {
  let node = resolvePointer(ref);
  for (let hops = 0; typeof node?.$ref === "string" && hops < 10; hops++) {
    node = resolvePointer(node.$ref);
  }
  return node;
}

function itemsRef(ref: string, target: Json): object {
  if (typeof target.items.$ref === "string") return { $ref: `spec${target.items.$ref}` };
  // Inline items: point into the array schema itself, following the ref chain's last hop.
  let pointer = ref;
  for (let node = resolvePointer(pointer); typeof node?.$ref === "string"; ) {
    pointer = `spec${node.$ref}`;
    node = resolvePointer(node.$ref);
  }
  return { $ref: `${pointer}/items` };
}

/** The ajv-backed JSON-schema adapter plugged into pactum (see `http.ts`). */
export const jsonSchemaAdapter = {
  validate(schema: object, target: unknown): string | undefined {
    const problems = schemaProblems(schema, target);
    return problems.length > 0 ? problems.join("\n") : undefined;
  },
};

/** The five documented strategies and which of them the spec calls social. */
export const strategies = ["adfs", "google-apps", "google-oauth2", "office365", "windowslive"];
export const enterpriseStrategies = ["adfs", "google-apps", "office365"];
export const provisionedStrategies = ["adfs", "google-apps", "office365"];
