import { describe, expect, it } from "vitest";
import { recordExchange } from "./exchange.js";
import { requestValidators, validateRequest } from "./request-validators.js";
import type { Profile } from "./types.js";

const base = "http://127.0.0.1:1";

interface Given {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Body bytes sent, when more than were kept. */
  bytes?: number;
  profile?: Profile;
}

function judge({ method, path, headers = {}, body, bytes, profile = "core" }: Given) {
  const exchange = recordExchange({
    checkId: "proxy",
    baseUrl: base,
    method,
    url: `${base}${path}`,
    requestHeaders: headers,
    ...(body !== undefined ? { requestBody: body } : {}),
    status: 200,
  });
  return validateRequest(exchange, {
    profile,
    ...(bytes !== undefined ? { requestBytes: bytes } : {}),
  }).map((f) => `${f.type}: ${f.observed}`);
}

const json = { "Content-Type": "application/json" };
const form = { "content-type": "application/x-www-form-urlencoded" };
const token = "client_id=a&client_secret=b&grant_type=client_credentials";
const connection = JSON.stringify({
  name: "fabrikam",
  strategy: "google-oauth2",
  status: 1,
  options: { client_id: "x", client_secret: "y" },
});

describe("request validators", () => {
  it("read a client's JSON only within the suite's limits, and say so", () => {
    const deep = `{"name":"n","strategy":"google-oauth2","options":${"[".repeat(600)}${"]".repeat(600)}}`;
    expect(
      judge({ method: "POST", path: "/api/connections", headers: json, body: deep }),
    ).toContain(
      "request.body: The client sent JSON nested more than 512 levels deep, more than the suite reads.",
    );
  });

  it("are described as the checks are", () => {
    for (const v of requestValidators) {
      expect(v.id).toMatch(/^request\.[a-z-]+$/);
      expect(v.requirement.length).toBeGreaterThan(20);
      expect(v.source).toMatch(/"[^"]+" \(|spec|RFC/);
    }
  });

  it.each<[string, Given]>([
    [
      "the token request, form-encoded",
      { method: "POST", path: "/oauth/token", headers: form, body: token },
    ],
    [
      "the token request with type=web_server",
      { method: "POST", path: "/oauth/token", headers: form, body: `${token}&type=web_server` },
    ],
    [
      "the token request as JSON",
      {
        method: "POST",
        path: "/oauth/token",
        headers: json,
        body: JSON.stringify({
          client_id: "a",
          client_secret: "b",
          grant_type: "client_credentials",
        }),
      },
    ],
    [
      "a list with a trailing slash and the token in the query",
      { method: "GET", path: "/api/connections/?access_token=abc" },
    ],
    [
      "a create with a charset parameter",
      {
        method: "POST",
        path: "/api/connections",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: connection,
      },
    ],
    ["a user page", { method: "GET", path: "/api/users?per_page=50&page=2" }],
    ["a HEAD where a GET is documented", { method: "HEAD", path: "/api/connections" }],
    [
      "a CORS preflight",
      {
        method: "OPTIONS",
        path: "/api/connections",
        headers: { "Access-Control-Request-Method": "POST" },
      },
    ],
    [
      "a GET that sends a body anyway",
      {
        method: "GET",
        path: "/api/connections",
        headers: { "content-type": "text/plain" },
        body: "x",
      },
    ],
    [
      "a body too large to keep, in a documented type",
      { method: "POST", path: "/api/connections", headers: json, bytes: 5_000_000 },
    ],
  ])("accept %s", (_name, given) => {
    expect(judge(given)).toEqual([]);
  });

  it.each<[string, Given, RegExp]>([
    [
      "an unknown path",
      { method: "GET", path: "/api/apps" },
      /^request\.operation: .*GET \/api\/apps, a path the spec does not document/,
    ],
    [
      "an undocumented method",
      { method: "PATCH", path: "/api/connections/acme" },
      /^request\.operation: .*where the spec documents only GET, PUT, DELETE/,
    ],
    ["a HEAD where no GET is", { method: "HEAD", path: "/oauth/token" }, /^request\.operation: /],
    [
      "a body without a Content-Type",
      { method: "POST", path: "/api/connections", body: connection },
      /^request\.media-type: The client sent a body with no Content-Type\.$/,
    ],
    [
      "the token request as text",
      {
        method: "POST",
        path: "/oauth/token",
        headers: { "content-type": "text/plain" },
        body: token,
      },
      /^request\.media-type: .*Content-Type text\/plain/,
    ],
    [
      "a create without a body",
      { method: "POST", path: "/api/connections", headers: json },
      /^request\.body: The client sent no body\.$/,
    ],
    [
      "a create that is not JSON",
      { method: "POST", path: "/api/connections", headers: json, body: "{name:" },
      /^request\.body: The client sent a body that is not application\/json\.$/,
    ],
    [
      "a create of an unknown strategy",
      {
        method: "POST",
        path: "/api/connections",
        headers: json,
        body: JSON.stringify({ name: "a", strategy: "ldap" }),
      },
      /^request\.body: .*strategy must be one of/,
    ],
    [
      "a token request without a grant",
      { method: "POST", path: "/oauth/token", headers: form, body: "client_id=a&client_secret=b" },
      /^request\.body: .*must have required property 'grant_type'/,
    ],
    [
      "a repeated form field",
      { method: "POST", path: "/oauth/token", headers: form, body: `${token}&grant_type=password` },
      /^request\.body: .*grant_type must be string/,
    ],
    [
      "a page size out of range",
      { method: "GET", path: "/api/users?per_page=1000" },
      /^request\.parameters: .*per_page must be <= 100/,
    ],
    [
      "a page given twice",
      { method: "GET", path: "/api/users?page=1&page=2&per_page=5" },
      /^request\.parameters: .*page must be given once/,
    ],
  ])("refuse %s", (_name, given, finding) => {
    const found = judge(given);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(finding);
  });
});
