import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "../src/retry-after.js";

describe("retryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["absent", undefined, undefined],
    ["absent (fetch's null)", null, undefined],
    ["empty", "", undefined],
    ["seconds", "3", 3000],
    ["seconds with spaces around", " 3 ", 3000],
    ["zero", "0", 0],
    ["fractional seconds", "0.5", 500],
    ["negative seconds", "-5", undefined],
    ["negative fractional seconds", "-0.5", undefined],
    ["an exponent, not seconds", "1e3", undefined],
    ["hex, not seconds", "0x10", undefined],
    ["a dangling point", "5.", undefined],
    ["two values (a duplicated header joined by fetch)", "5, 7", undefined],
    ["an IMF-fixdate", "Thu, 01 Jan 2026 00:00:05 GMT", 5000],
    ["an RFC 850 date", "Thursday, 01-Jan-26 00:00:05 GMT", 5000],
    ["an asctime date", "Thu Jan  1 00:00:05 2026", 5000],
    ["a past date", "Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["a date without letters", "2026-01-01", undefined],
    ["an ISO date and time", "2026-01-01T00:00:05Z", undefined],
    ["a month and day without a time", "May 5", undefined],
    ["garbage", "soon", undefined],
    ["letters and a time that make no date", "abc 00:00:05", undefined],
  ])("reads %s", (_name, given, want) => {
    expect(retryAfterMs(given, now)).toBe(want);
  });

  it("caps what a timer cannot hold, in seconds and as a date", () => {
    expect(MAX_RETRY_AFTER_MS).toBe(2 ** 31 - 1);
    expect(retryAfterMs("9".repeat(400), now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs("2592000", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs("Fri, 01 Jan 2100 00:00:00 GMT", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs(String(MAX_RETRY_AFTER_MS / 1000 - 1), now)).toBeLessThan(
      MAX_RETRY_AFTER_MS,
    );
  });

  it("counts from the time it is given, the clock by default", () => {
    const inFive = new Date(Date.now() + 5000).toUTCString();
    const ms = retryAfterMs(inFive) as number;
    // toUTCString drops the milliseconds: up to one second less.
    expect(ms).toBeGreaterThan(3000);
    expect(ms).toBeLessThanOrEqual(5000);
  });
});
