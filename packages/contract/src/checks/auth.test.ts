import { describe, expect, it } from "vitest";
import { type FakeRequest, type Script, when } from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

const api = (req: FakeRequest) => req.path.startsWith("/api");
const accepted = { status: 200, json: [] };

describe("auth checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["auth"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it.each<[string, string, Script, RegExp]>([
    [
      "auth.missing-token",
      "a request without a token is served",
      when((r) => api(r) && !r.headers.authorization && !r.query.has("access_token"), accepted),
      /without a token is refused with 401/,
    ],
    [
      "auth.garbage-token",
      "an unknown token is served",
      when(
        (r) =>
          api(r) &&
          (String(r.headers.authorization).includes("not-a-token") ||
            String(r.query.get("access_token")).includes("not-a-token")),
        accepted,
      ),
      /with an unknown token in the Authorization header is refused/,
    ],
    [
      "auth.bearer-lowercase",
      "the lower-case scheme is refused",
      when((r) => String(r.headers.authorization).startsWith("bearer "), {
        status: 401,
        json: { statusCode: 401, error: "Unauthorized", message: "Use Bearer." },
      }),
      // The run's own requests use the lower-case scheme: the check's first create already fails.
      /Creating a valid google-oauth2 connection succeeds/,
    ],
    [
      "auth.bearer-capitalized",
      "the capitalized scheme is refused",
      when((r) => String(r.headers.authorization).startsWith("Bearer "), {
        status: 401,
        json: { statusCode: 401, error: "Unauthorized", message: "Use bearer." },
      }),
      /as `Authorization: Bearer …` is accepted/,
    ],
    [
      "auth.query-token",
      "the query token is ignored",
      when((r) => api(r) && r.query.has("access_token"), {
        status: 401,
        json: { statusCode: 401, error: "Unauthorized", message: "Header only." },
      }),
      /in the access_token query parameter is accepted/,
    ],
    [
      "auth.token-variants",
      "a token is compared by prefix",
      when(
        (r) => api(r) && /^bearer fake-token-\d+\S+$/.test(String(r.headers.authorization)),
        accepted,
      ),
      /with the access token with a character added answers 401/,
    ],
    [
      "auth.other-header",
      "X-Access-Token is accepted",
      when((r) => api(r) && r.headers["x-access-token"] !== undefined, accepted),
      /only in X-Access-Token answers 401/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
