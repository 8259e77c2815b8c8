import {
  openSqliteStore,
  type RunningServer,
  type Store,
  startServer,
} from "@mgmtkit/reference-server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { call, connectionBodies, expectConformant, getToken } from "./helpers.js";

// A store whose writes and list fail the way a broken disk would, to see what clients get.
const inner = openSqliteStore(":memory:");
const failing: Store = {
  ...inner,
  listConnections: async () => {
    throw new Error("disk failure near /var/lib/secret-path");
  },
  insertConnection: async () => {
    throw new Error("SQLITE_IOERR: disk I/O error");
  },
};

let server: RunningServer;
let token: string;
const reported: string[] = [];
beforeAll(async () => {
  server = await startServer({ store: failing, clientId: "c", clientSecret: "fault-secret" });
  token = await getToken(server.url, "c", "fault-secret");
});
afterAll(() => server.close());

it.each([
  ["GET", "/api/connections", undefined, "get"],
  ["POST", "/api/connections", connectionBodies.adfs, "post"],
] as const)(
  "answers a store failure on %s %s with a bare JSON 500 and reports it on stderr",
  async (method, path, json, op) => {
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      reported.push(String(chunk));
      return true;
    });
    try {
      const res = await call(server.url, method, path, { token, ...(json ? { json } : {}) });
      expect(res.status).toBe(500);
      expectConformant(res, "/api/connections", op);
      expect(res.body).toEqual({
        statusCode: 500,
        code: "MGMT_ERR_INTERNAL",
        error: "Internal Server Error",
        message: "The server could not complete the request.",
      });
      expect(res.text).not.toMatch(/disk|SQLITE|secret|\.js:\d+/);
    } finally {
      spy.mockRestore();
    }
    expect(reported.at(-1)).toMatch(
      new RegExp(`^mgmtkit-server: ${method} /api/connections failed: `),
    );
    expect(reported.join("")).not.toContain(token);
    expect(reported.join("")).not.toContain("fault-secret");
    // The server still answers.
    expect((await call(server.url, "GET", "/api/users", { token })).status).toBe(200);
  },
);
