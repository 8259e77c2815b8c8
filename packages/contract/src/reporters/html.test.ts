import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SuiteReport } from "../types.js";
import { escapeHtml, htmlReport } from "./html.js";

const hostile = `</pre></div><script>window.pwned = 1</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>'"&`;

function report(extra: Record<string, unknown> = {}): SuiteReport {
  return {
    tool: { name: "@mgmtkit/contract", version: "1.2.3" },
    baseUrl: "http://127.0.0.1:1/<b>",
    profile: "core",
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 12,
    interrupted: false,
    requests: 3,
    summary: { total: 2, passed: 1, failed: 1, skipped: 0 },
    checks: [
      {
        id: "document.accept-xml",
        profile: "core",
        title: `Accept ${hostile}`,
        requirement: `requires ${hostile}`,
        source: '"The Accept header is ignored for now." (API endpoint)',
        status: "failed",
        durationMs: 3,
        requests: 2,
        failures: [
          {
            checkId: "document.accept-xml",
            type: "response.schema",
            requirement: `GET /api/connections answers 200 ${hostile}`,
            observed: `The server answered 406 (text/html): ${hostile}`,
            request: `GET http://127.0.0.1:1/api/connections?x=${hostile}`,
            curl: `curl -sS -i 'http://127.0.0.1:1/api/connections' -H "Authorization: bearer $MGMTKIT_TOKEN" ${hostile}`,
            fingerprint: "0123456789ab",
            // Fields a generated case adds, which the page shows by name.
            seed: 1234,
            shrunkRequest: `POST /api/connections\n${hostile}`,
          } as SuiteReport["checks"][number]["failures"][number],
        ],
      },
      {
        id: "token.form",
        profile: "core",
        title: "Token",
        requirement: "r",
        source: '"A token is obtained using the POST method" (API endpoint)',
        status: "passed",
        durationMs: 1,
        requests: 1,
        failures: [],
      },
    ],
    coverage: [
      {
        operationId: "listConnections",
        method: "GET",
        path: "/api/connections",
        requests: 3,
        statuses: { "200": 2, "401": 0, "5XX": 0 },
        undocumented: { "406": 1 },
      },
    ],
    ...extra,
  } as SuiteReport;
}

/** The text between an opening tag and its end, as the page holds it. */
function inline(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map(
    (m) => m[1] ?? "",
  );
}

describe("htmlReport", () => {
  const html = htmlReport(report({ seed: 987654321 }));

  it("escapes every text of the report: a hostile body adds no markup", () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
    // The page's own script and nothing else.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<a ");
    // No element of the page carries a handler, a link or a source.
    expect(html).not.toMatch(/<[^>]*\s(on[a-z]+|href|src)=/);
    expect(html).toContain("&lt;script&gt;window.pwned = 1&lt;/script&gt;");
    expect(html).toContain("http://127.0.0.1:1/&lt;b&gt;");
  });

  it("allows only its own inline style and script, by hash, and nothing from the network", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    if (!csp) throw new Error("no Content-Security-Policy");
    const policy = csp.replaceAll("&#39;", "'");
    expect(policy).toMatch(/^default-src 'none'; /);
    const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const [style] = inline(html, "style");
    const [script] = inline(html, "script");
    expect(policy).toContain(`style-src ${sha(style ?? "")}`);
    expect(policy).toContain(`script-src ${sha(script ?? "")}`);
    expect(policy).not.toContain("unsafe-inline");
  });

  it("shows the fields it does not know by name: a seed, a shrunk request", () => {
    expect(html).toMatch(/<dt>Seed<\/dt><dd><code>987654321<\/code><\/dd>/);
    expect(html).toMatch(/data-field="seed"><span class="label">Seed<\/span><code>1234<\/code>/);
    expect(html).toMatch(
      /data-field="shrunkRequest"><span class="label">Shrunk request<\/span><pre>POST \/api\/connections\n&lt;\/pre&gt;/,
    );
  });

  it("marks known and new failures when the run has a baseline, and lists the fixed", () => {
    const base = report();
    const withBaseline = htmlReport({
      ...base,
      checks: base.checks.map((c) => ({
        ...c,
        failures: c.failures.map((f) => ({ ...f, known: true })),
      })),
      baseline: {
        file: "contract-baseline.json",
        strict: false,
        known: 1,
        new: 0,
        fixed: [{ check: "token.form", fingerprint: "aaaaaaaaaaaa", comment: hostile }],
        notRun: [],
      },
    });
    expect(withBaseline).toContain('<span class="verdict pass">PASS</span>');
    expect(withBaseline).toContain('<span class="badge known">known</span>');
    expect(withBaseline).toMatch(
      /<li><code>token\.form<\/code> <code>aaaaaaaaaaaa<\/code> — &lt;\/pre&gt;/,
    );
    expect(html).toContain('<span class="verdict fail">FAIL</span>');
    expect(html).not.toContain("badge known");
  });

  it("opens with the root causes, paints server errors red and shows a generated case as requests", () => {
    const base = report();
    const [failing] = base.checks;
    const failure = {
      ...failing?.failures[0],
      answer: { method: "POST", path: "/api/connections", status: 500 },
      case: {
        phase: "generated",
        id: "createConnection/invalid/json-array#0",
        kind: "invalid",
        description: `a JSON array as the body ${hostile}`,
        caseSeed: 7,
        shrinks: 3,
        steps: ["curl -X POST first-step", "curl -X POST the-failing-one"],
      },
    } as SuiteReport["checks"][number]["failures"][number];
    const page = htmlReport({
      ...base,
      seed: 42,
      generated: { cases: 300, sequences: 5 },
      checks: base.checks.map((c, i) => (i === 0 ? { ...c, failures: [failure] } : c)),
      coverage: [
        {
          ...(base.coverage[0] as SuiteReport["coverage"][number]),
          statuses: { "200": 2, "5XX": 28 },
        },
      ],
      causes: [
        {
          summary: "POST /api/connections answers 500 (a server error)",
          kind: "server-error",
          answer: { method: "POST", path: "/api/connections", status: 500 },
          checks: ["document.accept-xml", "token.form"],
          failures: 33,
          curl: `curl -X POST ${hostile}`,
        },
      ],
    });
    const causes = page.indexOf('<section id="causes">');
    expect(causes).toBeGreaterThan(0);
    expect(causes).toBeLessThan(page.indexOf('<section id="summary">'));
    expect(page).toMatch(
      /<strong>POST \/api\/connections answers 500 \(a server error\)<\/strong>: explains 33 failures of 2 checks/,
    );
    expect(page).toMatch(/<td class="server-error" data-status="5XX"[^>]*>28</);
    expect(page).toContain("<dt>Generated</dt><dd>300 generated cases and 5 stateful sequences");
    expect(page).toMatch(
      /<span class="label">Generated case<\/span><p><code>createConnection\/invalid\/json-array#0<\/code> \(invalid\): a JSON array as the body &lt;\/pre&gt;/,
    );
    expect(page).toContain('<pre class="curl">curl -X POST first-step</pre>');
    // Neither the case nor the answer is dumped as JSON.
    expect(page).not.toContain('data-field="case"');
    expect(page).not.toContain('data-field="answer"');
    expect(page).not.toContain("&quot;phase&quot;");
  });
});
