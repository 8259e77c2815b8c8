import { describe, expect, it } from "vitest";
import { isCreated, jsonOf, rewrite } from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

type Json = Record<string, unknown>;

describe("generated checks", () => {
  it("see what a create answer drops even when the create left status to the server", async () => {
    // A server that sets its own status on a create without one, and keeps no options.
    const script = rewrite(
      (req, res) => isCreated(req, res) && (jsonOf(req) as Json | undefined)?.status === undefined,
      (json) => ({ ...(json as Json), status: 0, options: {} }),
    );
    const { result } = await judge(["generated.create-connection"], script);
    expect(outcome(result("generated.create-connection")).join("\n")).toMatch(
      /answers the connection as sent[\s\S]*options\.\S+ is missing/,
    );
  });
});
