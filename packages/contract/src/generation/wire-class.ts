import type { Draft } from "./draft.js";

/** The JSON type of a value, integers apart from other numbers. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The fields a create or replace body holds (line 142: "formatted as a connection object"). */
const BODY_FIELDS = ["name", "status", "strategy", "options"];
/** Option values of the types the strategies' options hold; others (null, numbers, objects) stand out. */
const PLAIN_OPTIONS = new Set(["string", "boolean", "array"]);
/** The parameters of the token request (line 16). */
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
