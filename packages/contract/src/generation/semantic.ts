import { type Strategy, strategies } from "@mgmtkit/spec/model";
import fc from "fast-check";
import { point } from "../open-points.js";
import type { Alteration } from "./alterations.js";
import { alterationKinds } from "./alterations.js";
import { optionSchemas, replacementBody, strictName } from "./bodies.js";
import type { Draft, FormValue } from "./draft.js";
import {
  absentRefusals,
  decided,
  draft,
  type Family,
  family,
  inputRefusals,
  isMarked,
  marked,
  onePath,
  type Shape,
} from "./family.js";
import { anyJson, anyText, memo, typesOf } from "./schema-arbitrary.js";
import { kindOf } from "./wire-class.js";

/*
 * What a schema cannot say: a name of odd characters, a connection that does not exist, a replace
 * that renames, credentials altered. The rest of the generated families come from the schema
 * (mutations.ts) and from the operation's shape (wire-class.ts).
 */

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
const LONGS = {
  /** Past the 255 characters of a VARCHAR(255). */
  text: fc.integer({ min: 256, max: 4096 }),
  /** Past the spec's 128. */
  name: fc.integer({ min: 129, max: 300 }),
  /** Under 1,000 characters: the spec documents no 414 for a URL too long. */
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

/** A string option of the strategy. */
const stringOption = memo((strategy: Strategy) =>
  fc.constantFrom(
    ...Object.entries(optionSchemas(strategy))
      .filter(([, schema]) => typesOf(schema).includes("string"))
      .map(([key]) => key),
  ),
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

/** The connection body's cases: odd names and option strings, server-owned fields, a rename. */
function connectionCases(shape: Shape): Family[] {
  const { operation, profile } = shape;
  const edited = shape.edited;
  if (!edited || shape.body !== "json") return [];
  const owned = operation.openPoints.find((p) => p.point === "client-id.foreign");
  const families = [
    decided(
      shape,
      "odd-option-strings",
      marked(operation, "/options", "create.option-values").under(profile).oddStrings,
      "a string option with astral, zero-width, control or non-ASCII characters, or thousands of characters long",
      (name, k) =>
        edited(name, (strategy) =>
          fc
            .tuple(stringOption(strategy as Strategy), oddAt(k, "text"), anyText)
            .map(([key, odd, text]) => (body: Record<string, unknown>) => ({
              ...body,
              options: { ...(body.options as object), [key]: `${text}${odd}` },
            })),
        ),
      { examples: ODD_EXAMPLES },
    ),
  ];
  if (owned) {
    families.push(
      decided(
        shape,
        "server-owned-fields",
        point("client-id.foreign").under(profile),
        "the server-owned fields (id, client_id, provisioning fields) sent with any value",
        (name) => edited(name, () => serverOwned.map((o) => (body) => ({ ...body, ...o }))),
      ),
    );
  }
  if (isMarked(operation, "/name", "connection.names")) {
    families.push(
      decided(
        shape,
        "odd-name",
        point("connection.names").under(profile),
        "a name with spaces, non-ASCII, astral, zero-width or control characters, slashes, or over 128 characters",
        (name, k) =>
          edited(name, () =>
            fc.tuple(oddAt(k, "name"), fc.boolean()).map(([odd, before]) => (body) => ({
              ...body,
              name: before ? `${odd}${name}` : `${name}${odd}`,
            })),
          ),
        { examples: ODD_EXAMPLES },
      ),
    );
  }
  if (isMarked(operation, "/name", "replace.fixed-fields")) {
    const fixed = point("replace.fixed-fields").under(profile);
    families.push(
      decided(
        shape,
        "rename",
        fixed,
        "a replacement whose name is not the one in the path",
        (name) =>
          edited(name, () =>
            strictName(profile, `${name}-other`).map((other) => (body) => ({
              ...body,
              name: other,
            })),
          ),
      ),
      decided(
        shape,
        "strategy-change",
        fixed,
        "a replacement with another documented strategy",
        (name) =>
          fc.constantFrom(...strategies).chain((from) =>
            fc
              .constantFrom(...strategies.filter((s) => s !== from))
              .chain((to) => replacementBody(profile, name, to))
              .chain((replacement) => edited(name, () => fc.constant(() => replacement), [from])),
          ),
      ),
    );
  }
  return families;
}

/** A connection name that does not exist, for an operation on one connection. */
function absentCases(shape: Shape): Family[] {
  const { operation, profile } = shape;
  if (!operation.path.includes("{connectionName}")) return [];
  const suffix = operation.path.slice(operation.path.indexOf("}") + 1);
  const unknown = point("users.unknown-connection").under(profile);
  const users = suffix === "/users";
  const absent = (name: string) =>
    shape.valid(name, {}).map(
      (d): Draft => ({
        ...d,
        path: `${onePath(name)}${suffix}`,
        target: undefined,
        creates: [],
      }),
    );
  const families = [
    family(
      operation,
      "absent",
      "invalid",
      "a connection name that does not exist",
      (name) => fc.constantFrom("-absent", "-absent-x").chain((tail) => absent(`${name}${tail}`)),
      {
        refused: users ? [...unknown.statuses] : absentRefusals(operation),
        emptyListRefuses: users && unknown.emptyList,
      },
    ),
  ];
  if (operation.method !== "PUT") {
    families.push(
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
    );
  }
  return families;
}

const PAGE_VALUES = ["0", "101", "-1", "abc", "1.5", "", "2147483648", "99999999999999999999"];

function pageCases(shape: Shape): Family[] {
  const { operation, profile } = shape;
  const paged =
    operation.parameters.some((p) => p.name === "per_page") &&
    marked(operation, "query:per_page", "users.pagination").under(profile).judged;
  if (!paged) return [];
  return [
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
  ];
}

/** The token request's credentials, one of them altered or given twice. */
function credentialCases(shape: Shape): Family[] {
  const { operation, profile } = shape;
  if (shape.body !== "form") return [];
  const refused = inputRefusals(operation, profile);
  const withForm = (
    name: string,
    edit: (form: Array<[string, FormValue]>) => Array<[string, FormValue]>,
  ) =>
    shape
      .valid(name, {})
      .map((d) => ({ ...d, body: { ...d.body, form: edit(d.body?.form ?? []) } }));
  const altered =
    (credential: "clientId" | "clientSecret", a: Alteration) =>
    (form: Array<[string, FormValue]>) =>
      form.map(([n, v]): [string, FormValue] =>
        typeof v === "object" && v.credential === credential
          ? [n, { credential, alteration: a }]
          : [n, v],
      );
  const alteredFamily = (id: string, credential: "clientId" | "clientSecret", what: string) =>
    family(
      operation,
      id,
      "invalid",
      `the ${what} altered (a character added, removed or changed, its case, a space)`,
      (name, k) => kindOf(k).chain((a) => withForm(name, altered(credential, a))),
      { refused, examples: alterationKinds.length },
    );
  return [
    alteredFamily("secret-altered", "clientSecret", "client secret"),
    alteredFamily("client-id-altered", "clientId", "client id"),
    decided(
      shape,
      "parameter-repeated",
      marked(operation, "", "token.repeated-parameters").under(profile),
      "client_id or client_secret given twice, once altered (RFC 6749 section 3.2: parameters are sent once)",
      (name, k) =>
        // Every credential, altered before and after the right one.
        kindOf(k).chain((alteration) => {
          const credential = k % 2 === 0 ? "clientSecret" : "clientId";
          const key = credential === "clientId" ? "client_id" : "client_secret";
          return withForm(name, (form) => {
            const at = form.findIndex(([n]) => n === key);
            const next = [...form];
            next.splice(k % 4 < 2 ? at : at + 1, 0, [key, { credential, alteration }]);
            return next;
          });
        }),
      { examples: 4 },
    ),
  ];
}

/** The cases no schema says, for one operation. */
export function semanticFamilies(shape: Shape): Family[] {
  return [
    ...connectionCases(shape),
    ...absentCases(shape),
    ...pageCases(shape),
    ...credentialCases(shape),
  ];
}
