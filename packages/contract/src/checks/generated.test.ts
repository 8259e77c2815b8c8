import { describe, expect, it } from "vitest";
import { errorAnswer, type FakeRequest, isCreate, jsonOf } from "../../test/harness/fake-api.js";
import { judge } from "../../test/harness/judge.js";

describe("generated checks", () => {
  it("report a create whose answer never came as that, not as the 409 its second sending met", async () => {
    // Every generated create is made, but its answer stops short of its Content-Length, so the
    // suite waits in vain; the same name sent again meets the connection made the first time.
    const made = new Set<string>();
    const nameOf = (req: FakeRequest) => {
      const body = isCreate(req) ? jsonOf(req) : undefined;
      return typeof body?.name === "string" && body.name.includes("-g") ? body.name : undefined;
    };
    const { result } = await judge(
      ["generated.create-connection"],
      {
        request(req) {
          const name = nameOf(req);
          if (name === undefined || !made.has(name)) return undefined;
          return errorAnswer(409, "exists");
        },
        response(req, res) {
          const name = nameOf(req);
          if (name === undefined || res.status !== 201) return undefined;
          made.add(name);
          return { status: 201, raw: "{", headers: { "content-length": "100" } };
        },
      },
      { timeoutMs: 300 },
    );
    const failures = result("generated.create-connection").failures;
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.observed).not.toMatch(/409/);
      expect(failure.requirement).toMatch(/within the deadline/);
    }
  });
});
