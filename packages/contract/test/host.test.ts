import http from "node:http";
import { expect, it } from "vitest";
import { runSuite } from "../src/index.js";
import { startFakeApi } from "./harness/fake-api.js";

it("running the suite leaves the host process as it was: no listeners, no pooled sockets", async () => {
  const events = ["SIGINT", "SIGTERM", "exit", "uncaughtException", "unhandledRejection"] as const;
  const listeners = () => events.map((event) => process.listenerCount(event));
  const pooled = () =>
    Object.keys(http.globalAgent.sockets).length + Object.keys(http.globalAgent.freeSockets).length;
  const before = { listeners: listeners(), pooled: pooled() };
  const api = await startFakeApi();
  try {
    const report = await runSuite({
      baseUrl: api.url,
      clientId: api.clientId,
      clientSecret: api.clientSecret,
      only: ["token.form", "lifecycle.adfs"],
    });
    expect(report.summary.passed).toBe(2);
  } finally {
    await api.close();
  }
  expect({ listeners: listeners(), pooled: pooled() }).toEqual(before);
});
