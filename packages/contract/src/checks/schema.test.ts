import { describe, expect, it } from "vitest";
import { type FakeRequest, isCreate, rewrite, type Script } from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

type Json = Record<string, unknown>;
const on =
  (method: string, path: string | RegExp, status = 200) =>
  (req: FakeRequest, res: { status: number }) =>
    req.method === method &&
    res.status === status &&
    (typeof path === "string" ? req.path === path : path.test(req.path));
const one = /^\/api\/connections\/[^/]+$/;
const users = /^\/api\/connections\/[^/]+\/users$/;
const eachUser = (edit: (user: Json) => Json) => (json: unknown) => (json as Json[]).map(edit);

describe("schema checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["schema"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(11);
  });

  // A late check judges the answers other checks caused; `with` names the checks that cause them.
  it.each<[string, string, Script, RegExp, string[]?]>([
    [
      "schema.get-access-token",
      "a token error has no error field",
      rewrite(on("POST", "/oauth/token", 401), () => ({ message: "no" })),
      /must have required property 'error'/,
      ["token.wrong-secret"],
    ],
    [
      "schema.list-connections",
      "the list drops ids",
      rewrite(on("GET", "/api/connections"), (json) =>
        (json as Json[]).map(({ id: _, ...rest }) => rest),
      ),
      /must have required property 'id'/,
    ],
    [
      "schema.create-connection",
      "a created id is a number",
      rewrite(
        (r, res) => isCreate(r) && res.status === 201,
        (json) => ({ ...(json as Json), id: 7 }),
      ),
      /id: must be string/,
    ],
    [
      "schema.get-connection",
      "a 404 has no error body",
      rewrite(on("GET", one, 404), () => ({ message: "not here" })),
      /must have required property 'statusCode'/,
      ["connections.unknown-name"],
    ],
    [
      "schema.update-connection",
      "status comes back as a string",
      rewrite(on("PUT", one), (json) => ({ ...(json as Json), status: "1" })),
      /status: must be integer/,
    ],
    [
      "schema.delete-connection",
      "removed is empty",
      rewrite(on("DELETE", one), () => ({ removed: "" })),
      /removed: must NOT have fewer than 1 characters/,
    ],
    [
      "schema.list-users",
      "user_id has no strategy",
      rewrite(
        on("GET", "/api/users"),
        eachUser((u) => ({ ...u, user_id: "john" })),
      ),
      /user_id: must match pattern/,
    ],
    [
      "schema.list-connection-users",
      "lastLogin is not a date",
      rewrite(
        on("GET", users),
        eachUser((u) => ({ ...u, lastLogin: "yesterday" })),
      ),
      /lastLogin: must match format "date-time"/,
      ["users.connection-strategy"],
    ],
    [
      "schema.list-social-connection-users",
      "loginsCount is negative",
      rewrite(
        on("GET", "/api/socialconnections/users"),
        eachUser((u) => ({ ...u, loginsCount: -1 })),
      ),
      /loginsCount: must be >= 0/,
    ],
    [
      "schema.documented-status",
      "the user list answers 203",
      {
        response: (r, res) =>
          r.path === "/api/users" && res.status === 200 ? { ...res, status: 203 } : undefined,
      },
      /answers only the statuses the spec documents/,
    ],
    [
      "schema.json-content-type",
      "a 401 is HTML",
      {
        response: (_r, res) =>
          res.status === 401
            ? { status: 401, raw: "<html>401</html>", headers: { "content-type": "text/html" } }
            : undefined,
      },
      /Content-Type text\/html/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement, others = []) => {
    const { result } = await judge([...others, id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
