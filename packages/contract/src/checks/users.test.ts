import { describe, expect, it } from "vitest";
import { type FakeRequest, rewrite, type Script } from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

type Json = Record<string, unknown>;
const get = (path: string | RegExp) => (req: FakeRequest, res: { status: number }) =>
  req.method === "GET" &&
  res.status === 200 &&
  (typeof path === "string" ? req.path === path : path.test(req.path));
const connectionUsers = /^\/api\/connections\/[^/]+\/users$/;

describe("users checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["users"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it("pass by a connection of another run that vanishes between the list and its users", async () => {
    const gone = {
      id: "con_gone",
      client_id: "c",
      name: "mgmtkit-contract-ffffff-gone",
      status: 1,
      strategy: "google-oauth2",
      options: {},
    };
    // The list shows a connection that no longer exists: its users and itself answer 404.
    const { report } = await judge(
      ["users"],
      rewrite(get("/api/connections"), (json) => [gone, ...(json as Json[])]),
    );
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
  });

  it.each<[string, string, Script, RegExp]>([
    [
      "users.connection-strategy",
      "a listed connection that still exists answers 404 for its users",
      {
        response: (r) =>
          r.method === "GET" && r.path === "/api/connections/fabrikam-google/users"
            ? { status: 404, json: { message: "no such connection" } }
            : undefined,
      },
      /answers 200/,
    ],
    [
      "users.list",
      "the list is wrapped in an object",
      rewrite(get("/api/users"), (json) => ({ users: json })),
      /GET \/api\/users is a JSON array of user objects/,
    ],
    [
      "users.list",
      "a user has a number for user_id",
      rewrite(get("/api/users"), (json) => [...(json as Json[]), { user_id: 7 }]),
      /response\.schema: .*\[5\] must have required property/,
    ],
    [
      "users.connection-strategy",
      "a connection lists a user of another strategy",
      rewrite(get(connectionUsers), (json) =>
        (json as Json[]).map((u) => ({ ...u, user_id: `office365|${u.user_id}` })),
      ),
      /has a user_id starting with/,
    ],
    [
      "users.social-only",
      "the social list holds an Office 365 user",
      rewrite(get("/api/socialconnections/users"), (json) => [
        ...(json as Json[]),
        { user_id: "office365|intruder@fabrikam.example" },
      ]),
      /no user of a google-apps or office365 connection/,
    ],
    [
      "users.social-only",
      "the social list holds the users of a disabled connection",
      {
        // The seeded google-oauth2 connection shows as disabled; its users stay in the social list.
        response: (r, res) =>
          r.method === "GET" && r.path === "/api/connections" && res.status === 200
            ? {
                ...res,
                json: (res.json as Json[]).map((c) =>
                  c.name === "fabrikam-google" ? { ...c, status: 0 } : c,
                ),
              }
            : undefined,
      },
      /only users of enabled \(status 1\) connections/,
    ],
    [
      "users.social-split",
      "the social list holds an ADFS user",
      rewrite(get("/api/socialconnections/users"), (json) => [
        ...(json as Json[]),
        { user_id: "adfs|intruder@fabrikam.example" },
      ]),
      /no user of adfs, google-apps or office365/,
    ],
    [
      "users.social-split",
      "the social list leaves a user out",
      rewrite(get("/api/socialconnections/users"), (json) => (json as Json[]).slice(1)),
      /holds every user of an enabled google-oauth2 or windowslive connection/,
    ],
    [
      "users.unknown-connection",
      "an unknown connection lists users",
      {
        response: (r, res) =>
          connectionUsers.test(r.path) && res.status === 404
            ? { status: 200, json: [{ user_id: "adfs|ghost@fabrikam.example" }] }
            : undefined,
      },
      /answer 404 or an empty list/,
    ],
    [
      "users.unknown-connection-404",
      "an unknown connection lists no users",
      {
        response: (r, res) =>
          connectionUsers.test(r.path) && res.status === 404
            ? { status: 200, json: [] }
            : undefined,
      },
      /The users of a connection that does not exist answer 404/,
    ],
    [
      "users.pagination",
      "the next page loops back",
      {
        response: (r, res) =>
          r.query.has("per_page") && res.status === 200
            ? { ...res, headers: { link: `<${r.path}?per_page=2>; rel="next"` } }
            : undefined,
      },
      /ends at a last page without one/,
    ],
    [
      "users.pagination",
      "the pages skip a user",
      {
        response: (r, res) =>
          r.query.has("per_page") && r.query.get("page") === "1" && res.status === 200
            ? { ...res, json: [] }
            : undefined,
      },
      /hold every user of the list exactly once/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
