import { describe, expect, it } from "vitest";
import { createSpecValidator, type SpecProfile } from "../src/model.js";

const validators = {
  core: createSpecValidator(),
  strict: createSpecValidator({ profile: "strict" }),
};
const check = (profile: SpecProfile, schema: string, value: unknown) =>
  validators[profile].isValid(`spec#/components/schemas/${schema}`, value);

const era = {
  name: "thesuperstore-connection",
  strategy: "office365",
  options: { tenant_domain: "bigcompany.com" },
};
const googleApps = {
  name: "acme-apps",
  status: 0,
  strategy: "google-apps",
  options: {
    client_id: "id",
    client_secret: "secret",
    tenant_domain: "acme.com",
    ext_groups: true,
  },
};
const stored = {
  ...googleApps,
  id: "con_1",
  client_id: "client",
  provisioning_ticket: "t",
  provisioning_ticket_url: "https://tenant.example/p/t",
};
const social = {
  id: "c",
  client_id: "x",
  name: "g",
  status: 1,
  strategy: "windowslive",
  options: {},
};
const user = {
  _id: "7eb1ae32568910b0f46e981aa99b56556",
  email: "",
  family_name: "Fabrikam",
  given_name: "John",
  identities: [],
  issuer: "",
  lastLogin: "2013-01-15T01:54:30.578Z",
  loginsCount: 13,
  name: "John Fabrikam",
  nickname: "john",
  picture: "",
  user_id: "adfs|john@fabrikam.com",
};
const without = (value: Record<string, unknown>, key: string) => {
  const { [key]: _, ...rest } = value;
  return rest;
};

type Case = [string, { schema: string; value: unknown; core: boolean; strict?: boolean }];

// Each case is one rule a server or a client relies on. `core` is the document's reading; `strict`
// (when it differs) the description's own choice, from its `x-strict` extensions.
const cases: Case[] = [
  ["the era's create body", { schema: "ConnectionCreate", value: era, core: true }],
  ["the document's create example", { schema: "ConnectionCreate", value: googleApps, core: true }],
  [
    "create without status",
    { schema: "ConnectionCreate", value: without(googleApps, "status"), core: true },
  ],
  [
    "create without options",
    { schema: "ConnectionCreate", value: without(googleApps, "options"), core: true },
  ],
  ["create echoing server fields", { schema: "ConnectionCreate", value: stored, core: true }],
  [
    "create with a numeric id and a foreign client_id (ignored)",
    { schema: "ConnectionCreate", value: { ...googleApps, id: 7, client_id: 42 }, core: true },
  ],
  [
    "create with an unknown top-level property (ignored)",
    { schema: "ConnectionCreate", value: { ...googleApps, enabled_clients: [] }, core: true },
  ],
  [
    "create with an empty option value",
    {
      schema: "ConnectionCreate",
      value: { ...googleApps, options: { tenant_domain: "" } },
      core: true,
    },
  ],
  [
    "create with status 2",
    { schema: "ConnectionCreate", value: { ...googleApps, status: 2 }, core: false },
  ],
  [
    "create with status as a string",
    { schema: "ConnectionCreate", value: { ...googleApps, status: "1" }, core: false },
  ],
  [
    "create with an unknown strategy",
    { schema: "ConnectionCreate", value: { ...googleApps, strategy: "facebook" }, core: false },
  ],
  [
    "create without name",
    { schema: "ConnectionCreate", value: without(googleApps, "name"), core: false },
  ],
  [
    "create without strategy",
    { schema: "ConnectionCreate", value: without(googleApps, "strategy"), core: false },
  ],
  [
    "create with an option of the wrong type",
    {
      schema: "ConnectionCreate",
      value: { ...googleApps, options: { ext_groups: "yes" } },
      core: false,
    },
  ],
  [
    "create with options that are not an object",
    { schema: "ConnectionCreate", value: { ...googleApps, options: [] }, core: false },
  ],
  [
    "create with a name that cannot be a path segment",
    { schema: "ConnectionCreate", value: { ...googleApps, name: "a/b" }, core: false },
  ],
  [
    "create with a thumbprint holding separators",
    {
      schema: "ConnectionCreate",
      value: { name: "a", strategy: "adfs", options: { thumbprints: ["9b:25:0a"] } },
      core: false,
    },
  ],
  [
    "create with extra option properties",
    {
      schema: "ConnectionCreate",
      value: { ...googleApps, options: { ...googleApps.options, future_flag: 1 } },
      core: true,
    },
  ],
  [
    "replace built by hand, without client_id",
    { schema: "ConnectionReplacement", value: googleApps, core: true },
  ],
  [
    "replace sending back what was read",
    { schema: "ConnectionReplacement", value: stored, core: true },
  ],
  [
    "replace without status",
    { schema: "ConnectionReplacement", value: without(googleApps, "status"), core: false },
  ],
  [
    "replace without options",
    { schema: "ConnectionReplacement", value: without(googleApps, "options"), core: false },
  ],
  ["a stored provisioned connection", { schema: "Connection", value: stored, core: true }],
  [
    "a stored google-apps connection without its ticket",
    { schema: "Connection", value: without(stored, "provisioning_ticket"), core: false },
  ],
  [
    "a listed connection without id",
    { schema: "Connection", value: without(stored, "id"), core: true, strict: false },
  ],
  [
    "a listed connection with a numeric id",
    { schema: "Connection", value: { ...stored, id: 12 }, core: true, strict: false },
  ],
  [
    "a listed connection without client_id",
    { schema: "Connection", value: without(stored, "client_id"), core: false },
  ],
  [
    "a created connection without id",
    { schema: "CreatedConnection", value: without(stored, "id"), core: false },
  ],
  [
    "a stored name with spaces and non-ASCII letters",
    { schema: "Connection", value: { ...stored, name: "Café Lyon " }, core: true, strict: false },
  ],
  [
    "a stored connection with extra properties",
    { schema: "Connection", value: { ...stored, enabled_clients: [] }, core: true },
  ],
  ["a social connection needs no ticket", { schema: "Connection", value: social, core: true }],
  [
    "a social connection with a well-typed ticket",
    {
      schema: "Connection",
      value: {
        ...social,
        provisioning_ticket: "t",
        provisioning_ticket_url: "https://x.example/p",
      },
      core: true,
      strict: false,
    },
  ],
  [
    "a social connection with a ticket URL that is no URL",
    { schema: "Connection", value: { ...social, provisioning_ticket_url: "nope" }, core: false },
  ],
  ["a removed string id", { schema: "RemovedConnection", value: { removed: "con_1" }, core: true }],
  [
    "a removed numeric id",
    { schema: "RemovedConnection", value: { removed: 7 }, core: true, strict: false },
  ],
  ["a removed without id", { schema: "RemovedConnection", value: {}, core: false }],
  ["the document's user, blanks filled", { schema: "User", value: user, core: true }],
  ...(["lastLogin", "loginsCount", "identities", "issuer", "_id", "nickname"] as const).map(
    (field): Case => [
      `a user without ${field}`,
      { schema: "User", value: without(user, field), core: false },
    ],
  ),
  [
    "a user_id without an identifier",
    { schema: "User", value: { ...user, user_id: "adfs|" }, core: false },
  ],
  [
    "a user_id without a strategy",
    { schema: "User", value: { ...user, user_id: "john" }, core: false },
  ],
  [
    "a lastLogin that is not a date-time",
    { schema: "User", value: { ...user, lastLogin: "yesterday" }, core: false },
  ],
  [
    "a fractional loginsCount",
    { schema: "User", value: { ...user, loginsCount: 1.5 }, core: false },
  ],
  [
    "a token response",
    { schema: "TokenResponse", value: { access_token: "t", token_type: "bearer" }, core: true },
  ],
  [
    "a token response with Bearer",
    { schema: "TokenResponse", value: { access_token: "t", token_type: "Bearer" }, core: true },
  ],
  [
    "a token response of another type",
    { schema: "TokenResponse", value: { access_token: "t", token_type: "mac" }, core: false },
  ],
  [
    "invalid_client answered with 400",
    {
      schema: "OAuthBadRequestError",
      value: { error: "invalid_client" },
      core: true,
      strict: false,
    },
  ],
  [
    "unsupported_grant_type answered with 400",
    { schema: "OAuthBadRequestError", value: { error: "unsupported_grant_type" }, core: true },
  ],
  [
    "invalid_request answered with 401",
    { schema: "OAuthInvalidClientError", value: { error: "invalid_request" }, core: false },
  ],
  [
    "an OAuth error outside RFC 6749",
    { schema: "OAuthError", value: { error: "nope" }, core: false },
  ],
  [
    "an error body",
    {
      schema: "Error",
      value: { statusCode: 404, error: "Not Found", message: "No connection named x." },
      core: true,
    },
  ],
  [
    "an error body of another shape",
    { schema: "Error", value: { msg: "not found" }, core: true, strict: false },
  ],
  ["an error body that is not an object", { schema: "Error", value: "oops", core: false }],
];

describe("spec schemas", () => {
  it.each(cases)("%s", (_name, { schema, value, core, strict = core }) => {
    const clean = JSON.parse(JSON.stringify(value));
    expect(check("core", schema, clean), "core").toBe(core);
    expect(check("strict", schema, clean), "strict").toBe(strict);
  });
});
