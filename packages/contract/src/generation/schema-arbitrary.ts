import { deref, type JsonSchema } from "@mgmtkit/spec/model";
import fc from "fast-check";

/**
 * Values valid against a schema of the spec, as fast-check arbitraries, over the subset of JSON
 * Schema the spec uses: `$ref`, `allOf` of objects, `oneOf` of `const`s, `const`, `enum`, `type`
 * (one or several), string `pattern`/`minLength`/`maxLength`/`format: uri`, integer and number
 * bounds, arrays of `items`, objects with `properties` and `required`, and the empty schema.
 *
 * Maintained generators were weighed first: json-schema-faker samples without shrinking and
 * without fast-check's seeds, and json-schema-fast-check is built on fast-check 1. The spec's
 * subset is small, so this one reads the schemas the model resolves and nothing else.
 */

/** How free text is drawn where a schema only says `type: string`. */
export interface TextPolicy {
  /** Strings without a pattern or format. */
  text: fc.Arbitrary<string>;
}

/** Printable ASCII, never empty: what any reading of the document takes as an option value. */
export const plainText: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._ "),
  minLength: 1,
  maxLength: 24,
});

/** Any Unicode text, astral characters included (what the spec's `type: string` allows). */
export const anyText: fc.Arbitrary<string> = fc.string({ unit: "grapheme", maxLength: 24 });

/**
 * Any JSON value, but for objects with a `__proto__` or `constructor` key: servers refuse those
 * as prototype poisoning (fastify does by default), a defence no reading of the spec forbids.
 */
export function anyJson(maxDepth: number): fc.Arbitrary<unknown> {
  return fc
    .jsonValue({ maxDepth })
    .filter((value) => !/"(__proto__|constructor)":/.test(JSON.stringify(value) ?? ""));
}

/** A schema node with its `$ref`s followed, and the ref it lives at. */
export function resolved(node: unknown, at = ""): { schema: JsonSchema; ref: string } {
  const { node: schema, ref } = deref(node, at);
  return { schema: schema ?? {}, ref };
}

/** The properties of an object schema, through `allOf` and `$ref`. */
export function propertiesOf(node: unknown, depth = 0): Record<string, JsonSchema> {
  const { schema } = resolved(node);
  const found: Record<string, JsonSchema> = {};
  if (depth > 16) return found;
  for (const part of (schema.allOf ?? []) as unknown[])
    Object.assign(found, propertiesOf(part, depth + 1));
  Object.assign(found, (schema.properties ?? {}) as Record<string, JsonSchema>);
  return found;
}

/** The JSON types a schema allows (`type` as a word or a list), or none when it says nothing. */
export function typesOf(node: unknown): string[] {
  const { schema } = resolved(node);
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === "string") return [schema.type];
  if (schema.const !== undefined) return [jsonType(schema.const)];
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map(jsonType))];
  if (Array.isArray(schema.oneOf))
    return [...new Set((schema.oneOf as unknown[]).flatMap(typesOf))];
  if (schema.properties) return ["object"];
  return [];
}

export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function stringArbitrary(schema: JsonSchema, policy: TextPolicy): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
  const fits = (s: string) =>
    s.length >= minLength && (maxLength === undefined || s.length <= maxLength);
  if (typeof schema.pattern === "string") {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  if (schema.format === "uri") return fc.webUrl();
  return policy.text.filter(fits);
}

/** An arbitrary of values valid against the schema `node` (optional properties drawn or not). */
export function schemaArbitrary(
  node: unknown,
  policy: TextPolicy,
  at = "",
  depth = 0,
): fc.Arbitrary<unknown> {
  const { schema, ref } = resolved(node, at);
  if (depth > 16) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf)) {
    return fc.oneof(
      ...(schema.oneOf as unknown[]).map((part, i) =>
        schemaArbitrary(part, policy, `${ref}/oneOf/${i}`, depth + 1),
      ),
    );
  }
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as unknown[]).map((part, i) =>
      schemaArbitrary(part, policy, `${ref}/allOf/${i}`, depth + 1),
    );
    return fc
      .tuple(...parts)
      .map((values) => Object.assign({}, ...values.filter((v) => typeof v === "object")));
  }
  const types = typesOf(schema);
  if (types.length === 0) return anyJson(2);
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case "string":
          return stringArbitrary(schema, policy);
        case "integer":
          return fc.integer({
            min: typeof schema.minimum === "number" ? schema.minimum : -(2 ** 31),
            max: typeof schema.maximum === "number" ? schema.maximum : 2 ** 31 - 1,
          });
        case "number":
          return fc.double({ noNaN: true, noDefaultInfinity: true });
        case "boolean":
          return fc.boolean();
        case "null":
          return fc.constant(null);
        case "array":
          return fc.array(schemaArbitrary(schema.items ?? {}, policy, `${ref}/items`, depth + 1), {
            maxLength: 3,
          });
        default:
          return objectArbitrary(schema, policy, ref, depth);
      }
    }),
  );
}

function objectArbitrary(
  schema: JsonSchema,
  policy: TextPolicy,
  ref: string,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      schemaArbitrary(property, policy, `${ref}/properties/${name}`, depth + 1),
    ]),
  );
  return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** One value per argument: arbitraries and schemas are immutable, and building them is not free. */
export function memo<A, R>(make: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg) => {
    if (!cache.has(arg)) cache.set(arg, make(arg));
    return cache.get(arg) as R;
  };
}
