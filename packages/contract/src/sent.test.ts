import { describe, expect, it } from "vitest";
import { type Exchange, recordExchange } from "./exchange.js";
import { Created, SentConnections } from "./sent.js";

describe("SentConnections", () => {
  it.each<
    [
      string,
      { requests: Parameters<SentConnections["register"]>[0][]; name: string; want: unknown[] },
    ]
  >([
    [
      "a create's JSON body, under its name",
      {
        requests: [{ method: "POST", path: "/api/connections", json: { name: "a", options: {} } }],
        name: "a",
        want: [{ name: "a", options: {} }],
      },
    ],
    [
      "a replace's raw body, under the name of its path and of its body, every version kept",
      {
        requests: [
          { method: "POST", path: "/api/connections/", json: { name: "b c", status: 1 } },
          { method: "PUT", path: "/api/connections/b%20c", raw: '{"name":"b c","status":0}' },
        ],
        name: "b c",
        want: [
          { name: "b c", status: 1 },
          { name: "b c", status: 0 },
        ],
      },
    ],
    [
      "nothing of a read, a delete, a body that is no object or no JSON",
      {
        requests: [
          { method: "GET", path: "/api/connections/d" },
          { method: "DELETE", path: "/api/connections/d" },
          { method: "POST", path: "/api/connections", json: [{ name: "d" }] },
          { method: "PUT", path: "/api/connections/d", raw: "{" },
          { method: "POST", path: "/api/connections/d/users", json: { name: "d" } },
        ],
        name: "d",
        want: [],
      },
    ],
  ])("registers %s", (_what, { requests, name, want }) => {
    const sent = new SentConnections();
    for (const request of requests) sent.register(request);
    expect(sent.of(name)).toEqual(want);
  });
});

describe("Created", () => {
  const exchange = (
    method: "POST" | "DELETE",
    path: string,
    status: number | undefined,
    authorization = "bearer run-token",
  ) =>
    recordExchange({
      baseUrl: "http://127.0.0.1:1/base",
      method,
      url: `http://127.0.0.1:1/base${path}`,
      requestHeaders: { Authorization: authorization },
      ...(status !== undefined ? { status } : { transportError: "did not answer" }),
    });

  it.each<[string, { steps: Array<[string | undefined, Exchange]>; want: string[] }]>([
    [
      "a create that succeeded, or whose answer never came, and not one refused",
      {
        steps: [
          ["a", exchange("POST", "/api/connections", 201)],
          ["b", exchange("POST", "/api/connections", undefined)],
          ["c", exchange("POST", "/api/connections", 400)],
        ],
        want: ["a", "b"],
      },
    ],
    [
      "a create deleted with the run's token (200 or 404), not with another token or a 500",
      {
        steps: [
          ["a b", exchange("POST", "/api/connections", 201)],
          ["c", exchange("POST", "/api/connections", 201)],
          ["d", exchange("POST", "/api/connections", 201)],
          [undefined, exchange("DELETE", "/api/connections/a%20b", 200)],
          [undefined, exchange("DELETE", "/api/connections/c", 404, "bearer other")],
          [undefined, exchange("DELETE", "/api/connections/d", 500)],
        ],
        want: ["c", "d"],
      },
    ],
  ])("keeps %s", (_what, { steps, want }) => {
    const created = new Created();
    for (const [creates, answered] of steps) created.settle(creates, answered, "run-token");
    expect(created.pending).toEqual(want);
  });
});
