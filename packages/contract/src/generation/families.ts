import { type OperationModel, type Strategy, strategies } from "@mgmtkit/spec/model";
import fc from "fast-check";
import type { Profile } from "../types.js";
import { connectionBody, replacementBody } from "./bodies.js";
import type { Draft, FormValue } from "./draft.js";
import {
  CONNECTION_PATH,
  draft,
  type Edit,
  type Family,
  family,
  marked,
  onePath,
  type Shape,
} from "./family.js";
import { mutationFamilies } from "./mutations.js";
import { semanticFamilies } from "./semantic.js";
import { wireFamilies } from "./wire-class.js";

export type { CaseKind, Family } from "./family.js";

/*
 * The families of generated requests of each operation: a valid one, the wire-level ones of its
 * shape (wire-class.ts), the mutations of its body's schema (mutations.ts) and the few cases no
 * schema says (semantic.ts). Here: how to make a valid request of each shape.
 */

const jsonBody = (json: unknown): Draft["body"] => ({ contentType: "application/json", json });

/** The names a request may leave behind: the case's own, and another name its body carries. */
function namesOf(name: string, body: unknown): string[] {
  const other = (body as { name?: unknown } | null)?.name;
  return typeof other === "string" && other !== name ? [name, other] : [name];
}

function createShape(operation: OperationModel, profile: Profile): Shape {
  const post = (name: string, body: unknown, change: Partial<Draft> = {}): Draft =>
    draft({
      method: "POST",
      path: CONNECTION_PATH,
      body: jsonBody(body),
      creates: namesOf(name, body),
      ...change,
    });
  return {
    operation,
    profile,
    body: "json",
    valid: (name, change) =>
      connectionBody(profile, name).map(({ body }) => post(name, body, change)),
    edited: (name, edits, among) =>
      connectionBody(profile, name, among).chain(({ body, strategy }) =>
        edits(strategy).map((edit) => post(name, edit(body))),
      ),
  };
}

function replaceShape(operation: OperationModel, profile: Profile): Shape {
  type Target = { name: string; strategy: Strategy };
  const replaced = (name: string, among: readonly Strategy[] = strategies) =>
    fc.constantFrom(...among).chain((strategy) =>
      replacementBody(profile, name, strategy).map((body) => ({
        target: { name, strategy } as Target,
        body,
      })),
    );
  const put = (target: Target, body: Draft["body"], change: Partial<Draft> = {}): Draft =>
    draft({ method: "PUT", path: onePath(target.name), body, target, ...change });
  // Under a reading that requires every field a connection shows, a replace sends its client_id.
  const withTargetClientId = marked(operation, "/client_id", "client-id.foreign").under(
    profile,
  ).replaceSendsShownClientId;
  return {
    operation,
    profile,
    body: "json",
    valid: (name, change) =>
      replaced(name).map(({ target, body }) =>
        put(target, { contentType: "application/json", json: body, withTargetClientId }, change),
      ),
    edited: (name, edits, among) =>
      replaced(name, among).chain(({ target, body }) =>
        edits(target.strategy).map((edit) => {
          const json = edit(body);
          return put(target, jsonBody(json), { creates: namesOf(name, json).slice(1) });
        }),
      ),
  };
}

/** GET or DELETE of one connection, and the users of one connection. */
function oneConnectionShape(operation: OperationModel, profile: Profile): Shape {
  const suffix = operation.path.slice(operation.path.indexOf("}") + 1);
  return {
    operation,
    profile,
    valid: (name, change) =>
      fc.constantFrom(...strategies).map((strategy) =>
        draft({
          method: operation.method,
          path: `${onePath(name)}${suffix}`,
          target: { name, strategy },
          ...change,
        }),
      ),
  };
}

function listShape(operation: OperationModel, profile: Profile): Shape {
  const paged =
    operation.parameters.some((p) => p.name === "per_page") &&
    marked(operation, "query:per_page", "users.pagination").under(profile).judged;
  const query: fc.Arbitrary<Array<[string, string]>> = paged
    ? fc
        .record(
          { per_page: fc.integer({ min: 1, max: 100 }), page: fc.integer({ min: 0, max: 3 }) },
          { requiredKeys: [] },
        )
        .map((q) => Object.entries(q).map(([k, v]) => [k, String(v)] as [string, string]))
    : fc.constant([]);
  return {
    operation,
    profile,
    valid: (_name, change) =>
      query.map((q) => draft({ method: "GET", path: operation.path, query: q, ...change })),
  };
}

/** The token request: the run's credentials as a form, parameters in any order, `type` or not. */
function tokenShape(operation: OperationModel, profile: Profile): Shape {
  const credentials: Record<string, FormValue> = {
    client_id: { credential: "clientId" },
    client_secret: { credential: "clientSecret" },
    grant_type: "client_credentials",
  };
  const contentType = operation.requestBody?.mediaTypes[0];
  const post = (fields: unknown, change: Partial<Draft> = {}) =>
    fc
      .shuffledSubarray(Object.entries(fields as Record<string, FormValue>), {
        minLength: Object.keys(fields as object).length,
      })
      .map((form) =>
        draft({
          method: "POST",
          path: operation.path,
          auth: { kind: "none" },
          body: { form, ...(contentType ? { contentType } : {}) },
          ...change,
        }),
      );
  const fields = fc
    .boolean()
    .map((withType) => (withType ? { ...credentials, type: "web_server" } : credentials));
  return {
    operation,
    profile,
    body: "form",
    valid: (_name, change) => fields.chain((f) => post(f, change)),
    edited: (_name, edits) =>
      fc
        .tuple(fields, edits(undefined))
        .chain(([f, edit]: [object, Edit]) => post(edit(f as Record<string, unknown>))),
  };
}

function shapeOf(operation: OperationModel, profile: Profile): Shape {
  if (!operation.secured) return tokenShape(operation, profile);
  if (operation.method === "POST") return createShape(operation, profile);
  if (operation.method === "PUT") return replaceShape(operation, profile);
  if (operation.path.includes("{connectionName}")) return oneConnectionShape(operation, profile);
  return listShape(operation, profile);
}

/** Every family of generated requests to one operation, as the profile reads the document. */
export function familiesOf(operation: OperationModel, profile: Profile): Family[] {
  const shape = shapeOf(operation, profile);
  return [
    family(operation, "valid", "valid", `a valid ${operation.method} ${operation.path}`, (name) =>
      shape.valid(name, {}),
    ),
    ...wireFamilies(shape),
    ...mutationFamilies(shape),
    ...semanticFamilies(shape),
  ];
}
