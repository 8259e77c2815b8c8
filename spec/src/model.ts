/**
 * The one reader of the spec: its operations, parameters, bodies and answers as typed objects, the
 * strategies and their example connections, and a validator that explains failures field by field.
 * Every package reads the spec through this module instead of walking `paths` by hand.
 */
import type { OpenAPIV3_1 } from "openapi-types";
import type { OperationId, Strategy } from "./generated/names.js";
import { spec } from "./index.js";
import { pointerSegment, resolveRef, SPEC_ID, specRef } from "./refs.js";

export type { OperationId, Strategy } from "./generated/names.js";
export { pointerSegment, resolveRef, SPEC_ID, specRef } from "./refs.js";
export { createSpecValidator, type SpecProfile, type SpecValidator } from "./validator.js";

/** A JSON Schema (2020-12) object of the spec. */
export type JsonSchema = Record<string, unknown>;

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";

/** One parameter of an operation, its `$ref` resolved. */
export interface ParameterModel {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  description?: string;
  schema: JsonSchema;
  /** The schema's ref for the validator, `spec#/…`. */
  schemaRef: string;
}

/** One example of a body. */
export interface ExampleModel {
  name: string;
  summary?: string;
  value: unknown;
}

/** A body in one media type. */
export interface MediaTypeModel {
  mediaType: string;
  /** The schema's ref for the validator, `spec#/…`. */
  schemaRef: string;
  /** The schema, its top-level `$ref` resolved. */
  schema: JsonSchema;
  examples: readonly ExampleModel[];
}

export interface RequestBodyModel {
  required: boolean;
  content: readonly MediaTypeModel[];
  /** The media types in the spec's order, lower-case (`application/json`). */
  mediaTypes: readonly string[];
}

/** One documented answer of an operation. */
export interface ResponseModel {
  /** The key in the spec: `"200"`, `"404"`, `"5XX"`. */
  key: string;
  description: string;
  /** The JSON body, when the spec documents one. */
  json?: MediaTypeModel;
  /** Names of the documented response headers, lower-case. */
  headers: readonly string[];
}

/**
 * A place of an operation's request where the document leaves open whether a server takes what
 * a client sends (`x-open-point` in the spec): the conformance suite holds each point's readings.
 */
export interface RequestOpenPoint {
  /** The open point's id, `<topic>.<point>` (`create.option-values`). */
  point: string;
  /**
   * Where: `""` for the whole body (its media type, its unknown properties), `/options` for a
   * property of the body, `query:per_page` or `path:connectionName` for a parameter.
   */
  at: string;
}

/** One operation of the spec. */
export interface OperationModel {
  id: OperationId;
  method: HttpMethod;
  /** The path template, such as `/api/connections/{connectionName}`. */
  path: string;
  summary: string;
  tags: readonly string[];
  /** Whether the operation needs an access token (every `/api` operation). */
  secured: boolean;
  /** Path-level and operation-level parameters, resolved. */
  parameters: readonly ParameterModel[];
  requestBody?: RequestBodyModel;
  /** Documented answers by key (`"200"`, `"5XX"`), in the spec's order. */
  responses: ReadonlyMap<string, ResponseModel>;
  /** The places of the request the spec marks as open points (`x-open-point`), in document order. */
  openPoints: readonly RequestOpenPoint[];
  /**
   * The decoded path parameters when `pathname` addresses this operation's path (a trailing slash
   * is the same resource, spec quirk 5), otherwise undefined. A malformed percent-escape matches
   * nothing.
   */
  match(pathname: string): Record<string, string> | undefined;
  /** The documented answer a status falls under: the exact key, else its class (`"5XX"`). */
  responseFor(status: number): ResponseModel | undefined;
  /** The path with these parameters filled in, each percent-encoded as one segment. */
  pathFor(params?: Record<string, string>): string;
}

const METHODS = ["get", "put", "post", "delete"] as const;

/** Follows `$ref` hops from `node`; answers the final node and the validator ref it lives at. */
export function deref(node: unknown, at: string): { node: JsonSchema; ref: string } {
  let current = node as JsonSchema;
  let ref = at;
  for (let hops = 0; typeof current?.$ref === "string" && hops < 32; hops++) {
    ref = `${SPEC_ID}${current.$ref}`;
    current = resolveRef(ref) as JsonSchema;
  }
  return { node: current, ref };
}

function mediaTypeModel(mediaType: string, media: JsonSchema, at: string): MediaTypeModel {
  const schemaAt = `${at}/content/${pointerSegment(mediaType)}/schema`;
  const schema = deref(media.schema, schemaAt);
  const examples = Object.entries((media.examples ?? {}) as Record<string, JsonSchema>).map(
    ([name, example]) => {
      const resolved = deref(example, "").node;
      return {
        name,
        ...(typeof resolved.summary === "string" ? { summary: resolved.summary } : {}),
        value: resolved.value,
      };
    },
  );
  return { mediaType: mediaType.toLowerCase(), schemaRef: schemaAt, schema: schema.node, examples };
}

/** The open point ids an `x-open-point` extension names (one id or a list). */
function openPointIds(node: unknown): string[] {
  const value = (node as JsonSchema | undefined)?.["x-open-point"];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Every `x-open-point` of a request body schema, with the property path it sits at: through
 * `$ref`, the variants of `oneOf`/`anyOf`/`allOf` and `properties`, one level of properties deep.
 */
function schemaOpenPoints(node: unknown, at: string, found: RequestOpenPoint[], depth = 0): void {
  if (depth > 16 || typeof node !== "object" || node === null) return;
  for (const point of openPointIds(node)) found.push({ point, at });
  const schema = node as JsonSchema;
  if (typeof schema.$ref === "string") {
    schemaOpenPoints(resolveRef(schema.$ref), at, found, depth + 1);
  }
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    for (const part of (schema[key] ?? []) as unknown[]) {
      schemaOpenPoints(part, at, found, depth + 1);
    }
  }
  if (at !== "") return;
  for (const [name, property] of Object.entries((schema.properties ?? {}) as JsonSchema)) {
    schemaOpenPoints(property, `/${name}`, found, depth + 1);
  }
}

function requestOpenPoints(
  requestBody: unknown,
  parameters: ReadonlyArray<{ node: JsonSchema }>,
): RequestOpenPoint[] {
  const found: RequestOpenPoint[] = [];
  for (const { node } of parameters) {
    for (const point of openPointIds(node)) found.push({ point, at: `${node.in}:${node.name}` });
  }
  if (requestBody) {
    const body = deref(requestBody, "").node;
    for (const point of openPointIds(body)) found.push({ point, at: "" });
    for (const media of Object.values((body.content ?? {}) as Record<string, JsonSchema>)) {
      schemaOpenPoints(media.schema, "", found);
    }
  }
  const seen = new Set<string>();
  return found.filter(({ point, at }) => {
    const key = `${point} ${at}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function matcher(path: string): (pathname: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (param) {
        names.push(param[1] as string);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  const regex = new RegExp(`^${source}/?$`);
  return (pathname) => {
    const found = regex.exec(pathname);
    if (!found) return undefined;
    const params: Record<string, string> = {};
    try {
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] as string);
      });
    } catch {
      return undefined;
    }
    return params;
  };
}

function buildOperations(): OperationModel[] {
  const operations: OperationModel[] = [];
  const paths = spec.paths ?? {};
  for (const [path, item] of Object.entries(paths) as Array<[string, JsonSchema]>) {
    const pathAt = specRef("paths", path);
    const match = matcher(path);
    for (const method of METHODS) {
      const op = item[method] as OpenAPIV3_1.OperationObject | undefined;
      if (!op) continue;
      const opAt = `${pathAt}/${method}`;
      const declared = [
        ...((item.parameters as unknown[]) ?? []).map((p, i) =>
          deref(p, `${pathAt}/parameters/${i}`),
        ),
        ...(op.parameters ?? []).map((p, i) => deref(p, `${opAt}/parameters/${i}`)),
      ];
      const parameters = new Map<string, ParameterModel>();
      for (const { node, ref } of declared) {
        const schema = deref(node.schema, `${ref}/schema`);
        // An operation's parameter overrides the path's of the same name and place.
        parameters.set(`${node.in}:${node.name}`, {
          name: node.name as string,
          in: node.in as ParameterModel["in"],
          required: node.required === true,
          ...(typeof node.description === "string" ? { description: node.description } : {}),
          schema: schema.node,
          schemaRef: `${ref}/schema`,
        });
      }
      let requestBody: RequestBodyModel | undefined;
      if (op.requestBody) {
        const body = deref(op.requestBody, `${opAt}/requestBody`);
        const content = Object.entries((body.node.content ?? {}) as Record<string, JsonSchema>).map(
          ([type, media]) => mediaTypeModel(type, media, body.ref),
        );
        requestBody = {
          required: body.node.required === true,
          content,
          mediaTypes: content.map((c) => c.mediaType),
        };
      }
      const responses = new Map<string, ResponseModel>();
      for (const [key, response] of Object.entries(op.responses ?? {})) {
        const resolved = deref(response, `${opAt}/responses/${pointerSegment(key)}`);
        const content = (resolved.node.content ?? {}) as Record<string, JsonSchema>;
        const json = content["application/json"];
        responses.set(key.toUpperCase(), {
          key: key.toUpperCase(),
          description: (resolved.node.description as string) ?? "",
          ...(json ? { json: mediaTypeModel("application/json", json, resolved.ref) } : {}),
          headers: Object.keys((resolved.node.headers ?? {}) as object).map((h) => h.toLowerCase()),
        });
      }
      const security = op.security ?? spec.security ?? [];
      operations.push({
        id: op.operationId as OperationId,
        method: method.toUpperCase() as HttpMethod,
        path,
        summary: op.summary ?? "",
        tags: op.tags ?? [],
        secured: security.length > 0 && !security.some((s) => Object.keys(s).length === 0),
        parameters: [...parameters.values()],
        ...(requestBody ? { requestBody } : {}),
        responses,
        openPoints: requestOpenPoints(op.requestBody, declared),
        match,
        responseFor(status) {
          const exact = String(status);
          return responses.get(exact) ?? responses.get(`${exact[0]}XX`) ?? responses.get("DEFAULT");
        },
        pathFor(params = {}) {
          return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
            const value = params[name];
            if (value === undefined) throw new Error(`pathFor: no value for {${name}} in ${path}.`);
            return encodeURIComponent(value);
          });
        },
      });
    }
  }
  return operations;
}

/** Every operation the spec documents, in document order. */
export const operations: readonly OperationModel[] = buildOperations();

const byId = new Map(operations.map((op) => [op.id, op]));

/** The operation with this `operationId`. */
export function getOperation(id: OperationId): OperationModel {
  const op = byId.get(id);
  if (!op) throw new Error(`The spec has no operation ${id}.`);
  return op;
}

/** The operation a request addresses, with its decoded path parameters, if the spec documents one. */
export function matchOperation(
  method: string,
  pathname: string,
): { operation: OperationModel; params: Record<string, string> } | undefined {
  const upper = method.toUpperCase();
  for (const operation of operations) {
    if (operation.method !== upper) continue;
    const params = operation.match(pathname);
    if (params) return { operation, params };
  }
  return undefined;
}

/** The methods the spec documents at the path `pathname` addresses (empty for an unknown path). */
export function methodsAt(pathname: string): HttpMethod[] {
  return operations.filter((op) => op.match(pathname) !== undefined).map((op) => op.method);
}

const strategySchema = (spec.components?.schemas?.Strategy ?? {}) as JsonSchema;
const strategyChoices = (strategySchema.oneOf ?? []) as JsonSchema[];

/** The documented strategies, in the spec's order (`components.schemas.Strategy`). */
export const strategies: readonly Strategy[] = strategyChoices.map((c) => c.const as Strategy);

/** The social strategies (`x-social`), whose users `/api/socialconnections/users` lists. */
export const socialStrategies: readonly Strategy[] = strategyChoices
  .filter((c) => c["x-social"] === true)
  .map((c) => c.const as Strategy);

/** The strategies that are not social (enterprise directories). */
export const enterpriseStrategies: readonly Strategy[] = strategies.filter(
  (s) => !socialStrategies.includes(s),
);

/** Every property name a schema requires, through `allOf` and `$ref`. */
function requiredProperties(node: unknown, at: string, depth = 0): Set<string> {
  const found = new Set<string>();
  if (depth > 16) return found;
  const { node: schema, ref } = deref(node, at);
  for (const name of (schema.required ?? []) as string[]) found.add(name);
  ((schema.allOf ?? []) as unknown[]).forEach((part, i) => {
    for (const name of requiredProperties(part, `${ref}/allOf/${i}`, depth + 1)) found.add(name);
  });
  return found;
}

/** The schema of one strategy's variant of a discriminated union (`Connection`, `ConnectionCreate`). */
export function variantRef(unionSchema: string, strategy: Strategy): string {
  const union = resolveRef(specRef("components", "schemas", unionSchema)) as JsonSchema;
  const mapping = (union.discriminator as { mapping?: Record<string, string> })?.mapping ?? {};
  const target = mapping[strategy];
  if (!target) throw new Error(`${unionSchema} has no variant for ${strategy}.`);
  return `${SPEC_ID}${target}`;
}

/**
 * The `default` of each property of the object schema at `ref` (through `allOf`): what a server
 * fills in for a property a request left out.
 */
export function propertyDefaults(ref: string): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  const visit = (node: unknown, at: string, depth: number) => {
    if (depth > 16) return;
    const { node: schema, ref: here } = deref(node, at);
    for (const [i, part] of ((schema.allOf ?? []) as unknown[]).entries()) {
      visit(part, `${here}/allOf/${i}`, depth + 1);
    }
    for (const [name, property] of Object.entries(
      (schema.properties ?? {}) as Record<string, JsonSchema>,
    )) {
      if (property && "default" in property && !Object.hasOwn(defaults, name)) {
        defaults[name] = property.default;
      }
    }
  };
  visit(resolveRef(ref), ref, 0);
  return defaults;
}

/** The strategies whose connections always carry the provisioning fields. */
export const provisionedStrategies: readonly Strategy[] = strategies.filter((s) =>
  requiredProperties({ $ref: variantRef("Connection", s).slice(SPEC_ID.length) }, "").has(
    "provisioning_ticket_url",
  ),
);

/** A body of a create, as the spec's examples show it. */
export interface ConnectionExample {
  name: string;
  strategy: Strategy;
  status?: 0 | 1;
  options?: Record<string, unknown>;
  [key: string]: unknown;
}

const createExamples = (getOperation("createConnection").requestBody?.content ?? [])
  .filter((c) => c.mediaType === "application/json")
  .flatMap((c) => c.examples);

/** Every create example of the spec, in its order (the smallest era body first). */
export const connectionExamples: readonly ConnectionExample[] = createExamples.map(
  (e) => e.value as ConnectionExample,
);

/**
 * One complete create body per strategy (`status` and `options` given), from the spec's examples.
 * Give each a fresh `name` before sending it.
 */
export const exampleConnections: Readonly<Record<Strategy, ConnectionExample>> = Object.fromEntries(
  strategies.map((strategy) => {
    const example = connectionExamples.find(
      (e) => e.strategy === strategy && e.status !== undefined && e.options !== undefined,
    );
    if (!example) throw new Error(`The spec has no complete create example for ${strategy}.`);
    return [strategy, example];
  }),
) as Record<Strategy, ConnectionExample>;
