import { describe, expect, it } from "vitest";
import { SentConnections } from "./run-state.js";

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
