import { describe, expect, it } from "vitest";
import {
  commanderOptions,
  DEFAULT_TIMEOUT_MS,
  numberOption,
  OPTIONS,
  profileOption,
} from "./options.js";
import { startProxy } from "./proxy.js";
import { runSuite, SuiteConfigError } from "./runner.js";

const message = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(SuiteConfigError);
    return (error as Error).message;
  }
  throw new Error("no error");
};

describe("the option table", () => {
  it("reads text from the command line and numbers from the library alike", () => {
    expect(numberOption("timeoutMs", "250")).toBe(250);
    expect(numberOption("timeoutMs", 250)).toBe(250);
    expect(numberOption("timeoutMs", undefined)).toBe(DEFAULT_TIMEOUT_MS);
    expect(numberOption("rateLimit", undefined)).toBeUndefined();
    expect(numberOption("consistencyWindow", undefined)).toBe(0);
    expect(numberOption("maxDuration", "0.5")).toBe(0.5);
    expect(numberOption("seed", "-3")).toBe(-3);
  });

  it.each([
    ["concurrency", "65", 65, "--concurrency must be a whole number from 1 to 64, not 65."],
    ["timeoutMs", "0", 0, "--timeout-ms must be a positive whole number of milliseconds, not 0."],
    ["port", "70000", 70000, "--port must be a whole number from 0 to 65535, not 70000."],
    [
      "rateLimit",
      "-1",
      -1,
      "--rate-limit must be a positive number of requests per second, not -1.",
    ],
    ["seed", "1.5", 1.5, "--seed must be a whole number, not 1.5."],
    [
      "consistencyWindow",
      "-5",
      -5,
      "--consistency-window must be a whole number of milliseconds from 0 to 60000, not -5.",
    ],
  ] as const)(
    "refuses a bad %s with one sentence, given as text or as a number",
    (name, text, number, sentence) => {
      expect(message(() => numberOption(name, text))).toBe(sentence);
      expect(message(() => numberOption(name, number))).toBe(sentence);
    },
  );

  it("quotes a value that is not a number", () => {
    expect(message(() => numberOption("maxBodyBytes", "1MB"))).toBe(
      '--max-body-bytes must be a whole number of bytes, not "1MB".',
    );
    expect(message(() => profileOption("lenient"))).toBe(
      '--profile must be core or strict, not "lenient".',
    );
  });

  it("tells runSuite's and startProxy's bad values in the CLI's sentence", async () => {
    const sentence = "--timeout-ms must be a positive whole number of milliseconds, not 0.";
    expect(message(() => numberOption("timeoutMs", "0"))).toBe(sentence);
    await expect(
      runSuite({ baseUrl: "http://127.0.0.1:9", token: "t", timeoutMs: 0 }),
    ).rejects.toThrow(sentence);
    await expect(startProxy({ target: "http://127.0.0.1:9", timeoutMs: 0 })).rejects.toThrow(
      sentence,
    );
  });

  it("gives each command the flags, variables and defaults of the table", () => {
    const run = commanderOptions("run");
    const proxy = commanderOptions("proxy");
    const timeout = run.find((o) => o.long === "--timeout-ms");
    expect(timeout?.envVar).toBe("MGMTKIT_TIMEOUT_MS");
    expect(timeout?.defaultValue).toBe("5000");
    expect(proxy.find((o) => o.long === "--timeout-ms")?.defaultValue).toBe("5000");
    expect(proxy.some((o) => o.long === "--base-url")).toBe(false);
    expect(run.some((o) => o.long === "--target")).toBe(false);
    const flags = new Set([...run, ...proxy].map((o) => o.long));
    expect(flags).toEqual(new Set(Object.values(OPTIONS).map((o) => o.flag)));
  });
});
