import { deref, type JsonSchema, type Strategy, strategies } from "@mgmtkit/spec/model";
import fc from "fast-check";
import { type OpenPointId, point, type RequestReading } from "../open-points.js";
import type { Profile } from "../types.js";
import {
  decided,
  type Edit,
  type Family,
  family,
  inputRefusals,
  isMarked,
  type Make,
  type Shape,
} from "./family.js";
import { anyJson, plainText, propertiesOf, resolved, typesOf } from "./schema-arbitrary.js";

/**
 * Generic mutations of an operation's request body, read from its schema in the spec, as
 * Schemathesis' negative mode makes them: a required property dropped (or an empty object), a
 * value of another JSON type, null, a number out of range, a string too long or empty, a value
 * outside an enum or a const, a property the schema does not know. They apply at every level of
 * the body (the properties of `options` too). The spec's open points (`x-open-point`) decide
 * which of them a server must refuse, and which the document leaves open.
 */
export type Operator =
  | "missing-required"
  | "empty-object"
  | "wrong-type"
  | "null"
  | "out-of-range"
  | "too-long"
  | "empty"
  | "unknown"
  | "unknown-fields";

/** One mutation at one place of a body's schema. */
interface Change {
  operator: Operator;
  /** The place as the spec's open points name it: `""`, `/status`, `/options/*` (any option). */
  at: string;
  /** What reports and family ids call the place: `""` for the body, `status`, `option`. */
  label: string;
  /** The JSON type of the values put there (`absent` for a dropped property). */
  type: string;
  /** Whether the schema allows what the change sends (an unknown property it does not close). */
  allowed?: boolean;
  edits: fc.Arbitrary<Edit>;
}

type Path = readonly string[];

function at(body: unknown, path: Path): Record<string, unknown> {
  let node = body;
  for (const key of path) node = (node as Record<string, unknown>)?.[key];
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>) : {};
}

/** The body with `path` set to `value`, or left out when `value` is `undefined`. */
function set(body: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const [key, ...rest] = path;
  if (key === undefined) return value as Record<string, unknown>;
  const next = { ...body };
  if (rest.length > 0) next[key] = set(at(body, [key]), rest, value);
  else if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

const put = (path: Path, values: fc.Arbitrary<unknown>) =>
  values.map(
    (value): Edit =>
      (body) =>
        set(body, path, value),
  );

/** Values of each JSON type but null, to put where the schema wants another. */
const TYPED: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.constantFrom("true", "1", "0", "yes", ""),
  integer: fc.integer(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
  boolean: fc.boolean(),
  array: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 2 }),
  object: fc.constant({ value: true }),
};
const allows = (types: string[], type: string) =>
  types.includes(type) || (type === "integer" && types.includes("number"));

/** Names of properties no schema of the spec knows, for bodies and forms. */
const UNKNOWN_NAMES = ["favourite_colour", "x_vendor", "metadata", "audience", "state"];

/** Strings near the allowed ones but none of them: their case, a letter less, a space, others. */
function outside(allowed: string[]): fc.Arbitrary<string> {
  const near = allowed
    .flatMap((s) => [s.toUpperCase(), s.slice(0, -1), `${s} `])
    .filter((s) => !allowed.includes(s));
  return fc.oneof(
    fc.constantFrom(...near, ""),
    plainText.map((t) => `mgmtkit-${t}`),
  );
}

function valueChanges(node: unknown, path: Path, where: string, label: string, form: boolean) {
  const { schema } = resolved(node);
  const types = typesOf(node);
  const out: Change[] = [];
  // A property of any value (a server-owned field) has no wrong value.
  if (types.length === 0) return out;
  const change = (operator: Operator, type: string, edits: fc.Arbitrary<Edit>) =>
    out.push({ operator, at: where, label, type, edits });
  if (!form) {
    for (const [type, values] of Object.entries(TYPED)) {
      if (!allows(types, type)) change("wrong-type", type, put(path, values));
    }
    // An array whose items have another type is of another type too.
    const items = types.includes("array") ? typesOf(schema.items ?? {}) : [];
    const wrongItem =
      items.length > 0 ? Object.keys(TYPED).find((t) => !allows(items, t)) : undefined;
    if (wrongItem) {
      const item = TYPED[wrongItem] as fc.Arbitrary<unknown>;
      change(
        "wrong-type",
        "array",
        put(
          path,
          item.map((v) => [v]),
        ),
      );
    }
    if (!types.includes("null")) change("null", "null", put(path, fc.constant(null)));
  }
  const listed =
    schema.const !== undefined ? [schema.const] : (schema.enum as unknown[] | undefined);
  const numbers = listed?.filter((v): v is number => typeof v === "number") ?? [];
  const min = numbers.length > 0 ? Math.min(...numbers) : (schema.minimum as number | undefined);
  const max = numbers.length > 0 ? Math.max(...numbers) : (schema.maximum as number | undefined);
  const range: fc.Arbitrary<number>[] = [];
  if (max !== undefined) range.push(fc.integer({ min: max + 1 }));
  if (min !== undefined) range.push(fc.integer({ max: min - 1 }));
  if (range.length > 0 && !form) change("out-of-range", "integer", put(path, fc.oneof(...range)));
  const texts = listed?.filter((v): v is string => typeof v === "string") ?? [];
  if (texts.length > 0) change("unknown", "string", put(path, outside(texts)));
  if (types.includes("string") && texts.length === 0) {
    const longest = schema.maxLength as number | undefined;
    if (longest !== undefined) {
      const long = fc.integer({ min: longest + 1, max: longest + 200 }).map((n) => "x".repeat(n));
      change("too-long", "string", put(path, long));
    }
    if (typeof schema.minLength === "number" && schema.minLength > 0) {
      change("empty", "string", put(path, fc.constant("")));
    }
  }
  if (types.includes("object") && !form) out.push(...objectChanges(node, path, where, label, form));
  return out;
}

/** `options` → `option`: what one property of an object of properties is called. */
const singular = (label: string) => label.replace(/s$/, "");

function objectChanges(node: unknown, path: Path, where: string, label: string, form: boolean) {
  const { schema } = resolved(node);
  const out: Change[] = [];
  const required = (schema.required ?? []) as string[];
  if (required.length > 0) {
    const dropped = fc.constantFrom(...required).map(
      (key): Edit =>
        (body) =>
          set(body, [...path, key], undefined),
    );
    out.push({
      operator: "missing-required",
      at: where,
      label,
      type: "absent",
      edits: dropped,
    });
    // An empty object is a class of its own: one property left out at a time meets each.
    if (!form) {
      out.push({
        operator: "empty-object",
        at: where,
        label,
        type: "absent",
        edits: put(path, fc.constant({})),
      });
    }
  }
  const extra = fc.dictionary(fc.constantFrom(...UNKNOWN_NAMES), form ? plainText : anyJson(3), {
    minKeys: 1,
    maxKeys: 3,
  });
  out.push({
    operator: "unknown-fields",
    at: where,
    label,
    type: "extra",
    allowed: schema.additionalProperties !== false,
    edits: extra.map(
      (fields): Edit =>
        (body) =>
          set(body, path, { ...fields, ...at(body, path) }),
    ),
  });
  for (const [key, property] of Object.entries(propertiesOf(node))) {
    const child =
      path.length === 0
        ? { at: `/${key}`, label: key }
        : { at: `${where}/*`, label: singular(label) };
    out.push(...valueChanges(property, [...path, key], child.at, child.label, form));
  }
  return out;
}

/** Every change of a body schema: its own type first (a body that is not an object). */
function changesOf(schema: JsonSchema, form: boolean): Change[] {
  const notObject = fc.oneof(
    fc.constantFrom<unknown>(null, [], "connection", 42, true).map(
      (v): Edit =>
        () =>
          v,
    ),
    fc.constant<Edit>((body) => [body]),
  );
  const own: Change[] = form
    ? []
    : [{ operator: "wrong-type", at: "", label: "", type: "not-object", edits: notObject }];
  return [...own, ...objectChanges(schema, [], "", "", form)];
}

/**
 * The open points a change may fall under. `anywhere`: what the point leaves open is left out
 * where the spec does not mark it, as the document leaves it open there too; otherwise the point
 * decides only where the spec marks it.
 */
interface Concern {
  point: OpenPointId;
  anywhere?: boolean;
  /** The family's name, in place of the operator's. */
  name?: string;
  applies(c: Change): boolean;
  reading(profile: Profile): RequestReading;
}

const CONCERNS: Concern[] = [
  {
    point: "create.loose-values",
    anywhere: true,
    name: "loose",
    applies: (c) =>
      (c.at === "/status" && (c.type === "boolean" || c.type === "null")) ||
      (c.at === "/options" && (c.type === "null" || c.type === "array")),
    reading: (p) => point("create.loose-values").under(p),
  },
  {
    point: "create.option-values",
    anywhere: true,
    applies: (c) => c.at === "/options/*" && c.operator === "wrong-type",
    reading: (p) => point("create.option-values").under(p).otherType,
  },
  {
    point: "create.option-values",
    anywhere: true,
    applies: (c) => c.at === "/options/*" && c.operator === "null",
    reading: (p) => point("create.option-values").under(p).nullValue,
  },
  {
    point: "connection.names",
    applies: (c) => c.at === "/name" && c.operator === "too-long",
    reading: (p) => point("connection.names").under(p),
  },
  {
    point: "replace.fixed-fields",
    applies: (c) => c.at === "/name",
    reading: (p) => point("replace.fixed-fields").under(p),
  },
  {
    point: "create.unknown-fields",
    applies: (c) => c.at === "" && c.operator === "unknown-fields",
    reading: (p) => point("create.unknown-fields").under(p),
  },
  {
    point: "token.request-variants",
    name: "extra-parameters",
    applies: (c) => c.at === "" && c.operator === "unknown-fields",
    reading: (p) => point("token.request-variants").under(p).extraParameters,
  },
  {
    point: "token.request-variants",
    applies: (c) => c.at === "/type",
    reading: (p) => point("token.request-variants").under(p).otherType,
  },
  {
    point: "token.other-grant",
    applies: (c) => c.at === "/grant_type",
    reading: (p) => point("token.other-grant").under(p),
  },
];

const place = (where: string) => (where.endsWith("/*") ? where.slice(0, -2) : where);

/** The reading that decides a change and the family's name, or `skip` to leave it out. */
function decide(shape: Shape, c: Change): { reading?: RequestReading; name: string } | "skip" {
  const operator = c.label === "" && c.operator === "wrong-type" ? "body-not-object" : c.operator;
  const named = (name: string) => (c.label === "" ? name : `${c.label}-${name}`);
  for (const concern of CONCERNS) {
    if (!concern.applies(c)) continue;
    if (isMarked(shape.operation, place(c.at), concern.point)) {
      return { reading: concern.reading(shape.profile), name: named(concern.name ?? operator) };
    }
    if (concern.anywhere) return "skip";
  }
  return c.allowed ? "skip" : { name: named(operator) };
}

const WHAT: Record<Operator, string> = {
  "missing-required": "without one of its required properties",
  "empty-object": "an empty object",
  "wrong-type": "of another JSON type",
  null: "null",
  "out-of-range": "a number out of its range",
  "too-long": "longer than the spec allows",
  empty: "empty",
  unknown: "a value outside the ones the spec lists",
  "unknown-fields": "with properties the spec does not list",
};

/** The body the schema at `schema` describes for one strategy (the discriminator's variant). */
function variants(schema: JsonSchema): Array<[Strategy | undefined, JsonSchema]> {
  const mapping = (schema.discriminator as { mapping?: Record<string, string> } | undefined)
    ?.mapping;
  if (!mapping) return [[undefined, schema]];
  return strategies.filter((s) => mapping[s]).map((s) => [s, deref({ $ref: mapping[s] }, "").node]);
}

/** The generated families of an operation's body: one per place and mutation, as its open points decide. */
export function mutationFamilies(shape: Shape): Family[] {
  const media = shape.operation.requestBody?.content[0];
  const edited = shape.edited;
  if (!media || !edited) return [];
  const groups = new Map<
    string,
    {
      change: Change;
      reading: RequestReading | undefined;
      edits: Map<Strategy | undefined, Array<fc.Arbitrary<Edit>>>;
    }
  >();
  for (const [strategy, schema] of variants(media.schema)) {
    for (const change of changesOf(schema, shape.body === "form")) {
      const decision = decide(shape, change);
      if (decision === "skip") continue;
      const group = groups.get(decision.name) ?? {
        change,
        reading: decision.reading,
        edits: new Map(),
      };
      group.edits.set(strategy, [...(group.edits.get(strategy) ?? []), change.edits]);
      groups.set(decision.name, group);
    }
  }
  return [...groups].map(([name, { change, reading, edits }]) => {
    const among = [...edits.keys()].filter((s): s is Strategy => s !== undefined);
    const make: Make = (caseName) =>
      edited(
        caseName,
        (s) => fc.oneof(...(edits.get(s) ?? [])),
        among.length > 0 ? among : undefined,
      );
    const description = `a ${shape.body === "form" ? "form" : "body"}${change.label ? `'s ${change.label}` : ""} ${WHAT[change.operator]}`;
    return reading
      ? decided(shape, name, reading, description, make)
      : family(shape.operation, name, "invalid", description, make, {
          refused: inputRefusals(shape.operation, shape.profile),
        });
  });
}
