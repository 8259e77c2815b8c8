import {
  type JsonSchema,
  type OperationModel,
  type Strategy,
  strategies,
} from "@mgmtkit/spec/model";
import fc from "fast-check";
import { type OpenPointId, point, type RequestReading, refusalsFor } from "../open-points.js";
import type { Profile } from "../types.js";
import { type Alteration, alterationKinds } from "./alterations.js";
import { connectionBody, optionSchemas, replacementBody, strictName } from "./bodies.js";
import type { AuthDraft, Draft, FormValue } from "./draft.js";
import { anyJson, anyText, memo, plainText, typesOf } from "./schema-arbitrary.js";

/**
 * What a generated request must get: `valid` a success, `invalid` a refusal (a 4xx), `open` a
 * success or a refusal, as the document leaves it open. Never a 5xx, whatever the kind.
 */
export type CaseKind = "valid" | "invalid" | "open";

/** One family of generated requests to one operation: inputs of one shape, drawn from a seed. */
export interface Family {
  /** `<operationId>/<kind>/<name>`, stable. */
  id: string;
  operation: OperationModel;
  kind: CaseKind;
  /** The inputs, in a few words, as reports print them. */
  description: string;
  /** For `invalid` families: the statuses that refuse (classes such as `"4xx"`). */
  refused: Array<number | string>;
  /** For `invalid` families: a 200 with an empty JSON array counts as a refusal (open point users.unknown-connection). */
  emptyListRefuses?: boolean;
  /** The RFC 6749 error a refusal's JSON body names, where the family's open point fixes one. */
  refusedError?: string;
  /** Whether an accepted request's connection shows exactly what was sent. */
  showsAsSent?: boolean;
  /** How many cases the family has; undefined for `--max-examples`. */
  examples?: number;
  /** The drafts of the family, for one case's name and its position in the family. */
  draft(input: { name: string; example: number }): fc.Arbitrary<Draft>;
}

/** Token placements the document allows (lines 7-12, 29; spec quirk 7). */
const AUTH_VARIANTS: AuthDraft[] = [
  { kind: "header", scheme: "bearer" },
  { kind: "header", scheme: "Bearer" },
  { kind: "header", scheme: "BEARER" },
  { kind: "query" },
];
/** Accept headers: "The Accept header is ignored" (line 27). */
const ACCEPTS: Array<string | undefined> = [
  undefined,
  "application/json",
  "*/*",
  "application/xml",
  "text/html, */*;q=0.8",
  "application/json;q=0.9",
  "application/*",
  "application/json, text/plain, */*",
];
/** The JSON media type as clients write it (RFC 9110 section 8.3.1: case-insensitive, parameters). */
const JSON_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "Application/JSON",
  "application/json;charset=UTF-8",
];
const FORM_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=UTF-8",
  "Application/X-WWW-Form-Urlencoded",
  "application/x-www-form-urlencoded;charset=utf-8",
];
const VARIANT_EXAMPLES = 8;
const variantOf = <T>(list: readonly T[], k: number, shift = 0) =>
  list[(k + shift * Math.floor(k / list.length)) % list.length] as T;

const PLAIN: AuthDraft = { kind: "header", scheme: "bearer" };
const CONNECTION_PATH = "/api/connections";
const onePath = (name: string) => `${CONNECTION_PATH}/${encodeURIComponent(name)}`;

function draft(partial: Partial<Draft> & Pick<Draft, "method" | "path">): Draft {
  return { query: [], auth: PLAIN, headers: {}, creates: [], ...partial };
}

const strategyArbitrary = fc.constantFrom(...strategies);

/** The alteration kind of a coverage family's example `k`: every kind in turn, a character added first. */
const kindOf = (k: number) =>
  alterationKinds[k % alterationKinds.length] as fc.Arbitrary<Alteration>;

/** Characters that trip servers up, inserted into a name or a value. */
const ODD_PIECES = [
  "\u{1F600}",
  " ",
  "é",
  "ünïcödé",
  "\u{10FFFF}",
  "\u200b",
  "\u202e",
  "\u0000",
  "\t",
  "%2F",
  "/",
  "..",
  "'\"",
  "\\",
];
const oddPieces = fc.constantFrom(...ODD_PIECES);
const LONGS = {
  /** Past the 255 characters of a VARCHAR(255). */
  text: fc.integer({ min: 256, max: 4096 }),
  /** Past the spec's 128. */
  name: fc.integer({ min: 129, max: 300 }),
  /**
   * Long path segments stay under 1,000 characters: the spec documents no 414 for a URL too
   * long, and the reference server answers it past 2,048.
   */
  segment: fc.integer({ min: 129, max: 1000 }),
};
/** The coverage families: every odd piece (and a long string) in every run, two per example. */
const ODD_EXAMPLES = Math.ceil((ODD_PIECES.length + 1) / 2);
const LONG = "\u0000long";
/** The two odd pieces of a coverage family's example `k`, a long run of characters for LONG. */
function oddAt(k: number, where: keyof typeof LONGS): fc.Arbitrary<string> {
  const all = [...ODD_PIECES, LONG];
  const [a, b] = [all[(2 * k) % all.length] as string, all[(2 * k + 1) % all.length] as string];
  const piece = (p: string) =>
    p === LONG ? LONGS[where].map((n) => "x".repeat(n)) : fc.constant(p);
  return fc.tuple(piece(a), piece(b)).map(([x, y]) => `${x}${y}`);
}
const longText = LONGS.text.map((n) => "x".repeat(n));

/** Strings of the kinds a naive server stores badly: astral, zero-width, control, long, empty. */
const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(oddPieces, anyText).map(([odd, text]) => `${text}${odd}${text}`),
  longText,
  fc.constant(""),
);

/** Values of every JSON type but those the schema allows. */
function wrongTyped(schema: JsonSchema): fc.Arbitrary<unknown> {
  const allowed = new Set(typesOf(schema));
  if (allowed.has("integer")) allowed.add("number");
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ["string", fc.constantFrom("true", "1", "yes", "")],
    ["integer", fc.integer()],
    ["boolean", fc.boolean()],
    ["array", fc.array(fc.integer(), { minLength: 1, maxLength: 2 })],
    ["object", fc.constant({ value: true })],
  ];
  const wrong = candidates.filter(([type]) => !allowed.has(type)).map(([, arb]) => arb);
  // An array whose items have the wrong type is wrong too.
  if (allowed.has("array")) wrong.push(fc.constant([1, true]));
  return fc.oneof(...wrong);
}

/** One documented option of the strategy, with a value of another type. */
const wrongOption = memo((strategy: Strategy) => {
  const properties = optionSchemas(strategy);
  const choices = Object.entries(properties).map(([key, schema]) =>
    wrongTyped(schema).map((value) => ({ key, value })),
  );
  return fc.oneof(...choices);
});

/** A string option of the strategy. */
const stringOption = memo((strategy: Strategy) =>
  fc.constantFrom(
    ...Object.entries(optionSchemas(strategy))
      .filter(([, schema]) => typesOf(schema).includes("string"))
      .map(([key]) => key),
  ),
);

function nested(depth: number): unknown {
  let value: unknown = "deep";
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { nested: value } : [value];
  return value;
}

/** Text that is not JSON, made from a body that is. */
function malformed(body: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(body);
  const broken = (candidate: string) => {
    try {
      JSON.parse(candidate);
      return `${candidate}{`;
    } catch {
      return candidate;
    }
  };
  return fc
    .oneof(
      fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((cut) => text.slice(0, cut)),
      fc.constant(`${text}}`),
      fc.constant(text.replaceAll('"', "'")),
      fc.constant(text.replace(/}$/, " //Optional\n}")),
      fc.constant(text.replace(/}$/, ",}")),
      fc.constant(`\u0000${text}`),
    )
    .map(broken);
}

const HUGE = [
  "1e400",
  "-1e400",
  "123456789012345678901234567890",
  "1E+308",
  "0.1e1",
  "1.0000000000000001e0",
];

/** JSON text of a body whose `field` is a number literal JavaScript cannot hold exactly. */
function hugeNumber(body: Record<string, unknown>, field: string): fc.Arbitrary<string> {
  return fc
    .constantFrom(...HUGE.slice(0, 4))
    .map((literal) =>
      JSON.stringify({ ...body, [field]: "\u0000HUGE\u0000" }).replace(
        '"\\u0000HUGE\\u0000"',
        literal,
      ),
    );
}

const unknownFields = fc.dictionary(
  fc.constantFrom("favourite_colour", "x_vendor", "metadata", "enabled", "owner"),
  anyJson(3),
  { minKeys: 1, maxKeys: 3 },
);

const serverOwned = fc.record(
  {
    id: anyJson(1),
    client_id: anyJson(1),
    provisioning_ticket: anyJson(1),
    provisioning_ticket_url: anyJson(1),
  },
  { requiredKeys: [] },
);

/** Query parameters, among them always one given twice and one without a value. */
const oddQuery: fc.Arbitrary<Array<[string, string]>> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom(
          "q",
          "sort",
          "fields",
          "page",
          "per_page",
          "include_totals",
          "filter[]",
          "x",
        ),
        fc.oneof(plainText, oddText, fc.constantFrom("[]", "{}", "-1", "1e999", "null")),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.constantFrom("fields", "x", "q"),
  )
  .map(([pairs, repeated]) => [...pairs, [repeated, "1"], [repeated, ""]]);

const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "User-Agent",
    "Accept-Language",
    "Cookie",
    "Origin",
    "X-Request-Id",
    "Via",
    "Accept-Charset",
  ),
  fc.oneof(
    fc.constantFrom(
      "garbage, , ::1",
      "evil.example",
      "M\u00f6zilla/5.0 (\u00e9)",
      "zz-ZZ;q=2",
      "a=b; c; =d",
      "null",
      "iso-8859-1;q=0, *;q=0",
    ),
    fc.integer({ min: 1000, max: 6000 }).map((n) => "h".repeat(n)),
  ),
  { minKeys: 1, maxKeys: 3 },
);

interface FamilyInput {
  operation: OperationModel;
  profile: Profile;
}

type Make = (name: string, example: number) => fc.Arbitrary<Draft>;

function family(
  operation: OperationModel,
  name: string,
  kind: CaseKind,
  description: string,
  make: Make,
  extra: Partial<
    Pick<Family, "refused" | "emptyListRefuses" | "examples" | "refusedError" | "showsAsSent">
  > = {},
): Family {
  return {
    id: `${operation.id}/${kind}/${name}`,
    operation,
    kind,
    description,
    refused: ["4xx"],
    ...extra,
    draft: ({ name: caseName, example }) => make(caseName, example),
  };
}

const KINDS = { accept: "valid", refuse: "invalid", either: "open" } as const;

/**
 * The open point `id`, which the spec marks at `at` of the operation's request (`x-open-point`):
 * a family reads a point only where the spec says the document leaves it open.
 */
function marked<K extends OpenPointId>(
  operation: OperationModel,
  at: string,
  id: K,
): ReturnType<typeof point<K>> {
  if (!operation.openPoints.some((p) => p.point === id && p.at === at)) {
    throw new Error(`The spec marks no open point ${id} at "${at}" of ${operation.id}.`);
  }
  return point(id);
}

/** A family whose kind and refusals an open point's reading decides. */
function decided(
  operation: OperationModel,
  name: string,
  reading: RequestReading,
  description: string,
  make: Make,
  extra: Partial<Pick<Family, "examples">> = {},
): Family {
  return family(operation, name, KINDS[reading.answer], description, make, {
    ...(reading.refusals ? { refused: [...reading.refusals] } : {}),
    ...(reading.error ? { refusedError: reading.error } : {}),
    ...(reading.showsAsSent ? { showsAsSent: true } : {}),
    ...extra,
  });
}

/** Families every `/api` operation has, given how to make a request that is valid but for `change`. */
function apiFamilies(
  { operation, profile }: FamilyInput,
  base: (name: string, change: Partial<Draft>) => fc.Arbitrary<Draft>,
): Family[] {
  return [
    family(
      operation,
      "token-altered",
      "invalid",
      "the run's access token altered (a character added, removed or changed, its case, a space)",
      (name, k) =>
        fc
          .tuple(kindOf(k), fc.constantFrom<"header" | "query">("header", "query"))
          // Spaces around the credentials of a header are no part of them (RFC 9110 section 5.5).
          .map(([alteration, place]): [Alteration, "header" | "query"] =>
            place === "header" && (alteration.kind === "pad-start" || alteration.kind === "pad-end")
              ? [alteration, "query"]
              : [alteration, place],
          )
          .chain(([alteration, place]) =>
            base(name, { auth: { kind: "altered", alteration, place } }),
          ),
      { refused: [401] },
    ),
    family(
      operation,
      "authorization-malformed",
      "invalid",
      "an Authorization header that is not `bearer <token>` (another scheme, no token, the token twice)",
      (name) =>
        fc
          .constantFrom<"basic" | "token" | "scheme-only" | "twice" | "no-space">(
            "basic",
            "token",
            "scheme-only",
            "twice",
            "no-space",
          )
          .chain((form) => base(name, { auth: { kind: "malformed", form } })),
      { refused: refusalsFor(profile, [401]) },
    ),
    family(
      operation,
      "token-repeated",
      "open",
      "the run's token sent twice (in the header and the query, or twice in the query)",
      (name) =>
        fc
          .constantFrom<"header-and-query" | "query-twice">("header-and-query", "query-twice")
          .chain((places) => base(name, { auth: { kind: "repeated", places } })),
    ),
    family(operation, "odd-query", "open", "unknown, repeated and odd query parameters", (name) =>
      oddQuery.chain((query) => base(name, { query })),
    ),
    family(operation, "odd-headers", "open", "odd but harmless headers", (name) =>
      oddHeaders.chain((headers) => base(name, { headers })),
    ),
    family(
      operation,
      "variants",
      "valid",
      "a valid request with the token placements, Accept headers and media types the document allows",
      (name, k) =>
        base(name, {
          auth: variantOf(AUTH_VARIANTS, k),
          headers: variantOf(ACCEPTS, k) ? { Accept: variantOf(ACCEPTS, k) as string } : {},
        }).map((d) =>
          d.body?.contentType === "application/json"
            ? { ...d, body: { ...d.body, contentType: variantOf(JSON_TYPES, k, 1) } }
            : d,
        ),
      { examples: VARIANT_EXAMPLES },
    ),
  ];
}

const jsonBody = (json: unknown): Draft["body"] => ({ contentType: "application/json", json });

function createFamilies(input: FamilyInput): Family[] {
  const { operation, profile } = input;
  const bodies = (name: string) => connectionBody(profile, name);
  const post = (name: string, body: unknown, change: Partial<Draft> = {}): Draft =>
    draft({
      method: "POST",
      path: CONNECTION_PATH,
      body: jsonBody(body),
      creates: [name],
      ...change,
    });
  const valid = (name: string, change: Partial<Draft>) =>
    bodies(name).map(({ body }) => post(name, body, change));
  const mutate =
    (fieldChange: (body: Record<string, unknown>, strategy: Strategy) => fc.Arbitrary<unknown>) =>
    (name: string) =>
      bodies(name).chain(({ body, strategy }) =>
        fieldChange(body, strategy).map((changed) => post(name, changed)),
      );
  const withField = (field: string, values: fc.Arbitrary<unknown>) =>
    mutate((body) => values.map((value) => ({ ...body, [field]: value })));
  const raw = (make: (body: Record<string, unknown>) => fc.Arbitrary<string>) => (name: string) =>
    bodies(name).chain(({ body }) =>
      make(body).map((text) =>
        post(name, undefined, { body: { contentType: "application/json", raw: text } }),
      ),
    );
  return [
    family(operation, "valid", "valid", "a valid create", (name) => valid(name, {})),
    ...apiFamilies(input, valid),
    family(
      operation,
      "body-not-object",
      "invalid",
      "a body that is not a connection object (null, an array, a string, a number)",
      mutate((body) =>
        fc.oneof(fc.constantFrom<unknown>(null, [], "connection", 42, true), fc.constant([body])),
      ),
    ),
    family(
      operation,
      "missing-required",
      "invalid",
      "a create without name or without strategy (lines 54-57)",
      mutate((body) =>
        fc.constantFrom("name", "strategy").map((field) => {
          const { [field]: _, ...rest } = body;
          return rest;
        }),
      ),
    ),
    family(
      operation,
      "name-wrong-type",
      "invalid",
      "a name that is not a string",
      withField(
        "name",
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(plainText, { maxLength: 2 }),
          fc.constant({ first: "name" }),
        ),
      ),
    ),
    family(operation, "name-empty", "invalid", "an empty name", withField("name", fc.constant(""))),
    family(
      operation,
      "strategy-unknown",
      "invalid",
      "a strategy outside the documented five (lines 60-65)",
      withField(
        "strategy",
        fc.oneof(
          fc.constantFrom(...strategies).map((s) => s.toUpperCase()),
          plainText.map((text) => `mgmtkit-${text}`),
          fc.constantFrom<unknown>("", null, 3, ["adfs"]),
        ),
      ),
    ),
    family(
      operation,
      "status-out-of-range",
      "invalid",
      "a status number other than 0 and 1 (line 55)",
      withField(
        "status",
        fc.oneof(
          fc.integer({ min: 2 }),
          fc.integer({ max: -1 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
        ),
      ),
    ),
    family(
      operation,
      "status-wrong-type",
      "invalid",
      "a status that is not a number (a string, an array, an object)",
      withField(
        "status",
        fc.oneof(
          fc.constantFrom<unknown>("0", "1", "true", "", {}),
          fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 2 }),
        ),
      ),
    ),
    decided(
      operation,
      "status-loose",
      marked(operation, "/status", "create.loose-values").under(profile),
      "status true, false or null (a loose reading may take them for 1, 0 or the default)",
      withField("status", fc.constantFrom<unknown>(true, false, null)),
    ),
    family(
      operation,
      "huge-numbers",
      "invalid",
      "a status written as a number no float holds (1e400, 30 digits)",
      raw((body) => hugeNumber(body, "status")),
    ),
    family(
      operation,
      "options-wrong-type",
      "invalid",
      "options that are a string, a number or a boolean (line 57: an object)",
      withField("options", fc.constantFrom<unknown>("none", 0, true)),
    ),
    decided(
      operation,
      "options-loose",
      marked(operation, "/options", "create.loose-values").under(profile),
      "options null or an array",
      withField("options", fc.constantFrom<unknown>(null, [], [{}])),
    ),
    decided(
      operation,
      "option-wrong-type",
      marked(operation, "/options", "create.option-values").under(profile).otherType,
      "a documented option with a value of another type (a string for a boolean, a number for a string)",
      mutate((body, strategy) =>
        wrongOption(strategy).map(({ key, value }) => ({
          ...body,
          options: { ...(body.options as object), [key]: value },
        })),
      ),
    ),
    decided(
      operation,
      "option-null",
      marked(operation, "/options", "create.option-values").under(profile).nullValue,
      "a documented option set to null (a loose reading may take it for no value)",
      mutate((body, strategy) =>
        fc.constantFrom(...Object.keys(optionSchemas(strategy))).map((key) => ({
          ...body,
          options: { ...(body.options as object), [key]: null },
        })),
      ),
    ),
    decided(
      operation,
      "odd-name",
      marked(operation, "/name", "connection.names").under(profile),
      "a name with spaces, non-ASCII, astral, zero-width or control characters, slashes, or over 128 characters",
      (name, k) =>
        fc
          .tuple(oddAt(k, "name"), fc.boolean())
          .map(([odd, before]) => (before ? `${odd}${name}` : `${name}${odd}`))
          .chain((odd) =>
            connectionBody(profile, name).map(({ body }) => post(odd, { ...body, name: odd })),
          ),
      { examples: ODD_EXAMPLES },
    ),
    decided(
      operation,
      "odd-option-strings",
      marked(operation, "/options", "create.option-values").under(profile).oddStrings,
      "a string option with astral, zero-width, control or non-ASCII characters, or thousands of characters long",
      (name, k) =>
        bodies(name).chain(({ body, strategy }) =>
          fc.tuple(stringOption(strategy), oddAt(k, "text"), anyText).map(([key, odd, text]) =>
            post(name, {
              ...body,
              options: { ...(body.options as object), [key]: `${text}${odd}` },
            }),
          ),
        ),
      { examples: ODD_EXAMPLES },
    ),
    decided(
      operation,
      "unknown-fields",
      marked(operation, "", "create.unknown-fields").under(profile),
      "top-level properties the spec does not know",
      mutate((body) => unknownFields.map((extra) => ({ ...extra, ...body }))),
    ),
    decided(
      operation,
      "server-owned-fields",
      marked(operation, "/client_id", "client-id.foreign").under(profile),
      "the server-owned fields (id, client_id, provisioning fields) sent with any value",
      mutate((body) => serverOwned.map((owned) => ({ ...body, ...owned }))),
    ),
    family(
      operation,
      "deep-nesting",
      "open",
      "an option nested 50 to 400 levels deep",
      mutate((body) =>
        fc.integer({ min: 50, max: 400 }).map((depth) => ({
          ...body,
          options: { ...(body.options as object), nested: nested(depth) },
        })),
      ),
    ),
    family(
      operation,
      "malformed-json",
      "invalid",
      "a body that is not JSON (truncated, single quotes, a comment, a trailing comma)",
      raw((body) => malformed(body)),
    ),
    decided(
      operation,
      "media-type",
      marked(operation, "", "request.media-type").under(profile),
      "a JSON body sent as text/plain, a form, XML or without a Content-Type",
      (name) =>
        fc
          .constantFrom<string | undefined>(
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
            undefined,
          )
          .chain((contentType) =>
            bodies(name).map(({ body }) =>
              post(name, undefined, {
                body: { raw: JSON.stringify(body), ...(contentType ? { contentType } : {}) },
              }),
            ),
          ),
    ),
    family(operation, "empty-body", "invalid", "no body at all", (name) =>
      fc
        .constantFrom<string | undefined>("application/json", undefined)
        .map((contentType) =>
          post(name, undefined, { body: { raw: "", ...(contentType ? { contentType } : {}) } }),
        ),
    ),
  ];
}

function replaceFamilies(input: FamilyInput): Family[] {
  const { operation, profile } = input;
  const targeted = (name: string) => strategyArbitrary.map((strategy) => ({ name, strategy }));
  const put = (
    target: { name: string; strategy: Strategy },
    body: Draft["body"],
    change: Partial<Draft> = {},
  ): Draft => draft({ method: "PUT", path: onePath(target.name), body, target, ...change });
  const replaced = (name: string) =>
    targeted(name).chain((target) =>
      replacementBody(profile, target.name, target.strategy).map((body) => ({ target, body })),
    );
  const withBody = (
    target: { name: string; strategy: Strategy },
    json: unknown,
    change: Partial<Draft> = {},
  ) =>
    put(
      target,
      {
        contentType: "application/json",
        json,
        withTargetClientId: marked(operation, "/client_id", "client-id.foreign").under(profile)
          .replaceSendsShownClientId,
      },
      change,
    );
  const valid = (name: string, change: Partial<Draft>) =>
    replaced(name).map(({ target, body }) => withBody(target, body, change));
  const mutate =
    (
      fieldChange: (
        body: Record<string, unknown>,
        strategy: Strategy,
        name: string,
      ) => fc.Arbitrary<unknown>,
    ) =>
    (name: string) =>
      replaced(name).chain(({ target, body }) =>
        fieldChange(body, target.strategy, name).map((changed) => ({
          ...withBody(target, changed),
          body: { contentType: "application/json", json: changed },
        })),
      );
  const withField = (field: string, values: fc.Arbitrary<unknown>) =>
    mutate((body) => values.map((value) => ({ ...body, [field]: value })));
  return [
    family(operation, "valid", "valid", "a valid replacement of a connection", (name) =>
      valid(name, {}),
    ),
    ...apiFamilies(input, valid),
    family(
      operation,
      "missing-required",
      "invalid",
      'a replacement without name, status, strategy or options (line 152: "all object parameters must be included")',
      mutate((body) =>
        fc.constantFrom("name", "status", "strategy", "options").map((field) => {
          const { [field]: _, ...rest } = body;
          return rest;
        }),
      ),
    ),
    family(
      operation,
      "body-not-object",
      "invalid",
      "a body that is not a connection object",
      mutate((body) =>
        fc.oneof(fc.constantFrom<unknown>(null, [], "connection", 7), fc.constant([body])),
      ),
    ),
    family(
      operation,
      "status-out-of-range",
      "invalid",
      "a status number other than 0 and 1",
      withField("status", fc.oneof(fc.integer({ min: 2 }), fc.integer({ max: -1 }))),
    ),
    family(
      operation,
      "status-wrong-type",
      "invalid",
      "a status that is not a number",
      withField("status", fc.constantFrom<unknown>("1", "", {}, [1])),
    ),
    family(
      operation,
      "options-wrong-type",
      "invalid",
      "options that are not an object",
      withField("options", fc.constantFrom<unknown>("none", 0, true)),
    ),
    decided(
      operation,
      "option-wrong-type",
      marked(operation, "/options", "create.option-values").under(profile).otherType,
      "a documented option with a value of another type",
      mutate((body, strategy) =>
        wrongOption(strategy).map(({ key, value }) => ({
          ...body,
          options: { ...(body.options as object), [key]: value },
        })),
      ),
    ),
    family(
      operation,
      "strategy-unknown",
      "invalid",
      "a strategy outside the documented five",
      withField(
        "strategy",
        fc.oneof(
          plainText.map((t) => `mgmtkit-${t}`),
          fc.constantFrom<unknown>("", 1),
        ),
      ),
    ),
    decided(
      operation,
      "odd-option-strings",
      marked(operation, "/options", "create.option-values").under(profile).oddStrings,
      "a string option with astral, zero-width, control or non-ASCII characters, or thousands of characters long",
      (name, k) =>
        replaced(name).chain(({ target, body }) =>
          fc
            .tuple(stringOption(target.strategy), oddAt(k, "text"), anyText)
            .map(([key, odd, text]) =>
              withBody(target, {
                ...body,
                options: { ...(body.options as object), [key]: `${text}${odd}` },
              }),
            ),
        ),
      { examples: ODD_EXAMPLES },
    ),
    decided(
      operation,
      "server-owned-fields",
      marked(operation, "/id", "client-id.foreign").under(profile),
      "the server-owned fields sent with any value",
      mutate((body) => serverOwned.map((owned) => ({ ...body, ...owned }))),
    ),
    decided(
      operation,
      "rename",
      marked(operation, "/name", "replace.fixed-fields").under(profile),
      "a replacement whose name is not the one in the path",
      mutate((body, _strategy, name) =>
        strictName(profile, `${name}-other`).map((other) => ({ ...body, name: other })),
      ),
    ),
    decided(
      operation,
      "strategy-change",
      marked(operation, "/strategy", "replace.fixed-fields").under(profile),
      "a replacement with another documented strategy",
      (name) =>
        targeted(name).chain((target) =>
          fc
            .constantFrom(...strategies.filter((s) => s !== target.strategy))
            .chain((other) =>
              replacementBody(profile, name, other).map((body) => withBody(target, body)),
            ),
        ),
    ),
    family(operation, "malformed-json", "invalid", "a body that is not JSON", (name) =>
      replaced(name).chain(({ target, body }) =>
        malformed(body).map((raw) => put(target, { contentType: "application/json", raw })),
      ),
    ),
    family(
      operation,
      "absent",
      "invalid",
      "a valid replacement of a connection that does not exist",
      (name) =>
        replaced(name).map(({ body }) => {
          const absent = `${name}-absent`;
          return draft({
            method: "PUT",
            path: onePath(absent),
            body: { contentType: "application/json", json: { ...body, name: absent } },
          });
        }),
      { refused: [404] },
    ),
  ];
}

/** GET or DELETE of one connection, and the users of one connection. */
function oneConnectionFamilies(input: FamilyInput, suffix = ""): Family[] {
  const { operation, profile } = input;
  const valid = (name: string, change: Partial<Draft>) =>
    strategyArbitrary.map((strategy) =>
      draft({
        method: operation.method,
        path: `${onePath(name)}${suffix}`,
        target: { name, strategy },
        ...change,
      }),
    );
  const users = suffix === "/users";
  const unknownConnection = point("users.unknown-connection").under(profile);
  return [
    family(operation, "valid", "valid", `a valid ${operation.method} of a connection`, (name) =>
      valid(name, {}),
    ),
    ...apiFamilies(input, valid),
    family(
      operation,
      "absent",
      "invalid",
      "a connection name that does not exist",
      (name) =>
        fc
          .constantFrom("-absent", "-absent-x")
          .map((tail) =>
            draft({ method: operation.method, path: `${onePath(`${name}${tail}`)}${suffix}` }),
          ),
      {
        refused: [...unknownConnection.statuses],
        emptyListRefuses: users && unknownConnection.emptyList,
      },
    ),
    family(
      operation,
      "odd-path-name",
      "open",
      "a path name with spaces, non-ASCII, astral or zero-width characters, encoded slashes, or thousands of characters",
      (name, k) =>
        oddAt(k, "segment").map((odd) =>
          draft({ method: operation.method, path: `${onePath(`${name}${odd}`)}${suffix}` }),
        ),
      { examples: ODD_EXAMPLES },
    ),
  ];
}

const PAGE_VALUES = ["0", "101", "-1", "abc", "1.5", "", "2147483648", "99999999999999999999"];

function listFamilies(input: FamilyInput): Family[] {
  const { operation, profile } = input;
  const paged =
    operation.parameters.some((p) => p.name === "per_page") &&
    marked(operation, "query:per_page", "users.pagination").under(profile).judged;
  const targeted = operation.path.includes("{connectionName}");
  if (targeted) return oneConnectionFamilies(input, "/users");
  const validQuery: fc.Arbitrary<Array<[string, string]>> = paged
    ? fc
        .record(
          { per_page: fc.integer({ min: 1, max: 100 }), page: fc.integer({ min: 0, max: 3 }) },
          { requiredKeys: [] },
        )
        .map((q) => Object.entries(q).map(([k, v]) => [k, String(v)] as [string, string]))
    : fc.constant([]);
  const valid = (_name: string, change: Partial<Draft>) =>
    validQuery.map((query) => draft({ method: "GET", path: operation.path, query, ...change }));
  const families = [
    family(operation, "valid", "valid", `a valid ${operation.method} ${operation.path}`, (name) =>
      valid(name, {}),
    ),
    ...apiFamilies(input, valid),
  ];
  if (paged) {
    families.push(
      family(
        operation,
        "page-invalid",
        "open",
        "per_page or page out of range, not a number, or repeated (refused with 400, or ignored by a server that does not paginate: spec quirk 14)",
        () =>
          fc
            .oneof(
              fc
                .tuple(fc.constantFrom("per_page", "page"), fc.constantFrom(...PAGE_VALUES))
                .filter(([name, value]) => !(name === "page" && (value === "0" || value === "101")))
                .map(([name, value]) => [[name, value]] as Array<[string, string]>),
              fc.constant<Array<[string, string]>>([
                ["per_page", "2"],
                ["per_page", "3"],
              ]),
            )
            .map((query) => draft({ method: "GET", path: operation.path, query })),
      ),
    );
  }
  return families;
}

function tokenFamilies({ operation, profile }: FamilyInput): Family[] {
  const credentials = (
    change: Partial<Record<"clientId" | "clientSecret", Alteration>> = {},
  ): Array<[string, FormValue]> => [
    [
      "client_id",
      { credential: "clientId", ...(change.clientId ? { alteration: change.clientId } : {}) },
    ],
    [
      "client_secret",
      {
        credential: "clientSecret",
        ...(change.clientSecret ? { alteration: change.clientSecret } : {}),
      },
    ],
    ["grant_type", "client_credentials"],
  ];
  const post = (
    form: Array<[string, FormValue]>,
    contentType = FORM_TYPES[0],
    change: Partial<Draft> = {},
  ) =>
    draft({
      method: "POST",
      path: operation.path,
      auth: { kind: "none" },
      body: { form, ...(contentType ? { contentType } : {}) },
      ...change,
    });
  const shuffled = (form: Array<[string, FormValue]>) =>
    fc
      .tuple(fc.boolean(), fc.shuffledSubarray(form, { minLength: form.length }))
      .map(
        ([withType, pairs]): Array<[string, FormValue]> =>
          withType ? [...pairs, ["type", "web_server"]] : pairs,
      );
  const refused = [400, 401];
  // An altered credential is a wrong one (invalid_client) or, emptied, a missing one (400).
  const invalidClient = [...new Set([400, ...point("token.error-status").under(profile).refusals])];
  const variants = marked(operation, "", "token.request-variants").under(profile);
  return [
    family(
      operation,
      "valid",
      "valid",
      "the token request of line 16, parameters in any order",
      () => shuffled(credentials()).map((form) => post(form)),
    ),
    family(
      operation,
      "variants",
      "valid",
      "the token request with the form media type as clients write it, and any Accept header",
      (_name, k) =>
        shuffled(credentials()).map((form) =>
          post(form, variantOf(FORM_TYPES, k), {
            headers: variantOf(ACCEPTS, k, 1) ? { Accept: variantOf(ACCEPTS, k, 1) as string } : {},
          }),
        ),
      { examples: VARIANT_EXAMPLES },
    ),
    family(
      operation,
      "secret-altered",
      "invalid",
      "the client secret altered (a character added, removed or changed, its case, a space)",
      (_name, k) =>
        kindOf(k).chain((a) =>
          shuffled(credentials({ clientSecret: a })).map((form) => post(form)),
        ),
      { refused: invalidClient, examples: alterationKinds.length },
    ),
    family(
      operation,
      "client-id-altered",
      "invalid",
      "the client id altered (a character added, removed or changed, its case, a space)",
      (_name, k) =>
        kindOf(k).chain((a) => shuffled(credentials({ clientId: a })).map((form) => post(form))),
      { refused: invalidClient, examples: alterationKinds.length },
    ),
    family(
      operation,
      "parameter-missing",
      "invalid",
      "a token request without client_id, client_secret or grant_type",
      () =>
        fc
          .constantFrom("client_id", "client_secret", "grant_type")
          .map((left) => post(credentials().filter(([name]) => name !== left))),
      { refused },
    ),
    decided(
      operation,
      "parameter-repeated",
      marked(operation, "", "token.repeated-parameters").under(profile),
      "client_id or client_secret given twice, once altered (RFC 6749 section 3.2: parameters are sent once)",
      (_name, k) =>
        // Every credential, altered before and after the right one.
        kindOf(k)
          .map((alteration): ["clientId" | "clientSecret", Alteration, boolean] => [
            k % 2 === 0 ? "clientSecret" : "clientId",
            alteration,
            k % 4 < 2,
          ])
          .map(([credential, alteration, first]) => {
            const name = credential === "clientId" ? "client_id" : "client_secret";
            const wrong: [string, FormValue] = [name, { credential, alteration }];
            const form = credentials();
            const at = form.findIndex(([n]) => n === name);
            form.splice(first ? at : at + 1, 0, wrong);
            return post(form);
          }),
      { examples: 4 },
    ),
    decided(
      operation,
      "grant-altered",
      marked(operation, "/grant_type", "token.other-grant").under(profile),
      "another grant_type, or client_credentials misspelt or in another case",
      () =>
        fc
          .constantFrom(
            "CLIENT_CREDENTIALS",
            "client_credential",
            "password",
            "authorization_code",
            "",
            "client_credentials ",
          )
          .map((grant) =>
            post(
              credentials().map(([n, v]): [string, FormValue] => [
                n,
                n === "grant_type" ? grant : v,
              ]),
            ),
          ),
    ),
    decided(
      operation,
      "extra-parameters",
      variants.extraParameters,
      "parameters the token endpoint does not know (RFC 6749 section 3.2: ignored)",
      () =>
        fc
          .uniqueArray(
            fc.tuple(fc.constantFrom("audience", "x_client", "state", "nonce"), plainText),
            {
              minLength: 1,
              maxLength: 3,
              selector: ([name]) => name,
            },
          )
          .map((extra) => post([...credentials(), ...extra])),
    ),
    decided(operation, "type-altered", variants.otherType, "type other than web_server", () =>
      fc
        .constantFrom("WEB_SERVER", "web", "native", "")
        .map((type) => post([...credentials(), ["type", type]])),
    ),
    decided(
      operation,
      "json-body",
      variants.jsonBody,
      "the token request as a JSON object (spec getAccessToken)",
      () =>
        fc.constant(post(credentials(), "application/json")).map((d) => ({
          ...d,
          body: { ...d.body, formAsJson: true },
        })),
    ),
    family(
      operation,
      "empty-body",
      "invalid",
      "a token request without a body",
      () =>
        fc
          .constantFrom<string | undefined>(FORM_TYPES[0], undefined)
          .map((contentType) => post([], contentType)),
      { refused },
    ),
    family(operation, "odd-headers", "open", "odd but harmless headers", () =>
      oddHeaders.map((headers) => post(credentials(), FORM_TYPES[0], { headers })),
    ),
  ];
}

/** Every family of generated requests to one operation, as the profile reads the document. */
export function familiesOf(operation: OperationModel, profile: Profile): Family[] {
  const input = { operation, profile };
  switch (operation.id) {
    case "getAccessToken":
      return tokenFamilies(input);
    case "createConnection":
      return createFamilies(input);
    case "updateConnection":
      return replaceFamilies(input);
    case "getConnection":
    case "deleteConnection":
      return oneConnectionFamilies(input);
    default:
      return listFamilies(input);
  }
}
