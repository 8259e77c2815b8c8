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
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
