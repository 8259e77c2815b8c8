import { describe, expect, it } from "vitest";
import { nextLink } from "../src/checks/support.js";
import { curlFor } from "../src/curl.js";
import type { Exchange } from "../src/exchange.js";
import { Redactor, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER } from "../src/redact.js";
import { documentedResponseKey, findOperation, schemaProblems } from "../src/spec-model.js";

function exchange(partial: Partial<Exchange>): Exchange {
  return {
    seq: 1,
    checkId: "x",
    method: "GET",
    url: "http://h/api/connections",
    path: "/api/connections",
    requestHeaders: {},
    headers: {},
    bytes: 0,
    isJson: false,
    durationMs: 0,
    ...partial,
  };
}

describe("curlFor", () => {
  const redactor = new Redactor();
  redactor.add("tok/en+1", TOKEN_PLACEHOLDER);
  redactor.add("s3cr$t", SECRET_PLACEHOLDER);
  // A value a check derived from the secret, shown as the shell expression that rebuilds it.
  redactor.add("s3cr", `\${MGMTKIT_CLIENT_SECRET%??}`);
  it.each([
    [
      "a header token becomes a shell variable in double quotes",
      { requestHeaders: { Authorization: "bearer tok/en+1" } },
      `curl -sS -i 'http://h/api/connections' -H "Authorization: bearer $MGMTKIT_TOKEN"`,
    ],
    [
      "a query token, URL-encoded, too",
      { url: `http://h/api/connections/?access_token=${encodeURIComponent("tok/en+1")}` },
      `curl -sS -i "http://h/api/connections/?access_token=$MGMTKIT_TOKEN"`,
    ],
    [
      "a form secret, with the rest of the body escaped for double quotes",
      {
        method: "POST",
        url: "http://h/oauth/token",
        requestBody: new URLSearchParams({ client_id: "a$b", client_secret: "s3cr$t" }).toString(),
      },
      `curl -sS -i -X POST 'http://h/oauth/token' --data-raw "client_id=a%24b&client_secret=$MGMTKIT_CLIENT_SECRET"`,
    ],
    [
      "a value derived from the secret becomes its shell expression",
      {
        method: "POST",
        url: "http://h/oauth/token",
        requestBody: "client_id=a&client_secret=s3cr",
      },
      `curl -sS -i -X POST 'http://h/oauth/token' --data-raw "client_id=a&client_secret=\${MGMTKIT_CLIENT_SECRET%??}"`,
    ],
    [
      "a body without secrets stays single-quoted, quotes escaped",
      { method: "PUT", requestBody: `{"name":"it's"}` },
      `curl -sS -i -X PUT 'http://h/api/connections' --data-raw '{"name":"it'\\''s"}'`,
    ],
  ])("%s", (_name, partial, want) => {
    expect(curlFor(exchange(partial), redactor)).toBe(want);
  });
});

describe("nextLink", () => {
  it.each([
    ['<https://h/api/users?page=1>; rel="next"', "https://h/api/users?page=1"],
    ['<https://h/a?page=0>; rel="prev", <https://h/a?page=2>; rel="next"', "https://h/a?page=2"],
    ["</api/users?page=3>; rel=next", "/api/users?page=3"],
    ['<https://h/a?page=0>; rel="prev"', undefined],
    [undefined, undefined],
  ])("%s", (header, want) => {
    expect(nextLink(header)).toBe(want);
  });
});

describe("the spec model", () => {
  it.each([
    ["GET", "/api/connections/", "listConnections"],
    ["GET", "/api/connections/acme", "getConnection"],
    ["GET", "/api/connections/acme/", "getConnection"],
    ["GET", "/api/connections/acme/users", "listConnectionUsers"],
    ["POST", "/oauth/token", "getAccessToken"],
    ["PATCH", "/api/connections/acme", undefined],
  ])("%s %s is %s", (method, path, want) => {
    expect(findOperation(method, path)?.operationId).toBe(want);
  });

  it("knows documented statuses exactly and by range", () => {
    const op = findOperation("POST", "/api/connections");
    if (!op) throw new Error("createConnection missing");
    expect([200, 201, 409, 503, 422, 302].map((s) => documentedResponseKey(op, s))).toEqual([
      "200",
      "201",
      "409",
      "5XX",
      undefined,
      undefined,
    ]);
  });

  it("narrows connection errors to the strategy's branch", () => {
    const problems = schemaProblems(
      { $ref: "spec#/components/schemas/Connection" },
      {
        id: "con_1",
        client_id: "c",
        name: "n",
        status: 1,
        strategy: "adfs",
        options: {},
        provisioning_ticket: "t",
      },
    );
    expect(problems).toEqual(["body: must have required property 'provisioning_ticket_url'"]);
  });
});
