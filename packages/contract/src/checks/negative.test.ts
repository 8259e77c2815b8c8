import { describe, expect, it } from "vitest";
import {
  errorAnswer,
  type FakeRequest,
  isCreate,
  jsonOf,
  type Script,
  when,
} from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

const echo = (req: FakeRequest) => ({ status: 201, json: { ...jsonOf(req), id: "con_echo" } });
const createWith = (test: (body: Record<string, unknown>) => boolean) => (req: FakeRequest) => {
  const body = isCreate(req) ? jsonOf(req) : undefined;
  return body !== undefined && test(body);
};

describe("negative checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["negative"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it.each<[string, string, Script, RegExp]>([
    [
      "negative.malformed-json",
      "malformed JSON answers 500",
      when(
        (r) =>
          (r.method === "POST" || r.method === "PUT") &&
          r.path.startsWith("/api") &&
          jsonOf(r) === undefined,
        errorAnswer(500, "Unexpected end of JSON input"),
      ),
      /truncated JSON body is refused with a 4xx status/,
    ],
    [
      "negative.missing-fields",
      "a create without strategy is accepted",
      when(
        createWith((b) => !("strategy" in b)),
        echo,
      ),
      /A create without strategy is refused with a 4xx/,
    ],
    [
      "negative.missing-fields",
      "a create without options is accepted with no options",
      when(
        createWith((b) => !("options" in b)),
        echo,
      ),
      /A create without options, when accepted, creates a connection with status 0 or 1 and an options object/,
    ],
    [
      "negative.missing-fields",
      "a create without status answers 500",
      when(
        createWith((b) => !("status" in b)),
        errorAnswer(500, "status is undefined"),
      ),
      /A create without status is refused with a 4xx or creates the connection with a default/,
    ],
    [
      "negative.unknown-strategy",
      "an unknown strategy is accepted",
      when(
        createWith((b) => b.strategy === "mgmtkit-contract-unknown"),
        echo,
      ),
      /strategy "mgmtkit-contract-unknown" is refused/,
    ],
    [
      "negative.wrong-types",
      "a string status answers 500",
      when(
        createWith((b) => typeof b.status === "string"),
        errorAnswer(500, "x"),
      ),
      /status "1" \(a string\) is refused/,
    ],
    [
      "negative.status-out-of-range",
      "status 2 is accepted",
      when(
        createWith((b) => b.status === 2),
        echo,
      ),
      /A create with status 2 is refused/,
    ],
    [
      "negative.unsupported-media-type",
      "text/plain is accepted",
      when(
        (r) => isCreate(r) && String(r.headers["content-type"]).startsWith("text/plain"),
        (r) => ({ status: 201, json: { ...JSON.parse(r.body), id: "con_text" } }),
      ),
      /A create sent as text\/plain is refused with 415/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
