import { describe, expect, it } from "vitest";
import {
  beyondJsonLimits,
  MAX_JSON_DEPTH,
  MAX_JSON_ENTRIES,
  readBoundedJson,
} from "./bounded-json.js";
import { describeAnswer, recordExchange } from "./exchange.js";
import { validateExchange } from "./validators.js";

const limits = { depth: 3, entries: 5 };

describe("beyondJsonLimits", () => {
  it("counts levels of arrays and objects, not brackets inside strings", () => {
    expect(beyondJsonLimits('[{"a":[1]}]', limits)).toBeUndefined();
    expect(beyondJsonLimits('[{"a":[[1]]}]', limits)).toMatch(/nested more than 3 levels/);
    expect(beyondJsonLimits('["[[[[", {"k\\"[[[": "\\\\"}]', limits)).toBeUndefined();
  });

  it("counts entries at every level: elements and members, empty containers holding none", () => {
    expect(beyondJsonLimits("[[], {}, [ ], { }, 1]", limits)).toBeUndefined();
    expect(beyondJsonLimits('{"a":1,"b":[1,2],"c":{}}', limits)).toBeUndefined();
    expect(beyondJsonLimits('{"a":1,"b":[1,2,3],"c":{}}', limits)).toMatch(/more than 5 entries/);
    expect(beyondJsonLimits('[",,,,,,,,", 1]', limits)).toBeUndefined();
  });

  it("stops at the first limit crossed, whatever follows", () => {
    const deep = `${"[".repeat(4_000_000)}${"]".repeat(4_000_000)}`;
    expect(beyondJsonLimits(deep)).toMatch(`more than ${MAX_JSON_DEPTH} levels`);
  });

  it("lets through what the suite itself sends: options 400 levels deep inside a list", () => {
    let value: unknown = 1;
    for (let i = 0; i < 400; i++) value = i % 2 === 0 ? { nested: value } : [value];
    const list = JSON.stringify([{ name: "c", options: { nested: value } }]);
    expect(beyondJsonLimits(list)).toBeUndefined();
    expect(readBoundedJson(list).isJson).toBe(true);
  });
});

describe("readBoundedJson", () => {
  it("parses JSON within the limits, refuses what is beyond them without parsing it", () => {
    expect(readBoundedJson('{"a":[1,2]}')).toEqual({ json: { a: [1, 2] }, isJson: true });
    expect(readBoundedJson("not json")).toEqual({ isJson: false });
    const wide = `{${Array.from({ length: MAX_JSON_ENTRIES + 1 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    const reading = readBoundedJson(wide);
    expect(reading.isJson).toBe(false);
    expect(reading).toHaveProperty("beyond", expect.stringMatching(/more than 20000 entries/));
  });
});

describe("an answer beyond the limits", () => {
  const answer = (body: string) =>
    recordExchange({
      checkId: "c",
      baseUrl: "https://tenant.example",
      method: "GET",
      url: "https://tenant.example/api/connections",
      status: 200,
      headers: { "content-type": "application/json" },
      body,
    });

  it("is not parsed, and says why as a transport error that the sending check reports", () => {
    const exchange = answer(`${"[".repeat(600)}${"]".repeat(600)}`);
    expect(exchange.json).toBeUndefined();
    expect(exchange.isJson).toBe(false);
    expect(exchange.unread).toMatch(/nested more than 512 levels deep/);
    expect(exchange.transportError).toMatch(/^sent JSON nested more than 512 levels deep/);
    expect(describeAnswer(exchange)).toMatch(/^answered 200 but sent JSON nested/);
  });

  it("is response.schema's finding where a schema would have read the body", () => {
    const found = validateExchange(answer(`${"[".repeat(600)}${"]".repeat(600)}`), {
      secrets: [],
    });
    const schema = found.filter((f) => f.type.startsWith("response.schema"));
    expect(schema).toHaveLength(1);
    expect(schema[0]?.observed).toMatch(/more than the suite reads, so the suite cannot check it/);
  });
});
