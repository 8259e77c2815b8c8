import {
  exampleConnections,
  type JsonSchema,
  type Strategy,
  strategies,
  variantRef,
} from "@mgmtkit/spec/model";
import fc from "fast-check";
import { point } from "../open-points.js";
import type { Profile } from "../types.js";
import {
  anyJson,
  anyText,
  memo,
  plainText,
  propertiesOf,
  schemaArbitrary,
} from "./schema-arbitrary.js";

/** The longest name the spec's servers take (spec ConnectionName). */
const MAX_NAME = 128;

/**
 * A connection name that starts with `base` (the case's unique name), with a suffix drawn from the
 * characters every reading takes: `core` lower-case letters, digits and hyphens (open point
 * connection.names), `strict` those of the spec's ConnectionName; up to the 128 characters the
 * spec allows, that boundary included.
 */
export function strictName(profile: Profile, base: string): fc.Arbitrary<string> {
  const chars = [...point("connection.names").under(profile).suiteAlphabet];
  const room = MAX_NAME - base.length - 2;
  if (room <= 0) return fc.constant(base);
  const suffix = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.string({ unit: fc.constantFrom(...chars), maxLength: Math.min(room, 16) }),
    },
    { weight: 1, arbitrary: fc.constant("x".repeat(room)) },
  );
  return suffix.map((text) => (text ? `${base}-${text}z` : base));
}

function refNode(ref: string): { $ref: string } {
  return { $ref: ref.slice(ref.indexOf("#")) };
}

/** The documented option properties of a strategy's create body, by name. */
export const optionSchemas = memo(
  (strategy: Strategy): Record<string, JsonSchema> =>
    propertiesOf(propertiesOf(refNode(variantRef("ConnectionCreate", strategy))).options),
);

/**
 * Options for a strategy. `core`: every key of the spec's complete example (a server may require
 * each, open point create.option-keys), plus any other documented ones, with plain non-empty
 * strings. `strict`: any documented subset, strings of any Unicode text (spec quirk 10).
 */
export function optionsArbitrary(
  profile: Profile,
  strategy: Strategy,
): fc.Arbitrary<Record<string, unknown>> {
  const key = `${profile} ${strategy}`;
  let options = optionsCache.get(key);
  if (!options) {
    options = makeOptions(profile, strategy);
    optionsCache.set(key, options);
  }
  return options;
}

// Arbitraries are immutable: one per profile and strategy serves every case.
const optionsCache = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

function makeOptions(profile: Profile, strategy: Strategy): fc.Arbitrary<Record<string, unknown>> {
  const texts = { plain: plainText, any: anyText };
  const policy = { text: texts[point("create.option-values").under(profile).suiteText] };
  const schemas = optionSchemas(strategy);
  const model = Object.fromEntries(
    Object.entries(schemas).map(([key, schema]) => [key, schemaArbitrary(schema, policy)]),
  );
  const requiredKeys = point("create.option-keys").under(profile).suiteSendsExampleKeys
    ? Object.keys(exampleConnections[strategy].options ?? {})
    : [];
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

const statusArbitrary = fc.constantFrom<0 | 1>(0, 1);
const serverOwnedValue = anyJson(1);

/**
 * A valid create body. `core` carries what a strict reading of the document may require: status
 * and options with every key of the spec's example (open points create.status-omitted,
 * create.options-omitted, create.option-keys), no client_id (client-id.foreign) and no property
 * the spec does not list (create.unknown-fields). `strict` draws what the spec allows: status and
 * options optional, the server-owned fields with any value.
 */
export function connectionBody(
  profile: Profile,
  base: string,
  among: readonly Strategy[] = strategies,
): fc.Arbitrary<{ strategy: Strategy; body: Record<string, unknown> }> {
  const status = point("create.status-omitted").under(profile).suiteMayOmit ? [] : ["status"];
  const options = point("create.options-omitted").under(profile).suiteMayOmit ? [] : ["options"];
  const owned = point("client-id.foreign").under(profile).suiteSendsServerOwned;
  return fc.constantFrom(...among).chain((strategy) =>
    fc
      .record(
        {
          name: strictName(profile, base),
          status: statusArbitrary,
          options: optionsArbitrary(profile, strategy),
          ...(owned ? { id: serverOwnedValue, client_id: serverOwnedValue } : {}),
        },
        { requiredKeys: ["name", ...status, ...options] as Array<"name"> },
      )
      .map((f) => ({ strategy, body: { ...f, strategy } })),
  );
}

/**
 * A valid replacement of the connection `name` of `strategy`: name, status, strategy and options
 * ("All object parameters must be included, not only those which have changed"). Under `core` the
 * request adds the client_id the connection shows, as a reading that requires every field of the
 * document's connection object would; under `strict` the server-owned fields may come with any
 * value.
 */
export function replacementBody(
  profile: Profile,
  name: string,
  strategy: Strategy,
): fc.Arbitrary<Record<string, unknown>> {
  const required = { status: statusArbitrary, options: optionsArbitrary(profile, strategy) };
  const fields = point("client-id.foreign").under(profile).suiteSendsServerOwned
    ? fc.record(
        { ...required, id: serverOwnedValue, provisioning_ticket: serverOwnedValue },
        { requiredKeys: ["status", "options"] },
      )
    : fc.record(required);
  return fields.map((f) => ({ name, ...f, strategy }));
}
