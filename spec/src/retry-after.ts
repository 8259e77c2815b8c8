/**
 * `Retry-After` (RFC 9110 section 10.2.3), read one way by the SDK and the conformance suite. Small
 * on purpose: the SDK's browser bundle carries it.
 *
 * - Seconds: digits, with a fraction allowed (`"0.5"`): a client that waits half a second as asked
 *   harms nobody. Signs, exponents and hex (`"-5"`, `"1e3"`, `"0x10"`) are not seconds.
 * - An HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms): each names its weekday
 *   or month in letters and its time as `hh:mm:ss`, which keeps out what `Date.parse` also reads
 *   (`"2026-01-01"`, `"May 5"`). A date in the past means now.
 * - Anything else, or no header, is ignored: the caller waits as if none had been sent.
 * - The wait is capped at MAX_RETRY_AFTER_MS, the longest a timer can hold: a longer one would fire
 *   at once. Each caller applies its own, shorter limit on top.
 */

/** The longest wait `retryAfterMs` answers, 2^31 - 1 ms (about 24.8 days). */
export const MAX_RETRY_AFTER_MS = 2147483647;
// retryAfterMs writes the number out again: a bundle then keeps no variable for it (the SDK's
// browser bundle has a budget).

/**
 * The wait a `Retry-After` value asks for, in milliseconds from `now`, at most MAX_RETRY_AFTER_MS;
 * undefined when the value is absent or neither seconds nor an HTTP date.
 */
export function retryAfterMs(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const text = `${value}`;
  const ms = /^\s*\d+(\.\d+)?\s*$/.test(text)
    ? +text * 1000
    : /[a-z]{3}.*\d:\d\d:\d\d/i.test(text)
      ? Date.parse(text) - now
      : NaN;
  // NaN (an unreadable date) answers undefined; a past date, 0.
  return ms >= 0 ? Math.min(ms, 2147483647) : ms < 0 ? 0 : undefined;
}
