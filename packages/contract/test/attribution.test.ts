import { describe, expect, it } from "vitest";
import { responseValidators } from "../src/validators.js";
import { rewrite } from "./harness/fake-api.js";
import { judge } from "./harness/judge.js";

type Json = Record<string, unknown>;
const listWithStringStatus = rewrite(
  (req, res) => req.method === "GET" && req.path === "/api/connections" && res.status === 200,
  (json) =>
    (json as Json[]).map((connection) => ({ ...connection, status: String(connection.status) })),
);

describe("a response validator's finding", () => {
  it("is reported under the check that sent the request, with its curl reproduction", async () => {
    const { result } = await judge(["token.response-shape"], listWithStringStatus);
    const check = result("token.response-shape");
    expect(check.status).toBe("failed");
    expect(check.failures).toHaveLength(1);
    expect(check.failures[0]).toMatchObject({
      checkId: "token.response-shape",
      type: "response.schema",
      requirement: expect.stringMatching(/GET \/api\/connections answering 200/),
      observed: expect.stringMatching(/\[0\]\.status must be integer/),
      request: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/connections$/),
      curl: expect.stringMatching(
        /^curl -sS -i '.*\/api\/connections' -H "Authorization: bearer \$MGMTKIT_TOKEN"$/,
      ),
    });
  });

  it("is counted, not repeated, when more answers break the rule the same way", async () => {
    const { result } = await judge(
      ["users.pagination"],
      rewrite(
        (req, res) => req.path === "/api/users" && res.status === 200,
        (json) => (json as Json[]).map((user) => ({ ...user, loginsCount: -1 })),
      ),
    );
    const schema = result("users.pagination").failures.filter((f) => f.type === "response.schema");
    expect(schema.map((f) => f.observed)).toEqual([
      expect.stringMatching(
        /loginsCount must be >= 0.* \(3 more answers broke the rule the same way\.\)$/,
      ),
    ]);
  });

  it("is not reported when the validator is left out", async () => {
    const { result } = await judge(["token.response-shape"], listWithStringStatus, {
      validators: responseValidators.filter((v) => v.id !== "response.schema"),
    });
    expect(result("token.response-shape").status).toBe("passed");
  });

  it("on the run's own token request is reported under the check that judges it", async () => {
    const { report, result } = await judge(
      ["auth.missing-token"],
      rewrite(
        (req) => req.path === "/oauth/token",
        (json) => ({ ...(json as Json), token_type: 7 }),
      ),
    );
    expect(report.checks.map((c) => c.id)).toEqual(["token.form", "auth.missing-token"]);
    expect(result("token.form").failures.map((f) => f.type)).toEqual(["response.schema"]);
  });
});
