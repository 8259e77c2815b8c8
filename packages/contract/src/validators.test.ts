import { describe, expect, it } from "vitest";
import { type ExchangeInit, recordExchange } from "./exchange.js";
import { responseValidators, validateExchange } from "./validators.js";

const base = "https://tenant.example/v1";
const secrets = ["client-s3cret/+", "tok-12345"];

/** An exchange as a proxy would see it: no suite involved. */
function seen(
  init: Partial<ExchangeInit> & { path: string; json?: unknown },
): ReturnType<typeof recordExchange> {
  const { path, json, ...rest } = init;
  return recordExchange({
    checkId: "proxy",
    baseUrl: base,
    method: "GET",
    url: `${base}${path}`,
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    ...rest,
  });
}

const connection = {
  id: "con_1",
  client_id: "c",
  name: "fabrikam-google",
  status: 1,
  strategy: "google-oauth2",
  options: { client_id: "g", client_secret: "gs" },
};

describe("the response validators", () => {
  it("have unique ids, each with a requirement and a source", () => {
    const ids = responseValidators.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of responseValidators) {
      expect(v.id).toMatch(/^response\.[a-z-]+$/);
      expect(v.requirement.length).toBeGreaterThan(20);
      expect(v.source).toMatch(/"[^"]+" \(|spec|RFC/);
    }
  });

  it.each<[string, { exchange: ReturnType<typeof seen>; want: Array<string | RegExp> }]>([
    [
      "a valid list",
      { exchange: seen({ path: "/api/connections", json: [connection] }), want: [] },
    ],
    [
      "a 500",
      {
        exchange: seen({
          path: "/api/connections",
          status: 500,
          json: { statusCode: 500, error: "Internal Server Error", message: "x" },
        }),
        want: ["response.server-error"],
      },
    ],
    [
      "a 202 on create",
      {
        exchange: seen({ path: "/api/connections", method: "POST", status: 202, json: connection }),
        want: ["response.documented-status"],
      },
    ],
    [
      "a 422 refusal (accepted in core, not in strict)",
      {
        exchange: seen({
          path: "/api/connections",
          method: "POST",
          status: 422,
          json: { statusCode: 422, error: "Unprocessable Entity", message: "x" },
        }),
        want: ["response.documented-refusal"],
      },
    ],
    [
      "an HTML 401",
      {
        exchange: seen({
          path: "/api/users",
          status: 401,
          headers: { "content-type": "text/html" },
          body: "<html>401</html>",
        }),
        want: ["response.json-content-type", /^response\.schema: .*not JSON/],
      },
    ],
    [
      "an empty 401 without a Content-Type (accepted in core, not in strict)",
      {
        exchange: seen({ path: "/api/users", status: 401, headers: {}, body: "" }),
        want: [/^response\.schema-strict: .*not JSON/],
      },
    ],
    [
      "a listed connection without an id",
      {
        exchange: seen({ path: "/api/connections/", json: [{ ...connection, id: undefined }] }),
        want: [/^response\.schema-strict: .*\[0\].*'id'/],
      },
    ],
    [
      "an answer that is not JSON although it says so",
      {
        exchange: seen({ path: "/api/connections/acme", body: "<connection/>" }),
        want: [/^response\.schema: .*which is not JSON/],
      },
    ],
    [
      "a path the spec does not document",
      {
        exchange: seen({ path: "/api/nothing", status: 299, json: {} }),
        want: [],
      },
    ],
    [
      "the token answer carrying its own token",
      {
        exchange: seen({
          path: "/oauth/token",
          method: "POST",
          json: { access_token: "tok-12345", token_type: "bearer" },
        }),
        want: [],
      },
    ],
    [
      "a token answer whose token is too short to be told from other text",
      {
        exchange: seen({
          path: "/oauth/token",
          method: "POST",
          json: { access_token: "e", token_type: "bearer" },
        }),
        want: [/^response\.no-secret-echo: .*at least 8 characters\. \| .*token of 1 character\.$/],
      },
    ],
    [
      "a token answer that echoes the form, client secret included",
      {
        exchange: seen({
          path: "/oauth/token",
          method: "POST",
          json: {
            access_token: "tok-45678",
            token_type: "bearer",
            echo: new URLSearchParams({ client_secret: "client-s3cret/+" }).toString(),
          },
        }),
        want: [/^response\.no-secret-echo: .*in its body/],
      },
    ],
    [
      "an error that repeats the token",
      {
        exchange: seen({
          path: "/api/connections/acme",
          status: 404,
          json: { statusCode: 404, error: "Not Found", message: "acme (token tok-12345)" },
        }),
        want: [/^response\.no-secret-echo/],
      },
    ],
    [
      "a header that repeats the token",
      {
        exchange: seen({
          path: "/api/users",
          json: [],
          headers: { "content-type": "application/json", "x-debug": "bearer tok-12345" },
        }),
        want: [/^response\.no-secret-echo: .*in its headers/],
      },
    ],
    [
      "a next-page link that repeats the query token",
      {
        exchange: seen({
          path: "/api/users",
          json: [],
          headers: {
            "content-type": "application/json",
            link: `<${base}/api/users?page=1&access_token=tok-12345>; rel="next"`,
          },
        }),
        want: [],
      },
    ],
  ])("%s", (_name, { exchange, want }) => {
    const found = validateExchange(exchange, { secrets }, "strict").map(
      (f) => `${f.type}: ${f.requirement} | ${f.observed}`,
    );
    expect(found).toHaveLength(want.length);
    want.forEach((pattern, index) => {
      if (typeof pattern === "string") expect(found[index]).toMatch(new RegExp(`^${pattern}: `));
      else expect(found[index]).toMatch(pattern);
    });
  });

  it("judge nothing when no answer arrived", () => {
    const exchange = recordExchange({
      checkId: "x",
      baseUrl: base,
      method: "GET",
      url: `${base}/api/users`,
      transportError: "reset the connection",
    });
    expect(validateExchange(exchange, { secrets }, "strict")).toEqual([]);
  });

  it.each<[string, ReturnType<typeof seen>, Array<string | RegExp>]>([
    [
      "a listed connection without an id",
      seen({ path: "/api/connections", json: [{ ...connection, id: undefined }] }),
      [],
    ],
    [
      "a created connection without an id",
      seen({
        path: "/api/connections",
        method: "POST",
        status: 201,
        json: { ...connection, id: undefined },
      }),
      [/^response\.schema: .*'id'/],
    ],
    [
      "a numeric id and a numeric removed",
      seen({ path: "/api/connections/x", method: "DELETE", json: { removed: 42 } }),
      [],
    ],
    [
      "a name with spaces, past 128 characters",
      seen({ path: "/api/connections", json: [{ ...connection, name: `a b ${"c".repeat(200)}` }] }),
      [],
    ],
    [
      "a user without user_id",
      seen({ path: "/api/users", json: [{ email: "a@b.example" }] }),
      [/^response\.schema: .*\[0\] must have required property/],
    ],
  ])("in core, judge %s by what the document leaves open", (_name, exchange, want) => {
    const found = validateExchange(exchange, { secrets }, "core").map(
      (f) => `${f.type}: ${f.requirement} | ${f.observed}`,
    );
    expect(found).toHaveLength(want.length);
    want.forEach((pattern, index) => {
      expect(found[index]).toMatch(pattern);
    });
  });

  it("leave the strict ones out of core", () => {
    const refusal = seen({
      path: "/api/connections",
      method: "POST",
      status: 422,
      json: { statusCode: 422, error: "Unprocessable Entity", message: "x" },
    });
    expect(validateExchange(refusal, { secrets }, "core")).toEqual([]);
  });
});

describe("the connections a run sent (open point create.option-values)", () => {
  const odd = {
    ...connection,
    name: "mgmtkit-contract-abc123-odd",
    options: { client_id: "g", email: "yes", profile: null },
  };
  const list = seen({ path: "/api/connections", json: [connection, odd] });
  const types = (sentConnection?: (name: string) => Record<string, unknown>[]) =>
    validateExchange(
      list,
      { secrets, ...(sentConnection ? { sentConnection } : {}) },
      "strict",
    ).map((f) => f.type);

  it("are judged by what the run sent: an option shown as sent is not the core schema's", () => {
    const sent = { name: odd.name, strategy: "google-oauth2", options: odd.options };
    const own = (name: string) => (name === odd.name ? [sent] : []);
    expect(types(own)).toEqual(["response.schema-strict"]);
  });

  it("are the schema's whole when the run sent something else, or nothing", () => {
    const other = { name: odd.name, strategy: "google-oauth2", options: { email: true } };
    // What core reports, strict does not repeat.
    expect(types((name) => (name === odd.name ? [other] : []))).toEqual(["response.schema"]);
    expect(types()).toEqual(["response.schema"]);
  });

  it("keep every other field and option under the schema", () => {
    const wrong = { ...odd, status: 7, options: { ...odd.options, calendar: "x" } };
    const exchange = seen({ path: "/api/connections", json: [wrong] });
    const sent = { name: odd.name, strategy: "google-oauth2", options: odd.options };
    const found = validateExchange(exchange, { secrets, sentConnection: () => [sent] }, "core");
    expect(found.map((f) => f.type)).toEqual(["response.schema"]);
    expect(found[0]?.observed).toMatch(/status/);
    expect(found[0]?.observed).toMatch(/calendar/);
  });
});

describe("response.single-content-type", () => {
  const json = "application/json; charset=utf-8";
  const judged = (rawHeaders: string[]) =>
    validateExchange(
      seen({ path: "/api/connections", json: [connection], rawHeaders }),
      { secrets },
      responseValidators.filter((v) => v.id === "response.single-content-type"),
    );

  it("fails an answer with two Content-Type lines, whatever their case, quoting both", () => {
    const failures = judged(["Content-Type", json, "X-Other", "1", "content-type", "text/html"]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.observed).toBe(
      `The server answered 200 with 2 Content-Type fields: "${json}", "text/html".`,
    );
  });

  it("passes one Content-Type, repeated list fields, and an exchange without raw headers", () => {
    expect(judged(["Content-Type", json, "Vary", "Accept", "Vary", "Origin"])).toEqual([]);
    expect(
      validateExchange(seen({ path: "/api/connections", json: [connection] }), { secrets }),
    ).toEqual([]);
  });
});
