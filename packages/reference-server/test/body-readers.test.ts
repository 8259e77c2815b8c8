// How bodies are read, before any route sees them: one rule for JSON and forms.
import { MAX_JSON_DEPTH } from "@mgmtkit/reference-server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBody, readForm, readJson } from "../src/body-readers.js";

const nested = (depth: number, inner = "1") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;

/** The catalog code a reader throws, or "ok". */
function outcome(read: () => unknown): string {
  try {
    read();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("readJson", () => {
  const cases: Array<[string, { given: string; want: string }]> = [
    ["an object", { given: '{"a": [1, {"b": null}], "c": "x"}', want: "ok" }],
    ["a byte-order mark", { given: '\ufeff{"a": 1}', want: "ok" }],
    ["empty", { given: " \n", want: "MGMT_ERR_EMPTY_JSON" }],
    ["malformed", { given: '{"a":', want: "MGMT_ERR_INVALID_JSON" }],
    ["a key twice", { given: '{"a": 1, "a": 2}', want: "MGMT_ERR_JSON_DUPLICATE_KEY" }],
    [
      "a key twice, escaped",
      { given: '{"a": 1, "\\u0061": 2}', want: "MGMT_ERR_JSON_DUPLICATE_KEY" },
    ],
    [
      "a key twice, deep inside",
      { given: '{"o": {"x": [{"k": 1, "k": 1}]}}', want: "MGMT_ERR_JSON_DUPLICATE_KEY" },
    ],
    ["one key in sibling objects", { given: '[{"a": 1}, {"a": 1}]', want: "ok" }],
    ["a key equal to a value", { given: '{"a": "b", "b": "a"}', want: "ok" }],
    ["a key with an escaped quote", { given: '{"a\\"": 1, "a": 2}', want: "ok" }],
    ["a string ending in a backslash", { given: '{"a": "x\\\\", "a\\\\": 2}', want: "ok" }],
    ["__proto__ as a key", { given: '{"__proto__": {"polluted": true}}', want: "ok" }],
    [
      "__proto__ twice",
      { given: '{"__proto__": 1, "__proto__": 2}', want: "MGMT_ERR_JSON_DUPLICATE_KEY" },
    ],
    ["1e400", { given: '{"x": 1e400}', want: "MGMT_ERR_JSON_NUMBER" }],
    ["-1e400", { given: "[-1e400]", want: "MGMT_ERR_JSON_NUMBER" }],
    ["1e-400", { given: "[1e-400]", want: "MGMT_ERR_JSON_NUMBER" }],
    ["2^63 - 1", { given: "[9223372036854775807]", want: "MGMT_ERR_JSON_NUMBER" }],
    ["2^53 + 1", { given: "[9007199254740993]", want: "MGMT_ERR_JSON_NUMBER" }],
    ["2^53", { given: "[9007199254740992]", want: "ok" }],
    ["too many decimals", { given: "[3.14159265358979323846]", want: "MGMT_ERR_JSON_NUMBER" }],
    ["0.1", { given: "[0.1, -0.5, 1.5e-7, 2E+3, 0e99, -0, 100.000]", want: "ok" }],
    ["the largest double", { given: "[1.7976931348623157e308]", want: "ok" }],
    ["a number inside a string", { given: '["1e400"]', want: "ok" }],
    [`${MAX_JSON_DEPTH} levels`, { given: nested(MAX_JSON_DEPTH), want: "ok" }],
    [
      `${MAX_JSON_DEPTH + 1} levels`,
      { given: nested(MAX_JSON_DEPTH + 1), want: "MGMT_ERR_JSON_TOO_DEEP" },
    ],
    ["4,111 levels", { given: nested(4111), want: "MGMT_ERR_JSON_TOO_DEEP" }],
    ["10,000 levels", { given: nested(10_000), want: "MGMT_ERR_JSON_TOO_DEEP" }],
    ["500,000 levels (1 MB)", { given: nested(500_000), want: "MGMT_ERR_JSON_TOO_DEEP" }],
    ["brackets inside strings", { given: `["${"[".repeat(500)}"]`, want: "ok" }],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    expect(outcome(() => readJson(given))).toBe(want);
  });

  it("reads __proto__ as an own key, changing no prototype", () => {
    const value = readJson('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}');
    expect(Object.keys(value as object)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses exactly the values nested deeper than the limit, however they nest", () => {
    const level = fc.constantFrom<[string, string]>(
      ["[", "]"],
      ['{"k":', "}"],
      ['[1,{"a":[', "]}]"],
    );
    fc.assert(
      fc.property(fc.array(level, { minLength: 1, maxLength: MAX_JSON_DEPTH + 30 }), (levels) => {
        const text = `${levels.map(([open]) => open).join("")}0${levels
          .map(([, close]) => close)
          .reverse()
          .join("")}`;
        const depth = levels.reduce((sum, [open]) => sum + (open.startsWith("[1,") ? 3 : 1), 0);
        expect(outcome(() => readJson(text))).toBe(
          depth > MAX_JSON_DEPTH ? "MGMT_ERR_JSON_TOO_DEEP" : "ok",
        );
      }),
      { numRuns: 300 },
    );
  });

  it("accepts every finite double as JavaScript writes it, and keeps its value", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(readJson(`[${JSON.stringify(d)}]`)).toEqual([Object.is(d, -0) ? 0 : d]);
      }),
      { numRuns: 500 },
    );
  });

  it("accepts an integer exactly when it is written back as it was sent", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        const survives = JSON.stringify(Number(n)) === n.toString();
        expect(outcome(() => readJson(`[${n}]`))).toBe(survives ? "ok" : "MGMT_ERR_JSON_NUMBER");
      }),
      { numRuns: 500 },
    );
  });
});

describe("readForm", () => {
  const cases: Array<[string, { given: string; want: string | Record<string, string> }]> = [
    ["parameters", { given: "a=1&b=x+y", want: { a: "1", b: "x y" } }],
    ["a parameter twice", { given: "a=1&a=2", want: "MGMT_ERR_FORM_DUPLICATE_PARAMETER" }],
    ["an encoded name twice", { given: "a=1&%61=2", want: "MGMT_ERR_FORM_DUPLICATE_PARAMETER" }],
    ["constructor", { given: "constructor=x", want: { constructor: "x" } }],
    [
      "toString",
      { given: "toString=x&hasOwnProperty=y", want: { toString: "x", hasOwnProperty: "y" } },
    ],
    ["__proto__", { given: "__proto__=x", want: { ["__proto__"]: "x" } }],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    if (typeof want === "string") {
      expect(outcome(() => readForm(given))).toBe(want);
    } else {
      const form = readForm(given);
      expect(Object.entries(form)).toEqual(Object.entries(want));
      expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    }
  });
});

describe("decodeBody", () => {
  const text = Buffer.from('{"a":"é"}');
  const cases: Array<[string, { type: string | undefined; body?: Buffer; want: string }]> = [
    ["no charset", { type: "application/json", want: "ok" }],
    ["utf-8", { type: "application/json; charset=utf-8", want: "ok" }],
    ["UTF-8, quoted", { type: 'application/json; charset="UTF-8"', want: "ok" }],
    ["utf8", { type: "application/json;charset=utf8", want: "ok" }],
    ["us-ascii", { type: "application/x-www-form-urlencoded; charset=us-ascii", want: "ok" }],
    ["utf-16", { type: "application/json; charset=utf-16", want: "MGMT_ERR_UNSUPPORTED_CHARSET" }],
    [
      "latin1",
      { type: "application/json; charset=ISO-8859-1", want: "MGMT_ERR_UNSUPPORTED_CHARSET" },
    ],
    [
      "bytes that are not UTF-8",
      {
        type: "application/json",
        body: Buffer.from([0x7b, 0xff, 0x7d]),
        want: "MGMT_ERR_INVALID_UTF8",
      },
    ],
  ];
  it.each(cases)("%s", (_name, { type, body = text, want }) => {
    expect(outcome(() => decodeBody(body, type))).toBe(want);
  });
});
