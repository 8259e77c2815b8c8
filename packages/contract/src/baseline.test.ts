import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyBaseline,
  BaselineError,
  baselineFails,
  formatBaseline,
  parseBaseline,
  readBaseline,
  runFails,
  updatedBaseline,
  writeBaseline,
} from "./baseline.js";
import type { CheckResult, Failure, SuiteReport } from "./types.js";

const failure = (checkId: string, fingerprint: string, requirement = "a rule"): Failure => ({
  checkId,
  type: "check",
  requirement,
  observed: "the server broke it",
  fingerprint,
});

const check = (
  id: string,
  status: CheckResult["status"],
  failures: Failure[] = [],
): CheckResult => ({
  id,
  profile: "core",
  title: id,
  requirement: "",
  source: "",
  status,
  durationMs: 1,
  requests: 1,
  failures,
});

function report(checks: CheckResult[]): SuiteReport {
  return {
    tool: { name: "@mgmtkit/contract", version: "0.0.0" },
    baseUrl: "http://127.0.0.1:1",
    profile: "core",
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1,
    interrupted: false,
    requests: 1,
    summary: {
      total: checks.length,
      passed: checks.filter((c) => c.status === "passed").length,
      failed: checks.filter((c) => c.status === "failed").length,
      skipped: checks.filter((c) => c.status === "skipped").length,
    },
    checks,
    coverage: [],
  };
}

const A = "aaaaaaaaaaaa";
const B = "bbbbbbbbbbbb";
const C = "cccccccccccc";

describe("parseBaseline", () => {
  it("reads entries with and without a fingerprint, and a comment", () => {
    expect(
      parseBaseline(
        JSON.stringify({
          version: 1,
          expected: [
            { check: "token.form", fingerprint: A, comment: "why" },
            { check: "auth.query" },
          ],
        }),
        "b.json",
      ),
    ).toEqual([{ check: "token.form", fingerprint: A, comment: "why" }, { check: "auth.query" }]);
  });

  it.each<[string, string, RegExp]>([
    ["not JSON", "{ expected: [", /^The baseline b\.json is not JSON \(.+\)\.$/],
    ["an array", "[]", /is not a JSON object/],
    ["no expected list", "{}", /has no "expected" array/],
    ["another version", '{"version":2,"expected":[]}', /has version 2/],
    [
      "an entry that is not an object",
      '{"expected":["token.form"]}',
      /entry 1 of "expected" that is not an object/,
    ],
    [
      "an entry without a check",
      '{"expected":[{"fingerprint":"aaaaaaaaaaaa"}]}',
      /no "check" id in entry 1/,
    ],
    [
      "a misspelt key",
      '{"expected":[{"check":"a.b","fingerprnt":"x"}]}',
      /unknown property "fingerprnt"/,
    ],
    [
      "a bad fingerprint",
      '{"expected":[{"check":"a.b","fingerprint":"XYZ"}]}',
      /not 12 lower-case hex digits/,
    ],
    [
      "a comment that is not text",
      '{"expected":[{"check":"a.b","comment":3}]}',
      /"comment" in entry 1/,
    ],
  ])("refuses %s in one sentence", (_name, text, message) => {
    let error: unknown;
    try {
      parseBaseline(text, "b.json");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BaselineError);
    const text_ = (error as Error).message;
    expect(text_).toMatch(message);
    expect(text_).not.toContain("\n");
    expect(text_.match(/\.(\s|$)/g)).toHaveLength(1);
  });
});

describe("readBaseline and writeBaseline", () => {
  const dir = mkdtempSync(join(tmpdir(), "mgmtkit-baseline-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says how to create a missing file, or reads it as empty when about to write it", () => {
    const file = join(dir, "missing.json");
    expect(() => readBaseline(file)).toThrow(/does not exist; create it with --update-baseline\.$/);
    expect(readBaseline(file, { missingIsEmpty: true })).toEqual([]);
  });

  it("writes sorted entries that read back the same", () => {
    const file = join(dir, "b.json");
    const entries = [
      { check: "z.last", fingerprint: B },
      { check: "a.first" },
      { check: "z.last", fingerprint: A },
    ];
    writeBaseline(file, entries);
    expect(readBaseline(file)).toEqual([entries[1], entries[2], entries[0]]);
    expect(readFileSync(file, "utf8")).toBe(formatBaseline(entries));
    expect(readFileSync(file, "utf8").endsWith("}\n")).toBe(true);
  });

  it("refuses to write into a missing folder, in one sentence", () => {
    expect(() => writeBaseline(join(dir, "no", "b.json"), [])).toThrow(BaselineError);
  });

  it("reads a file a person wrote without a version", () => {
    const file = join(dir, "hand.json");
    writeFileSync(file, '{ "expected": [ { "check": "document.accept-xml" } ] }');
    expect(readBaseline(file)).toEqual([{ check: "document.accept-xml" }]);
  });
});

describe("applyBaseline", () => {
  const run = report([
    check("token.form", "failed", [failure("token.form", A), failure("token.form", B)]),
    check("auth.query", "passed"),
    check("users.list", "skipped"),
    check("document.accept-xml", "failed", [failure("document.accept-xml", C)]),
  ]);

  it.each<
    [
      string,
      {
        given: Array<{ check: string; fingerprint?: string }>;
        strict?: boolean;
        want: { known: number; new: number; fixed: string[]; notRun: string[]; fails: boolean };
      },
    ]
  >([
    [
      "no entry: every failure is new",
      { given: [], want: { known: 0, new: 3, fixed: [], notRun: [], fails: true } },
    ],
    [
      "every failure expected: the run passes",
      {
        given: [
          { check: "token.form", fingerprint: A },
          { check: "token.form", fingerprint: B },
          { check: "document.accept-xml" },
        ],
        want: { known: 3, new: 0, fixed: [], notRun: [], fails: false },
      },
    ],
    [
      "one failure of a check not expected: it is new",
      {
        given: [{ check: "token.form", fingerprint: A }, { check: "document.accept-xml" }],
        want: { known: 2, new: 1, fixed: [], notRun: [], fails: true },
      },
    ],
    [
      "an entry of a check that passes: fixed, the run still passes",
      {
        given: [{ check: "token.form" }, { check: "document.accept-xml" }, { check: "auth.query" }],
        want: { known: 3, new: 0, fixed: ["auth.query"], notRun: [], fails: false },
      },
    ],
    [
      "a fixed entry under --strict-baseline: the run fails",
      {
        given: [{ check: "token.form" }, { check: "document.accept-xml" }, { check: "auth.query" }],
        strict: true,
        want: { known: 3, new: 0, fixed: ["auth.query"], notRun: [], fails: true },
      },
    ],
    [
      "a fingerprint the check no longer fails with: fixed",
      {
        given: [{ check: "token.form" }, { check: "document.accept-xml", fingerprint: A }],
        want: { known: 2, new: 1, fixed: ["document.accept-xml"], notRun: [], fails: true },
      },
    ],
    [
      "entries of a skipped check and of an unknown one: not run, neither known nor fixed",
      {
        given: [
          { check: "token.form" },
          { check: "document.accept-xml" },
          { check: "users.list" },
          { check: "no.such-check" },
        ],
        strict: true,
        want: {
          known: 3,
          new: 0,
          fixed: [],
          notRun: ["users.list", "no.such-check"],
          fails: false,
        },
      },
    ],
  ])("%s", (_name, { given, strict, want }) => {
    const applied = applyBaseline(run, given, { file: "b.json", strict: strict === true });
    const outcome = applied.baseline;
    if (!outcome) throw new Error("no outcome");
    expect({
      known: outcome.known,
      new: outcome.new,
      fixed: outcome.fixed.map((e) => e.check),
      notRun: outcome.notRun.map((e) => e.check),
      fails: baselineFails(outcome),
    }).toEqual(want);
    expect(runFails(applied)).toBe(want.fails);
    const marked = applied.checks.flatMap((c) => c.failures).filter((f) => f.known).length;
    expect(marked).toBe(want.known);
    // The verdict of each check stays the truth: a known failure is still a failure.
    expect(applied.summary).toEqual(run.summary);
  });

  it("derives a fingerprint for a failure that carries none, the same way every time", () => {
    const bare = report([
      check("lifecycle.adfs", "failed", [
        {
          checkId: "lifecycle.adfs",
          type: "check",
          requirement: "GET /api/connections/mgmtkit-contract-aaaaaa-adfs-1 answers 200.",
          observed: "it answered 500",
          request: "GET http://127.0.0.1:1/api/connections/mgmtkit-contract-aaaaaa-adfs-1",
        },
      ]),
    ]);
    const again = structuredClone(bare);
    const first = again.checks[0]?.failures[0];
    if (!first) throw new Error("no failure");
    first.requirement = first.requirement.replace("aaaaaa", "bbbbbb");
    first.request = "GET http://127.0.0.1:2/api/connections/mgmtkit-contract-bbbbbb-adfs-1";
    const print = (r: SuiteReport) =>
      applyBaseline(r, [], { file: "b.json" }).checks[0]?.failures[0]?.fingerprint;
    expect(print(bare)).toMatch(/^[0-9a-f]{12}$/);
    expect(print(again)).toBe(print(bare));
  });
});

describe("updatedBaseline", () => {
  it("keeps what did not run, keeps a whole-check entry while it fails, adds the rest, drops the fixed", () => {
    const run = report([
      check("token.form", "failed", [failure("token.form", A), failure("token.form", A)]),
      check("auth.query", "passed"),
      check("users.list", "skipped"),
      check("document.accept-xml", "failed", [failure("document.accept-xml", C, "Accept: xml")]),
      check("lifecycle.adfs", "failed", [failure("lifecycle.adfs", B)]),
    ]);
    const next = updatedBaseline(run, [
      { check: "users.list", fingerprint: A },
      { check: "auth.query" },
      { check: "lifecycle.adfs" },
      { check: "token.form", fingerprint: A, comment: "kept as written" },
    ]);
    expect(formatBaseline(next)).toBe(
      formatBaseline([
        { check: "users.list", fingerprint: A },
        { check: "lifecycle.adfs" },
        { check: "token.form", fingerprint: A, comment: "kept as written" },
        { check: "document.accept-xml", fingerprint: C, comment: "Accept: xml" },
      ]),
    );
    // After an update the same run is all known.
    const applied = applyBaseline(run, next, { file: "b.json", strict: true }).baseline;
    expect(applied && [applied.new, applied.fixed.length]).toEqual([0, 0]);
  });
});
