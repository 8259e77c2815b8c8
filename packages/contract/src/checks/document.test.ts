import { describe, expect, it } from "vitest";
import { errorAnswer, type Script, when } from "../../test/harness/fake-api.js";
import { judge, outcome } from "../../test/harness/judge.js";

describe("document checks", () => {
  it("pass against a server that follows the spec", async () => {
    const { report } = await judge(["document"]);
    expect(report.checks.flatMap((c) => outcome(c))).toEqual([]);
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it.each<[string, string, Script, RegExp]>([
    [
      "document.accept-xml",
      "Accept: application/xml answers 406",
      when((r) => String(r.headers.accept).includes("xml"), errorAnswer(406, "JSON only.")),
      /with Accept: application\/xml answers 200, not 406/,
    ],
    [
      "document.accept-xml",
      "the answer to Accept: application/xml is not served as JSON",
      {
        response: (r, res) =>
          String(r.headers.accept).includes("xml")
            ? { ...res, headers: { "content-type": "application/xml" } }
            : undefined,
      },
      /JSON whatever the Accept header says/,
    ],
    [
      "document.trailing-slash",
      "a trailing slash is not found",
      when((r) => r.rawPath.length > 1 && r.rawPath.endsWith("/"), errorAnswer(404, "No route.")),
      /GET \/api\/connections\/\?access_token=… answers 200 — "GET https:\/\/YOUR_NAMESPACE\/api\/connections\/\?access_token={ACCESS-TOKEN}" \(List all Connections\)/,
    ],
    [
      "document.media-types",
      "a charset parameter is refused",
      when(
        (r) => String(r.headers["content-type"]).includes("charset"),
        errorAnswer(415, "application/json only"),
      ),
      /application\/json; charset=utf-8 succeeds/,
    ],
    [
      "document.media-types",
      "Accept: */* gets HTML",
      {
        response: (r) =>
          r.headers.accept === "*/*"
            ? { status: 200, raw: "<html></html>", headers: { "content-type": "text/html" } }
            : undefined,
      },
      /with Accept: \*\/\* answers JSON/,
    ],
  ])("%s fails when %s", async (id, _what, script, requirement) => {
    const { result } = await judge([id], script);
    expect(result(id).status).toBe("failed");
    expect(outcome(result(id)).join("\n")).toMatch(requirement);
  });
});
