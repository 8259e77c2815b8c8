import { describe, expect, it } from "vitest";
import { errorAnswer, isToken, rewrite, type Script, when } from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

const form = (body: string) => new URLSearchParams(body);

describe("token checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["token"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it.each<[string, string, Script, RegExp]>([
    [
      "token.form",
      "the documented token request answers 500",
      when((r) => isToken(r) && form(r.body).get("type") === "web_server", errorAnswer(500, "x")),
      /The token request of "A token is obtained using the POST method" \(API endpoint\) succeeds with 200/,
    ],
    [
      "token.form-without-type",
      "type=web_server is required",
      when((r) => isToken(r) && !form(r.body).has("type"), {
        status: 400,
        json: { error: "invalid_request" },
      }),
      /without type=web_server succeeds with 200/,
    ],
    [
      "token.response-shape",
      "token_type is missing",
      rewrite(
        (r, res) => isToken(r) && res.status === 200,
        (json) => ({ ...(json as object), token_type: undefined }),
      ),
      /token_type is "bearer"/,
    ],
    [
      "token.wrong-secret",
      "a wrong secret answers 403",
      when(
        (r) => isToken(r) && form(r.body).get("client_secret") === "mgmtkit-contract-wrong-secret",
        {
          status: 403,
          json: { error: "invalid_client" },
        },
      ),
      /wrong client_secret is refused with 400 or 401/,
    ],
    [
      "token.wrong-secret",
      "any secret is accepted",
      when((r) => isToken(r) && form(r.body).get("client_secret") !== "fake-client-secret", {
        status: 200,
        json: { access_token: "anything", token_type: "bearer" },
      }),
      /wrong client_secret is refused with 400 or 401/,
    ],
    [
      "token.unknown-client",
      "an unknown client answers 500",
      when(
        (r) => isToken(r) && form(r.body).get("client_id") !== "fake-client",
        errorAnswer(500, "x"),
      ),
      /unknown client_id is refused with 400 or 401/,
    ],
    [
      "token.unsupported-grant",
      "the password grant is accepted",
      when((r) => isToken(r) && form(r.body).get("grant_type") === "password", {
        status: 200,
        json: { access_token: "anything", token_type: "bearer" },
      }),
      /grant_type=password is refused/,
    ],
    [
      "token.credential-parts",
      "a secret is compared without its last character",
      when(
        (r) =>
          isToken(r) &&
          form(r.body).get("client_id") === "fake-client" &&
          (form(r.body).get("client_secret") ?? "").startsWith("fake-client-secre"),
        { status: 200, json: { access_token: "anything", token_type: "bearer" } },
      ),
      /with the secret's last character changed is refused/,
    ],
    [
      "token.credential-parts",
      "an empty secret answers 500",
      when((r) => isToken(r) && form(r.body).get("client_secret") === "", errorAnswer(500, "x")),
      /with an empty secret is refused/,
    ],
    [
      "token.spec-errors",
      "a wrong secret answers 400",
      {
        response: (r, res) =>
          isToken(r) && res.status === 401 ? { ...res, status: 400 } : undefined,
      },
      /A wrong client_secret answers 401 invalid_client/,
    ],
    [
      "token.json-body",
      "a JSON body is refused",
      when((r) => isToken(r) && String(r.headers["content-type"]).includes("json"), {
        status: 415,
        json: { error: "invalid_request" },
      }),
      /A JSON token request succeeds with 200/,
    ],
    [
      "token.missing-parameter",
      "a missing secret answers 401",
      when((r) => isToken(r) && !r.body.includes("client_secret"), {
        status: 401,
        json: { error: "invalid_client" },
      }),
      /without client_secret is refused with 400/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
