import { describe, expect, it } from "vitest";
import { rootCauses, withCauses } from "./causes.js";
import type { CheckResult, Failure, FailureAnswer } from "./types.js";

const create: FailureAnswer = {
  method: "POST",
  path: "/api/connections",
  operationId: "createConnection",
  status: 500,
};
const list: FailureAnswer = {
  method: "GET",
  path: "/api/connections",
  operationId: "listConnections",
  status: 200,
};

function failure(type: string, answer?: FailureAnswer, extra: Partial<Failure> = {}): Failure {
  return {
    checkId: "",
    type,
    requirement: "r",
    observed: "o",
    ...(answer
      ? { answer, request: `${answer.method} http://h${answer.path}`, curl: "curl …" }
      : {}),
    ...extra,
  };
}

function check(id: string, ...failures: Failure[]): CheckResult {
  return {
    id,
    profile: "core",
    title: id,
    requirement: "",
    source: "",
    status: failures.length ? "failed" : "passed",
    durationMs: 0,
    requests: 1,
    failures: failures.map((f) => ({ ...f, checkId: id })),
  };
}

describe("rootCauses", () => {
  it("names one failing route once, whichever rule each check applied", () => {
    const checks = [
      check("lifecycle.create", failure("check", create), failure("response.server-error", create)),
      check("connections.liberal-create", failure("check", create)),
      check("generated.create-connection", failure("response.server-error", create)),
      check("users.list", failure("check", { ...list, status: 200 })),
    ];
    const [first, ...rest] = rootCauses(checks);
    expect(first).toMatchObject({
      summary: "POST /api/connections answers 500 (a server error)",
      kind: "server-error",
      checks: ["lifecycle.create", "connections.liberal-create", "generated.create-connection"],
      failures: 4,
      request: "POST http://h/api/connections",
      curl: "curl …",
    });
    // A single failure explains nothing beyond itself.
    expect(rest).toEqual([]);
  });

  it("groups one validator's rule on one operation, apart from other operations", () => {
    const checks = [
      check("a", failure("response.schema", list)),
      check(
        "b",
        failure("response.schema", list),
        failure("response.schema", { ...create, status: 201 }),
      ),
      check("c", failure("response.schema", { ...create, status: 201 })),
      check("d", failure("response.schema", { ...create, status: 201 })),
    ];
    expect(rootCauses(checks).map((c) => [c.summary, c.checks])).toEqual([
      ["POST /api/connections breaks response.schema", ["b", "c", "d"]],
      ["GET /api/connections breaks response.schema", ["a", "b"]],
    ]);
  });

  it("leaves out known failures and failures no answer showed, and keeps at most the limit", () => {
    const known = failure("check", create, { known: true });
    const checks = [
      check("a", known, failure("check")),
      check("b", known, failure("check")),
      ...Array.from({ length: 7 }, (_, i) =>
        check(`x${i}`, failure("check", { ...list, path: `/p${i}`, status: 404 })),
      ).flatMap((c) => [c, { ...c, id: `${c.id}-again` }]),
    ];
    const causes = rootCauses(checks, 3);
    expect(causes).toHaveLength(3);
    expect(causes.every((c) => c.kind === "status" && c.failures === 2)).toBe(true);
    expect(causes[0]?.summary).toBe("GET /p0 answers 404 where checks expected otherwise");
  });

  it("adds causes to a report, and drops stale ones when nothing explains two failures", () => {
    const failing = {
      checks: [check("a", failure("check", create)), check("b", failure("check", create))],
    };
    expect(withCauses(failing).causes?.map((c) => c.checks)).toEqual([["a", "b"]]);
    const passing = { checks: [check("a")], causes: withCauses(failing).causes };
    expect(withCauses(passing)).not.toHaveProperty("causes");
  });
});
