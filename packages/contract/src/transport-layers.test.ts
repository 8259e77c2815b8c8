import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { buildRequest } from "./request.js";
import {
  ConsistencyWindow,
  Liveness,
  MAX_THROTTLED_RETRIES,
  RateLimit,
  Throttle,
} from "./transport-policies.js";
import { NodeWire } from "./wire.js";

const never = new AbortController().signal;

/** A clock that moves only when a policy sleeps. */
function fakeTime() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe("buildRequest", () => {
  it("puts the token where the auth mode says, the body's type first and the caller's headers last", () => {
    const built = buildRequest(
      "http://h.example/base/",
      {
        method: "POST",
        path: "/api/connections",
        query: { a: ["1", "2"] },
        json: { x: 1 },
        headers: { "Content-Type": "text/plain" },
      },
      "tok",
    );
    expect(built.url.toString()).toBe("http://h.example/base/api/connections?a=1&a=2");
    expect(built.headers).toEqual({ Authorization: "bearer tok", "Content-Type": "text/plain" });
    expect(built.body).toBe('{"x":1}');
    const query = buildRequest(
      "http://h.example",
      { method: "GET", path: "/x", auth: { kind: "query" } },
      "t",
    );
    expect(query.url.search).toBe("?access_token=t");
    expect(query.headers).toEqual({});
  });
});

describe("NodeWire", () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it("keeps every header line as it arrived, a duplicated Content-Type included", async () => {
    // A raw socket server: node:http's own would not send the field twice.
    const server = createServer((socket) => {
      socket.once("data", () => {
        socket.end(
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Type: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]",
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const wire = new NodeWire(base, { timeoutMs: 5000, maxResponseBytes: 1024 });
    closers.push(() => wire.close());
    const answer = await wire.send(
      buildRequest(base, { method: "GET", path: "/" }, undefined),
      never,
    );
    expect(answer.headers["content-type"]).toBe("application/json");
    const types = answer.rawHeaders.filter(
      (_, i) => i % 2 === 1 && answer.rawHeaders[i - 1]?.toLowerCase() === "content-type",
    );
    expect(types).toEqual(["application/json", "text/html"]);
    expect(answer.body.toString()).toBe("[]");
    expect(wire.connections.opened).toBe(1);
  });
});

describe("RateLimit", () => {
  it("spaces requests evenly and lets the first go at once", async () => {
    const time = fakeTime();
    const rate = new RateLimit(4, time.now, time.sleep);
    for (let i = 0; i < 3; i++) await rate.slot(never);
    expect(time.waits).toEqual([250, 250]);
  });

  it("never waits without a rate", async () => {
    const time = fakeTime();
    const rate = new RateLimit(undefined, time.now, time.sleep);
    await rate.slot(never);
    await rate.slot(never);
    expect(time.waits).toEqual([]);
  });
});

describe("Throttle", () => {
  it("waits out Retry-After up to its limit, then reports the 429 with why", () => {
    const time = fakeTime();
    const throttle = new Throttle(undefined, time.now);
    const state = { throttled: 0, waited: 0 };
    for (let i = 0; i < MAX_THROTTLED_RETRIES; i++) {
      expect(throttle.judge({ "retry-after": "2" }, state)).toEqual({ waitMs: 2000 });
    }
    expect(throttle.judge({ "retry-after": "2" }, state).note).toBe(
      `the server answered 429 Too Many Requests ${MAX_THROTTLED_RETRIES + 1} times in a row (10 s waited), the last after ${MAX_THROTTLED_RETRIES} waits`,
    );
    expect(throttle.totals).toEqual({ answers: MAX_THROTTLED_RETRIES, waitedMs: 10_000 });
  });

  it("does not wait past the run's time budget, nor without a Retry-After", () => {
    const time = fakeTime();
    const throttle = new Throttle(time.now() + 5000, time.now);
    expect(throttle.judge({ "retry-after": "60" }, { throttled: 0, waited: 0 }).note).toMatch(
      /asking for 60 s more, past the run's time budget \(5 s left\)$/,
    );
    expect(throttle.judge({}, { throttled: 0, waited: 0 }).note).toMatch(/without a Retry-After$/);
  });
});

describe("ConsistencyWindow", () => {
  it("lets a check's reads wait out the window after its own writes, and nothing else wait", async () => {
    const time = fakeTime();
    const window = new ConsistencyWindow(250, time.now, time.sleep);
    await window.before("GET", "a");
    window.after("POST", "a");
    // Another check's reads, and the writing check's own writes, go at once.
    await window.before("GET", "b");
    await window.before("PUT", "a");
    expect(time.waits).toEqual([]);
    await time.sleep(100);
    await window.before("GET", "a");
    expect(time.waits).toEqual([100, 150]);
    // Once the window has passed, reads go at once again.
    await window.before("HEAD", "a");
    expect(time.waits).toEqual([100, 150]);
    // A request of no check (the run's own set-up and clean-up) never waits.
    window.after("DELETE", undefined);
    await window.before("GET", undefined);
    expect(time.waits).toEqual([100, 150]);
  });

  it("never waits without a window", async () => {
    const time = fakeTime();
    for (const windowMs of [undefined, 0]) {
      const window = new ConsistencyWindow(windowMs, time.now, time.sleep);
      window.after("POST", "a");
      await window.before("GET", "a");
    }
    expect(time.waits).toEqual([]);
  });
});

describe("Liveness", () => {
  it("probes after the limit of timeouts in a row, and calls the server gone only when the probe fails too", async () => {
    const time = fakeTime();
    const gone: number[] = [];
    let probeAnswers = true;
    let probes = 0;
    const liveness = new Liveness(
      2,
      time.now,
      async () => {
        probes += 1;
        return probeAnswers;
      },
      (n) => gone.push(n),
    );
    await liveness.timedOut(time.now());
    expect(probes).toBe(0);
    await liveness.timedOut(time.now());
    expect(probes).toBe(1);
    expect(liveness.timeoutsInARow).toBe(0);
    probeAnswers = false;
    await liveness.timedOut(time.now());
    await liveness.timedOut(time.now());
    expect(gone).toEqual([2]);
  });

  it("does not count a timeout of a request sent before the last answer", async () => {
    const time = fakeTime();
    const liveness = new Liveness(
      1,
      time.now,
      async () => false,
      () => {},
    );
    const sentAt = time.now();
    await time.sleep(10);
    liveness.answered();
    await liveness.timedOut(sentAt);
    expect(liveness.timeoutsInARow).toBe(0);
  });
});
