import { describe, expect, it } from "vitest";
import {
  errorAnswer,
  isCreate,
  isCreated,
  jsonOf,
  rewrite,
  type Script,
  when,
} from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

type Json = Record<string, unknown>;

describe("connections checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["connections"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it.each<[string, string, Script, RegExp]>([
    [
      "connections.unknown-name",
      "a PUT of an unknown name answers 200",
      {
        response: (r, res) =>
          r.method === "PUT" && res.status === 404 ? { status: 200, json: jsonOf(r) } : undefined,
      },
      /PUT \/api\/connections\/\{name\} of a name no connection has answers 404/,
    ],
    [
      "connections.put-name-mismatch",
      "a PUT renames",
      when(
        (r) =>
          r.method === "PUT" &&
          jsonOf(r)?.name !== decodeURIComponent(r.path.split("/").pop() ?? ""),
        (r) => ({ status: 200, json: jsonOf(r) }),
      ),
      /A PUT with a different name in the body answers 400/,
    ],
    [
      "connections.server-fields-ignored",
      "the id sent on create is kept",
      rewrite(
        (r, res) => isCreated(r, res) && jsonOf(r)?.id !== undefined,
        (json, r) => ({ ...(json as Json), id: jsonOf(r)?.id }),
      ),
      /The server assigns id and the provisioning fields itself/,
    ],
    [
      "connections.client-id",
      "client_id is not the token's client",
      rewrite(isCreated, (json) => ({ ...(json as Json), client_id: "someone-else" })),
      /client_id is the client the token was issued to/,
    ],
    [
      "connections.client-id",
      "a foreign client_id is stored as sent",
      rewrite(
        (r, res) => isCreated(r, res) && jsonOf(r)?.client_id !== undefined,
        (json, r) => ({ ...(json as Json), client_id: jsonOf(r)?.client_id }),
      ),
      /stores the token's client, never the one sent/,
    ],
    [
      "connections.odd-inputs",
      "a non-ASCII name answers 500",
      when(
        (r) => isCreate(r) && /[^\x20-\x7e]/.test(String(jsonOf(r)?.name)),
        errorAnswer(500, "invalid byte sequence"),
      ),
      /response\.server-error: .*|A create with a non-ASCII name is accepted or refused/,
    ],
    [
      "connections.odd-inputs",
      "deep options answer 500",
      when(
        (r) => isCreate(r) && r.body.includes('{"nested":{"nested"'),
        errorAnswer(500, "Maximum call stack size exceeded"),
      ),
      /A create with options 200 levels deep is accepted or refused with a 4xx, never a 5xx/,
    ],
    [
      "connections.client-secret-shown",
      "the client secret is masked",
      rewrite(
        (r, res) =>
          res.status < 300 &&
          (isCreate(r) || (r.method === "GET" && /^\/api\/connections\/[^/]+$/.test(r.path))),
        (json) => ({
          ...(json as Json),
          options: { ...((json as Json).options as Json), client_secret: "****" },
        }),
      ),
      /options\.client_secret, where shown, is the one sent/,
    ],
    [
      "connections.put-strategy-fixed",
      "a PUT claims to change the strategy",
      {
        response: (r, res) =>
          r.method === "PUT" && res.status === 400
            ? { status: 200, json: { ...jsonOf(r), id: "con_changed" } }
            : undefined,
      },
      /A PUT that changes the strategy answers 400/,
    ],
    [
      "connections.put-round-trip",
      "a PUT with the id is refused",
      when((r) => r.method === "PUT" && jsonOf(r)?.id !== undefined, errorAnswer(400, "read-only")),
      /A PUT of the GET body \(status changed\) answers 200/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
