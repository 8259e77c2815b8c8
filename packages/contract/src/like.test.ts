import { describe, expect, it } from "vitest";
import { unlike } from "./like.js";

describe("unlike", () => {
  it.each<[string, { actual: unknown; expected: unknown; want: string | undefined }]>([
    ["equal values", { actual: 1, expected: 1, want: undefined }],
    ["extra properties", { actual: { a: 1, b: 2 }, expected: { a: 1 }, want: undefined }],
    [
      "a missing property",
      { actual: { b: 2 }, expected: { a: 1 }, want: "a is missing (expected 1)" },
    ],
    [
      "a nested difference",
      { actual: { o: { x: "1" } }, expected: { o: { x: 1 } }, want: 'o.x is "1", not 1' },
    ],
    ["an array in any order", { actual: [3, 1, 2], expected: [1, 2], want: undefined }],
    ["an element missing", { actual: [1], expected: [1, 1], want: "body has no element like 1" }],
    ["an object for an array", { actual: {}, expected: [], want: "body is {}, not an array" }],
    ["null for an object", { actual: null, expected: {}, want: "body is null, not an object" }],
  ])("%s", (_name, { actual, expected, want }) => {
    expect(unlike(actual, expected)).toBe(want);
  });
});
