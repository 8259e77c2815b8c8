import fc from "fast-check";
import { refusalsFor } from "../open-points.js";
import { type Alteration, alterationKinds } from "./alterations.js";
import type { AuthDraft, Draft } from "./draft.js";
import {
  decided,
  type Family,
  family,
  inputRefusals,
  isMarked,
  marked,
  type Shape,
  tokenRefusals,
} from "./family.js";
import { anyText, plainText } from "./schema-arbitrary.js";

/** The JSON type of a value, integers apart from other numbers. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The fields a create or replace body holds: "The body of the request is formatted as a connection object". */
const BODY_FIELDS = ["name", "status", "strategy", "options"];
/** Option values of the types the strategies' options hold; others (null, numbers, objects) stand out. */
const PLAIN_OPTIONS = new Set(["string", "boolean", "array"]);
/** The parameters of the document's token request, "client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET&type=web_server&grant_type=client_credentials". */
const FORM_FIELDS = ["client_id", "client_secret", "grant_type"];

function jsonFeatures(json: unknown): string[] {
  const type = jsonType(json);
  if (type !== "object") return [`json:${type}`];
  const body = json as Record<string, unknown>;
  const features = ["json:object"];
  for (const field of BODY_FIELDS) {
    features.push(`${field}:${field in body ? jsonType(body[field]) : "absent"}`);
  }
  if (jsonType(body.options) === "object") {
    const odd = Object.values(body.options as object)
      .map(jsonType)
      .filter((t) => !PLAIN_OPTIONS.has(t));
    features.push(
      ...(odd.length > 0 ? odd.map((t) => `option-value:${t}`) : ["option-value:plain"]),
    );
  }
  const extra = Object.keys(body).some((key) => !BODY_FIELDS.includes(key));
  features.push(`other-fields:${extra ? "some" : "none"}`);
  return features;
}

/**
 * The classes a generated request falls into as a server's parser meets it: where the token is and
 * in what form, repeated or empty query parameters, the body's media type, and the body's shape
 * (its JSON type, which fields it carries and of which types, odd types among the options, the
 * form parameters it adds or leaves out). Values a parser treats alike (two strings, two numbers
 * of a kind) make no class of their own.
 */
export function wireClasses(draft: Draft): Set<string> {
  const a = draft.auth;
  const features = [
    `auth:${a.kind}${a.kind === "malformed" ? `/${a.form}` : a.kind === "repeated" ? `/${a.places}` : a.kind === "altered" ? `/${a.place}` : ""}`,
  ];
  const names = draft.query.map(([name]) => name);
  features.push(`query-repeated:${names.length !== new Set(names).size ? "yes" : "no"}`);
  features.push(
    `query-empty-value:${draft.query.some(([, value]) => value === "") ? "yes" : "no"}`,
  );
  const body = draft.body;
  if (body) {
    const media = body.contentType?.split(";")[0]?.trim().toLowerCase();
    features.push(`type:${media ?? "none"}`);
    if (body.raw !== undefined) features.push(`body:${body.raw === "" ? "empty" : "text"}`);
    else if (body.form) {
      const sent = body.form.map(([name]) => name);
      features.push(`body:${body.formAsJson ? "form-as-json" : "form"}`);
      for (const name of FORM_FIELDS)
        features.push(`${name}:${sent.includes(name) ? "sent" : "absent"}`);
      const extra = [...new Set(sent)].filter((name) => !FORM_FIELDS.includes(name));
      features.push(
        ...(extra.length > 0 ? extra.map((name) => `parameter:${name}`) : ["parameter:none"]),
      );
    } else features.push(...jsonFeatures(body.json));
  }
  return new Set(features);
}

/*
 * The wire-level cases, by the operation's shape: how the token travels, the Accept header, the
 * media type, query strings and headers, and bodies that are no JSON of the schema at all.
 */

/** Token placements the document allows: "inside the query string" or "in an Authorization header" (spec quirk 7). */
const AUTH_VARIANTS: AuthDraft[] = [
  { kind: "header", scheme: "bearer" },
  { kind: "header", scheme: "Bearer" },
  { kind: "header", scheme: "BEARER" },
  { kind: "query" },
];
/** "The Accept header is ignored for now." */
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
/** The media types as clients write them (RFC 9110 section 8.3.1: case-insensitive, parameters). */
const MEDIA_TYPES = {
  json: [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/json;charset=UTF-8",
  ],
  form: [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "Application/X-WWW-Form-Urlencoded",
    "application/x-www-form-urlencoded;charset=utf-8",
  ],
};
const VARIANT_EXAMPLES = 8;
const variantOf = <T>(list: readonly T[], k: number, shift = 0) =>
  list[(k + shift * Math.floor(k / list.length)) % list.length] as T;

/** The alteration kind of a coverage family's example `k`: every kind in turn, a character added first. */
export const kindOf = (k: number) =>
  alterationKinds[k % alterationKinds.length] as fc.Arbitrary<Alteration>;

/**
 * What a request line and its headers may weigh in the cases that expect an answer the document
 * names: 8 KiB for both together is Tomcat's and Jetty's default (nginx's header buffer is 8 KiB
 * too), and a server over its limit rightly answers 414 or 431, statuses the document never
 * lists. The odd query parameters and the odd headers each stay within half of it.
 */
export const ODD_PART_BUDGET = 4 * 1024;

/** Strings of the kinds a naive server stores badly: astral, zero-width, control, long, empty. */
const oddText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom("\u{1F600}", "\u200b", "\u0000", "é", "%2F", "'\""), anyText)
    .map(([odd, text]) => `${text}${odd}${text}`),
  // Past a VARCHAR(255); three of them stay within the budget.
  fc.integer({ min: 256, max: 1000 }).map((n) => "x".repeat(n)),
  fc.constant(""),
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

const oddHeaderName = fc.constantFrom(
  "X-Forwarded-For",
  "X-Forwarded-Host",
  "User-Agent",
  "Accept-Language",
  "Cookie",
  "Origin",
  "X-Request-Id",
  "Via",
  "Accept-Charset",
);

/** One to three odd headers, at most one of them long, together within `ODD_PART_BUDGET`. */
const oddHeaders: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.dictionary(
      oddHeaderName,
      fc.constantFrom(
        "garbage, , ::1",
        "evil.example",
        "M\u00f6zilla/5.0 (\u00e9)",
        "zz-ZZ;q=2",
        "a=b; c; =d",
        "null",
        "iso-8859-1;q=0, *;q=0",
      ),
      { minKeys: 1, maxKeys: 3 },
    ),
    fc.option(fc.tuple(oddHeaderName, fc.integer({ min: 1000, max: 3500 }))),
  )
  .map(([headers, long]) => (long ? { ...headers, [long[0]]: "h".repeat(long[1]) } : headers));

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

/** JSON text of a body whose number `field` is a literal JavaScript cannot hold exactly. */
function hugeNumber(body: Record<string, unknown>, field: string): fc.Arbitrary<string> {
  return fc
    .constantFrom("1e400", "-1e400", "123456789012345678901234567890", "1E+308")
    .map((literal) =>
      JSON.stringify({ ...body, [field]: "\u0000HUGE\u0000" }).replace(
        '"\\u0000HUGE\\u0000"',
        literal,
      ),
    );
}

function nested(depth: number): unknown {
  let value: unknown = "deep";
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { nested: value } : [value];
  return value;
}

/** A valid request of the shape whose body is sent otherwise: `text` of the valid body. */
function sentAs(
  shape: Shape,
  name: string,
  text: (body: NonNullable<Draft["body"]>) => fc.Arbitrary<Draft["body"]>,
): fc.Arbitrary<Draft> {
  return shape
    .valid(name, {})
    .chain((d) => text(d.body ?? {}).map((body) => ({ ...d, ...(body ? { body } : {}) })));
}

/** The cases of every operation that takes a token. */
function tokenCases(shape: Shape): Family[] {
  const { operation, profile } = shape;
  const base = (name: string, change: Partial<Draft>) => shape.valid(name, change);
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
      { refused: tokenRefusals(operation) },
    ),
    family(
      operation,
      "authorization-malformed",
      "invalid",
      "an Authorization header that is not `bearer <token>` (another scheme, no token, the token twice)",
      (name) =>
        fc
          .constantFrom("basic", "token", "scheme-only", "twice", "no-space" as const)
          .chain((form) => base(name, { auth: { kind: "malformed", form } })),
      { refused: refusalsFor(profile, tokenRefusals(operation)) },
    ),
    family(
      operation,
      "token-repeated",
      "open",
      "the run's token sent twice (in the header and the query, or twice in the query)",
      (name) =>
        fc
          .constantFrom("header-and-query", "query-twice" as const)
          .chain((places) => base(name, { auth: { kind: "repeated", places } })),
    ),
    family(operation, "odd-query", "open", "unknown, repeated and odd query parameters", (name) =>
      oddQuery.chain((query) => base(name, { query })),
    ),
  ];
}

/** Cases of the request's headers and media types, for every operation. */
function headerCases(shape: Shape): Family[] {
  const { operation } = shape;
  const types = shape.body === "form" ? MEDIA_TYPES.form : MEDIA_TYPES.json;
  return [
    family(operation, "odd-headers", "open", "odd but harmless headers", (name) =>
      oddHeaders.chain((headers) => shape.valid(name, { headers })),
    ),
    family(
      operation,
      "variants",
      "valid",
      "a valid request with the token placements, Accept headers and media types the document allows",
      (name, k) =>
        shape
          .valid(name, {
            ...(operation.secured ? { auth: variantOf(AUTH_VARIANTS, k) } : {}),
            headers: variantOf(ACCEPTS, k, 1) ? { Accept: variantOf(ACCEPTS, k, 1) as string } : {},
          })
          .map((d) =>
            d.body?.contentType
              ? { ...d, body: { ...d.body, contentType: variantOf(types, k, 1) } }
              : d,
          ),
      { examples: VARIANT_EXAMPLES },
    ),
  ];
}

/** Cases of a body that is no JSON of the schema: not JSON, empty, huge numbers, deep. */
function bodyCases(shape: Shape): Family[] {
  const { operation, profile } = shape;
  const refused = inputRefusals(operation, profile);
  const cases = [
    family(
      operation,
      "empty-body",
      "invalid",
      "no body at all",
      (name) =>
        fc
          .constantFrom<string | undefined>(operation.requestBody?.mediaTypes[0], undefined)
          .chain((contentType) =>
            sentAs(shape, name, () =>
              fc.constant(
                shape.body === "form"
                  ? { form: [], ...(contentType ? { contentType } : {}) }
                  : { raw: "", ...(contentType ? { contentType } : {}) },
              ),
            ),
          ),
      { refused: inputRefusals(operation, profile, true) },
    ),
  ];
  if (shape.body !== "json") return cases;
  const json = (body: NonNullable<Draft["body"]>) => body.json as Record<string, unknown>;
  cases.push(
    family(
      operation,
      "malformed-json",
      "invalid",
      "a body that is not JSON (truncated, single quotes, a comment, a trailing comma)",
      (name) =>
        sentAs(shape, name, (body) =>
          malformed(json(body)).map((raw) => ({ contentType: "application/json", raw })),
        ),
      { refused },
    ),
    family(
      operation,
      "huge-numbers",
      "invalid",
      "a status written as a number no float holds (1e400, 30 digits)",
      (name) =>
        sentAs(shape, name, (body) =>
          hugeNumber(json(body), "status").map((raw) => ({ contentType: "application/json", raw })),
        ),
      { refused },
    ),
    family(operation, "deep-nesting", "open", "an option nested 50 to 400 levels deep", (name) =>
      sentAs(shape, name, (body) =>
        fc.integer({ min: 50, max: 400 }).map((depth) => ({
          contentType: "application/json",
          json: {
            ...json(body),
            options: { ...(json(body).options as object), nested: nested(depth) },
          },
        })),
      ),
    ),
  );
  return cases;
}

/** The wire-level families of an operation, by its shape. */
export function wireFamilies(shape: Shape): Family[] {
  const { operation, profile } = shape;
  const families = [
    ...(operation.secured ? tokenCases(shape) : []),
    ...headerCases(shape),
    ...(shape.body ? bodyCases(shape) : []),
  ];
  if (isMarked(operation, "", "request.media-type")) {
    families.push(
      decided(
        shape,
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
              sentAs(shape, name, (body) =>
                fc.constant({
                  raw: JSON.stringify(body.json),
                  ...(contentType ? { contentType } : {}),
                }),
              ),
            ),
      ),
    );
  }
  if (shape.body === "form" && isMarked(operation, "", "token.request-variants")) {
    families.push(
      decided(
        shape,
        "json-body",
        marked(operation, "", "token.request-variants").under(profile).jsonBody,
        "the token request as a JSON object (spec getAccessToken)",
        (name) =>
          sentAs(shape, name, (body) =>
            fc.constant({ ...body, contentType: "application/json", formAsJson: true }),
          ),
      ),
    );
  }
  return families;
}
