import { describe, expect, it } from "vitest";
import {
  type FakeRequest,
  isCreate,
  isCreated,
  isOne,
  jsonOf,
  rewrite,
  type Script,
  when,
} from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

type Json = Record<string, unknown>;
const without = (json: unknown, key: string) => {
  const { [key]: _, ...rest } = json as Json;
  return rest;
};

describe("lifecycle checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["lifecycle"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  // Each break is judged on the strategy it concerns; every lifecycle check runs the same steps.
  it.each<[string, string, Script, RegExp]>([
    [
      "lifecycle.adfs",
      "the create answer drops provisioning_ticket_url",
      rewrite(isCreated, (json) => without(json, "provisioning_ticket_url")),
      /carries provisioning_ticket and a provisioning_ticket_url/,
    ],
    [
      "lifecycle.google-oauth2",
      "the create answer forgets the options",
      rewrite(isCreated, (json) => ({ ...(json as Json), options: {} })),
      /answers the name, status, strategy and options it was given/,
    ],
    [
      "lifecycle.windowslive",
      "the create answer has no id",
      rewrite(isCreated, (json) => without(json, "id")),
      /with the server-assigned id/,
    ],
    [
      "lifecycle.office365",
      "the list leaves the new connection out",
      rewrite(
        (r) => r.method === "GET" && r.path === "/api/connections",
        () => [],
      ),
      /lists the connection just created/,
    ],
    [
      "lifecycle.google-apps",
      "a duplicate name is accepted",
      {
        request: (() => {
          const seen = new Set<unknown>();
          return (req: FakeRequest) => {
            const name = isCreate(req) ? jsonOf(req)?.name : undefined;
            if (name === undefined) return undefined;
            if (seen.has(name)) return { status: 201, json: { ...jsonOf(req), id: "con_dup" } };
            seen.add(name);
            return undefined;
          };
        })(),
      },
      /A second create with the same name is refused/,
    ],
    [
      "lifecycle.adfs",
      "a partial PUT is accepted",
      when(
        (r) => r.method === "PUT" && !("options" in (jsonOf(r) ?? {})),
        (r) => ({ status: 200, json: jsonOf(r) }),
      ),
      /A PUT carrying only the changed field is refused with a 4xx/,
    ],
    [
      "lifecycle.google-apps",
      "a full PUT is not stored",
      when(
        (r) => r.method === "PUT" && "options" in (jsonOf(r) ?? {}),
        (r) => ({ status: 200, json: jsonOf(r) }),
      ),
      /A full PUT persists/,
    ],
    [
      "lifecycle.new-connection-users",
      "a user of another strategy is listed",
      rewrite(
        (r) => r.method === "GET" && r.path.endsWith("/users") && r.path !== "/api/users",
        () => [{ user_id: "adfs|intruder@fabrikam.example" }],
      ),
      /whose user_ids start with "google-apps\|"/,
    ],
    [
      "lifecycle.windowslive",
      "delete answers the name",
      rewrite(
        (r, res) => r.method === "DELETE" && res.status === 200,
        (_json, r) => ({ removed: decodeURIComponent(r.path.split("/").pop() ?? "") }),
      ),
      /DELETE answers the confirmation object/,
    ],
    [
      "lifecycle.adfs",
      "delete keeps the connection",
      (() => {
        // Answers a delete as if it happened, with the right id, and keeps the connection.
        const ids = new Map<string, unknown>();
        return {
          request: (r: FakeRequest) =>
            r.method === "DELETE" && isOne(r)
              ? { status: 200, json: { removed: ids.get(r.path.split("/").pop() ?? "") } }
              : undefined,
          response: (r: FakeRequest, res: { status: number; json?: unknown }) => {
            if (isCreated(r, res))
              ids.set(encodeURIComponent(String(jsonOf(r)?.name)), (res.json as Json).id);
            return undefined;
          },
        };
      })(),
      /After a DELETE the connection is gone/,
    ],
    [
      "lifecycle.adfs",
      "GET shows another id than the create answered",
      rewrite(
        (r, res) => r.method === "GET" && isOne(r) && res.status === 200,
        (json) => ({ ...(json as Json), id: "con_other" }),
      ),
      /id is "con_other", not the created/,
    ],
    [
      "lifecycle.office365",
      "a full PUT answers 202",
      {
        response: (r, res) =>
          r.method === "PUT" && res.status === 200 ? { ...res, status: 202 } : undefined,
      },
      /A PUT with every field succeeds with 200/,
    ],
    [
      "lifecycle.windowslive",
      "a deleted name answers 200",
      (() => {
        const deleted = new Set<string>();
        return {
          response: (r: FakeRequest, res: { status: number; json?: unknown }) => {
            if (r.method === "DELETE" && res.status === 200) deleted.add(r.path);
            return r.method === "GET" && deleted.has(r.path)
              ? { status: 200, json: { name: "ghost" } }
              : undefined;
          },
        };
      })(),
      /GET answers 404 or 410/,
    ],
    [
      "lifecycle.spec-statuses",
      "a duplicate answers 400",
      {
        response: (r, res) =>
          isCreate(r) && res.status === 409 ? { ...res, status: 400 } : undefined,
      },
      /A second create with the same name answers 409/,
    ],
    [
      "lifecycle.spec-statuses",
      "a deleted name answers 410",
      (() => {
        const deleted = new Set<string>();
        return {
          response: (r: FakeRequest, res: { status: number; json?: unknown }) => {
            if (r.method === "DELETE" && res.status === 200) deleted.add(r.path);
            return r.method === "GET" && deleted.has(r.path) ? { ...res, status: 410 } : undefined;
          },
        };
      })(),
      /GET of a connection after its DELETE answers 404/,
    ],
    [
      "lifecycle.put-answer",
      "a PUT answers 204",
      {
        response: (r, res) =>
          r.method === "PUT" && res.status === 200 ? { status: 204, raw: "" } : undefined,
      },
      /A full PUT answers 200/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
