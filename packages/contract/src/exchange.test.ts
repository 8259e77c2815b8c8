import { describe, expect, it } from "vitest";
import { type ExchangeInit, recordExchange, withExcerpt, withoutLongText } from "./exchange.js";
import { Redactor, TOKEN_PLACEHOLDER } from "./redact.js";

const base: ExchangeInit = {
  baseUrl: "http://127.0.0.1:1/base",
  method: "GET",
  url: "http://127.0.0.1:1/base/api/connections",
};

describe("recordExchange", () => {
  it.each<[string, { given: Partial<ExchangeInit>; want: Record<string, unknown> }]>([
    [
      "a whole answer is answered, whatever its status",
      { given: { status: 500, body: "{}" }, want: { outcome: "answered", status: 500 } },
    ],
    [
      "an answer cut off after its status line is incomplete, and keeps the status",
      {
        given: { status: 200, transportError: "reset the connection" },
        want: { outcome: "incomplete", status: 200, transportError: "reset the connection" },
      },
    ],
    [
      "a body nested deeper than the suite reads is incomplete, and says so",
      {
        given: { status: 200, body: "[".repeat(5000) + "]".repeat(5000) },
        want: { outcome: "incomplete", isJson: false },
      },
    ],
    [
      "no status line at all is incomplete",
      { given: {}, want: { outcome: "incomplete", transportError: "did not answer" } },
    ],
    [
      "a request never sent is unsent, and stopped",
      {
        given: { unsent: true, transportError: "was not sent" },
        want: { outcome: "unsent", unsent: true, stopped: true },
      },
    ],
  ])("%s", (_what, { given, want }) => {
    expect(recordExchange({ ...base, ...given })).toMatchObject(want);
  });

  it("is copied, never changed, to quote its body or let a long one go", () => {
    const redactor = new Redactor();
    redactor.add("secret-token-value", TOKEN_PLACEHOLDER);
    const recorded = recordExchange({ ...base, status: 200, body: '{"t":"secret-token-value"}' });
    const quoted = withExcerpt(recorded, redactor);
    expect(quoted.excerpt).toBe('{"t":"$MGMTKIT_TOKEN"}');
    expect(recorded.excerpt).toBeUndefined();
    expect(withoutLongText(quoted, 5).text).toBeUndefined();
    expect(withoutLongText(quoted, 5).excerpt).toBe(quoted.excerpt);
    expect(quoted.text).toBe('{"t":"secret-token-value"}');
  });
});
