import { describe, expect, it } from "vitest";
import { recordExchange } from "./exchange.js";
import { requestValidators } from "./request-validators.js";
import { MAX_SECRETS, TrafficJudge } from "./traffic-judge.js";
import { responseValidators } from "./validators.js";

const base = "http://127.0.0.1:1";
const facts = { requestBytes: 0, responseBodyOmitted: false, requestBodyOmitted: false };

function judge(): TrafficJudge {
  return new TrafficJudge({
    target: base,
    listen: "http://127.0.0.1:2",
    profile: "core",
    responseValidators,
    requestValidators,
    completeness: true,
    maxBodyBytes: 1024 * 1024,
  });
}

const list = (token: string, status: number) =>
  recordExchange({
    checkId: "proxy",
    baseUrl: base,
    method: "GET",
    url: `${base}/api/connections`,
    requestHeaders: { Authorization: `Bearer ${token}` },
    status,
    headers: { "content-type": "application/json" },
    body: status === 200 ? "[]" : '{"statusCode":401,"error":"Unauthorized","message":"no"}',
  });

describe("the secrets a traffic judge knows", () => {
  it("forgets a refused token once its exchange is judged", () => {
    const traffic = judge();
    for (let n = 0; n < 100; n++) traffic.judge(list(`refused-token-${n}`, 401), facts);
    expect(traffic.redactor.size).toBe(0);
  });

  it("stay a bounded set, the most recent kept", () => {
    const traffic = judge();
    for (let n = 0; n < 300; n++) traffic.judge(list(`accepted-token-${n}`, 200), facts);
    expect(traffic.redactor.size).toBe(MAX_SECRETS);
    expect(traffic.redactor.text("accepted-token-299")).toBe("$MGMTKIT_TOKEN");
    expect(traffic.redactor.text("accepted-token-0")).toBe("accepted-token-0");
  });
});
