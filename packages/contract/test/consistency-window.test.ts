import { describe, expect, it } from "vitest";
import { runSuite } from "../src/runner.js";
import { startFakeApi } from "./harness/fake-api.js";

describe("--consistency-window", () => {
  it("makes a check's reads wait out the window after its own writes, and says so in the report", async () => {
    const arrivals: Array<{ method: string; at: number }> = [];
    const api = await startFakeApi({
      request(req) {
        if (req.path.startsWith("/api/")) arrivals.push({ method: req.method, at: Date.now() });
        return undefined;
      },
    });
    try {
      const report = await runSuite({
        baseUrl: api.url,
        clientId: api.clientId,
        clientSecret: api.clientSecret,
        only: ["lifecycle.adfs"],
        concurrency: 1,
        consistencyWindowMs: 300,
      });
      expect(report.summary.failed).toBe(0);
      expect(report.network?.consistencyWindowMs).toBe(300);
      // One check, one request at a time: each read came at least the window after the last write.
      let lastWrite: number | undefined;
      let waited = 0;
      for (const { method, at } of arrivals) {
        if (method !== "GET") lastWrite = at;
        else if (lastWrite !== undefined) {
          expect(at - lastWrite).toBeGreaterThanOrEqual(290);
          waited += 1;
        }
      }
      expect(waited).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });
});
