import { describe, expect, it } from "vitest";
import { fingerprint, normalizeShape, operationOfRequest } from "./fingerprint.js";

describe("normalizeShape", () => {
  it.each<[string, { given: string; want: string }]>([
    [
      "a name the run created",
      {
        given: "GET /api/connections/mgmtkit-contract-3fa9c1-adfs-4 answers 200.",
        want: "GET /api/connections/<name> answers 200.",
      },
    ],
    [
      "an origin with a free port",
      {
        given: "The next page is http://127.0.0.1:43121/api/users?page=1.",
        want: "The next page is /api/users?page=1.",
      },
    ],
    [
      "a timestamp",
      { given: "issued at 2026-05-01T10:00:00.123Z, expired", want: "issued at <time>, expired" },
    ],
    ["a quoted value", { given: 'name is "fabrikam-7" not "x"', want: 'name is "…" not "…"' }],
    ["a seed or an id", { given: "seed 1834209931 case 12", want: "seed <n> case 12" }],
    [
      "a token",
      { given: "token 3cb2a4a7e0d94b5c8f1e6a9d2b7c0f4e refused", want: "token <token> refused" },
    ],
    ["array positions", { given: "[3].name must be string", want: "[].name must be string" }],
    [
      "what stays: statuses, counts, property names",
      {
        given: "createConnection 201 options must have required property 'domain' (1 of 57)",
        want: "createConnection 201 options must have required property 'domain' (1 of 57)",
      },
    ],
  ])("leaves out %s", (_name, { given, want }) => {
    expect(normalizeShape(given)).toBe(want);
  });
});

describe("fingerprint", () => {
  const parts = {
    checkId: "lifecycle.adfs",
    type: "check",
    operation: "getConnection",
    shape: "GET /api/connections/mgmtkit-contract-aaaaaa-adfs-1 answers 200.",
  };

  it("is twelve hex digits, the same for the same failure in another run", () => {
    const first = fingerprint(parts);
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(
      fingerprint({
        ...parts,
        shape: "GET /api/connections/mgmtkit-contract-bbbbbb-adfs-7 answers 200.",
      }),
    ).toBe(first);
  });

  it.each<[string, Partial<typeof parts>]>([
    ["check", { checkId: "lifecycle.office365" }],
    ["type", { type: "response.schema" }],
    ["operation", { operation: "listConnections" }],
    ["shape", { shape: "GET /api/connections/{name} answers 404 or 410." }],
  ])("changes with the %s", (_what, change) => {
    expect(fingerprint({ ...parts, ...change })).not.toBe(fingerprint(parts));
  });
});

describe("operationOfRequest", () => {
  it.each<[string | undefined, string, string | undefined]>([
    ["GET http://127.0.0.1:9/api/connections/acme", "http://127.0.0.1:9", "getConnection"],
    ["POST http://h/base/oauth/token", "http://h/base", "getAccessToken"],
    ["PATCH http://h/api/connections", "http://h", undefined],
    [undefined, "http://h", undefined],
    ["nonsense", "http://h", undefined],
  ])("%s under %s is %s", (request, baseUrl, want) => {
    expect(operationOfRequest(request, baseUrl)).toBe(want);
  });
});
