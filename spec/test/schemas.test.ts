import { describe, expect, it } from "vitest";
import { specValidator } from "./validator.js";

const ajv = specValidator();
const check = (schema: string, value: unknown) => {
  const validate = ajv.getSchema(`spec#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate(value) as boolean;
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

// The schemas carry the document's rules; each case is one rule a server and a client rely on.
const cases: Array<[string, { schema: string; value: unknown; want: boolean }]> = [
  ["the document's create example", { schema: "ConnectionCreate", value: googleApps, want: true }],
  ["create without client_id", { schema: "ConnectionCreate", value: googleApps, want: true }],
  ["create echoing server fields", { schema: "ConnectionCreate", value: stored, want: true }],
  [
    "create with status 2",
    { schema: "ConnectionCreate", value: { ...googleApps, status: 2 }, want: false },
  ],
  [
    "create with status as a string",
    { schema: "ConnectionCreate", value: { ...googleApps, status: "1" }, want: false },
  ],
  [
    "create with an unknown strategy",
    { schema: "ConnectionCreate", value: { ...googleApps, strategy: "facebook" }, want: false },
  ],
  [
    "create without name",
    { schema: "ConnectionCreate", value: { ...googleApps, name: undefined }, want: false },
  ],
  [
    "create without options",
    { schema: "ConnectionCreate", value: { ...googleApps, options: undefined }, want: false },
  ],
  [
    "create with a misspelled field",
    { schema: "ConnectionCreate", value: { ...googleApps, stauts: 1 }, want: false },
  ],
  [
    "create with options of another strategy",
    {
      schema: "ConnectionCreate",
      value: { ...googleApps, strategy: "google-oauth2", options: { tenant_domain: "x" } },
      want: false,
    },
  ],
  [
    "create with a name that cannot be a path segment",
    { schema: "ConnectionCreate", value: { ...googleApps, name: "a/b" }, want: false },
  ],
  [
    "create with extra option properties",
    {
      schema: "ConnectionCreate",
      value: { ...googleApps, options: { ...googleApps.options, future_flag: 1 } },
      want: true,
    },
  ],
  [
    "replace without client_id",
    { schema: "ConnectionReplacement", value: googleApps, want: false },
  ],
  [
    "replace with every field",
    { schema: "ConnectionReplacement", value: { ...googleApps, client_id: "client" }, want: true },
  ],
  [
    "replace without status",
    {
      schema: "ConnectionReplacement",
      value: { ...googleApps, client_id: "c", status: undefined },
      want: false,
    },
  ],
  ["a stored provisioned connection", { schema: "Connection", value: stored, want: true }],
  [
    "a stored google-apps connection without its ticket",
    { schema: "Connection", value: { ...stored, provisioning_ticket: undefined }, want: false },
  ],
  [
    "a stored connection without id",
    { schema: "Connection", value: { ...stored, id: undefined }, want: false },
  ],
  [
    "a stored connection with extra properties",
    { schema: "Connection", value: { ...stored, enabled_clients: [] }, want: true },
  ],
  [
    "a social connection needs no ticket",
    {
      schema: "Connection",
      value: {
        id: "c",
        client_id: "x",
        name: "g",
        status: 1,
        strategy: "windowslive",
        options: {},
      },
      want: true,
    },
  ],
  [
    "a user",
    {
      schema: "User",
      value: {
        user_id: "adfs|john@fabrikam.com",
        loginsCount: 3,
        lastLogin: "2013-01-15T01:54:30.578Z",
        email: "",
      },
      want: true,
    },
  ],
  ["a user_id without an identifier", { schema: "User", value: { user_id: "adfs|" }, want: false }],
  ["a user_id without a strategy", { schema: "User", value: { user_id: "john" }, want: false }],
  [
    "a lastLogin that is not a date-time",
    { schema: "User", value: { user_id: "adfs|j", lastLogin: "yesterday" }, want: false },
  ],
  [
    "a fractional loginsCount",
    { schema: "User", value: { user_id: "adfs|j", loginsCount: 1.5 }, want: false },
  ],
  [
    "a token response",
    { schema: "TokenResponse", value: { access_token: "t", token_type: "bearer" }, want: true },
  ],
  [
    "a token response with Bearer",
    { schema: "TokenResponse", value: { access_token: "t", token_type: "Bearer" }, want: true },
  ],
  [
    "a token response of another type",
    { schema: "TokenResponse", value: { access_token: "t", token_type: "mac" }, want: false },
  ],
  ["an OAuth error", { schema: "OAuthError", value: { error: "invalid_client" }, want: true }],
  [
    "an OAuth error outside RFC 6749",
    { schema: "OAuthError", value: { error: "nope" }, want: false },
  ],
  [
    "an error body",
    {
      schema: "Error",
      value: { statusCode: 404, error: "Not Found", message: "No connection named x." },
      want: true,
    },
  ],
  [
    "an error body without message",
    { schema: "Error", value: { statusCode: 404, error: "Not Found" }, want: false },
  ],
];

describe("spec schemas", () => {
  it.each(cases)("%s", (_name, { schema, value, want }) => {
    const clean = JSON.parse(JSON.stringify(value));
    expect(check(schema, clean)).toBe(want);
  });
});
