// The transport's waits and deadlines read an injected clock, so these cases take no real time.
import { describe, expect, it } from "vitest";
import { createSecrets } from "../src/errors.js";
import { type Clock, createTransport } from "../src/transport.js";

/** A clock that moves only when the transport sleeps, recording each wait. */
function fakeClock(): Clock & { waits: number[] } {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    async sleep(ms) {
      waits.push(ms);
      now += ms;
    },
  };
}

/** A fetch giving these statuses in turn, with their headers. */
function answers(...list: [number, Record<string, string>?][]) {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(url);
    const [status, headers] = list.shift() ?? [500];
    return new Response(status === 200 ? "{}" : null, { status, headers });
  };
  return { calls, fetch };
}

const get = () => ({ url: "https://tenant.example/api/x", method: "GET", headers: new Headers() });

describe("the transport's clock", () => {
  it("waits a long Retry-After on the injected clock, not on a timer", async () => {
    const clock = fakeClock();
    const { calls, fetch } = answers([429, { "retry-after": "30" }], [200]);
    const send = createTransport({ fetch }, createSecrets(), undefined, clock);
    const answer = await send(get());
    expect(answer.response.status).toBe(200);
    expect(clock.waits).toEqual([30_000]);
    expect(calls).toHaveLength(2);
  });

  it("gives up a retry whose wait would pass the whole-call deadline, read from the clock", async () => {
    const clock = fakeClock();
    const { calls, fetch } = answers([503, { "retry-after": "5" }], [503, { "retry-after": "5" }]);
    const send = createTransport(
      { fetch, totalTimeoutMs: 8_000 },
      createSecrets(),
      undefined,
      clock,
    );
    const answer = await send(get());
    expect(answer.response.status).toBe(503);
    expect(clock.waits).toEqual([5_000]);
    expect(calls).toHaveLength(2);
  });

  it("does not count a redirect as a retry", async () => {
    const clock = fakeClock();
    const { calls, fetch } = answers(
      [302, { location: "/api/y" }],
      [503, { "retry-after": "1" }],
      [302, { location: "/api/z" }],
      [200],
    );
    const send = createTransport({ fetch, maxRetries: 1 }, createSecrets(), undefined, clock);
    const answer = await send(get());
    expect(answer.response.status).toBe(200);
    expect(answer.url).toBe("https://tenant.example/api/z");
    expect(clock.waits).toEqual([1_000]);
    expect(calls).toHaveLength(4);
  });
});
