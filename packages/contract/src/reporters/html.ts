import { createHash } from "node:crypto";
import { inert } from "@mgmtkit/spec/secrets";
import { runFails } from "../baseline.js";
import type { CheckResult, Failure, OperationCoverage, SuiteReport } from "../types.js";

/**
 * One self-contained HTML page: its CSS and its few lines of script inline, no font, image or
 * request to anywhere (its Content-Security-Policy forbids them), so it opens from a CI
 * artefact, a mail attachment or a phone. Every text of the report is escaped: the server under
 * test wrote some of it.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text as HTML, safe in element content and in quoted attribute values; its control characters
 * but the line break shown as escapes (`\x1b`), so that the page, saved as text or read in a
 * terminal, is as inert as the other reports.
 */
export function escapeHtml(text: unknown): string {
  return String(text)
    .split("\n")
    .map(inert)
    .join("\n")
    .replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const esc = escapeHtml;

const STYLE = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#5b636d;--line:#d8dde3;--card:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--skip:#9a6700;--known:#8250df;--on:#fff;
--h1:#dafbe1;--h2:#aceebb;--h3:#6fdd8b;--h4:#1a7f37;--miss:#eef1f4;--undoc:#ffd8d3;--code:#f6f8fa;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--card:#161b22;--pass:#3fb950;--fail:#f85149;--skip:#d29922;--known:#a371f7;--on:#0d1117;
--h1:#033a16;--h2:#045b22;--h3:#16692d;--h4:#2ea043;--miss:#1c2128;--undoc:#5d1f1a;--code:#161b22}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem}
h1{font-size:1.35rem;margin:.25rem 0}
h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1rem;margin:1.25rem 0 .5rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.verdict{display:inline-block;font-weight:700;padding:.1rem .6rem;border-radius:1rem;color:var(--on)}
.verdict.pass{background:var(--pass)}.verdict.fail{background:var(--fail)}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(7.5rem,1fr));gap:.5rem;margin:1rem 0}
.count{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem}
.count b{display:block;font-size:1.4rem}
.count.failed b{color:var(--fail)}.count.passed b{color:var(--pass)}.count.skipped b{color:var(--skip)}.count.known b{color:var(--known)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.note{background:var(--card);border-left:3px solid var(--skip);padding:.5rem .75rem;margin:.75rem 0}
.scroll{position:relative;overflow-x:auto;border:1px solid var(--line);border-radius:.5rem;max-width:100%}
table.matrix{border-collapse:collapse;font-size:.85rem;min-width:100%}
.matrix th,.matrix td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:center;white-space:nowrap}
.matrix thead th{position:sticky;top:0;background:var(--card)}
.matrix th.op{position:sticky;left:0;background:var(--bg);text-align:left;font-weight:500;z-index:1}
.matrix thead th.op{background:var(--card);z-index:2}
.matrix td.na{color:var(--line)}
.matrix td.miss{background:var(--miss);color:var(--muted);background-image:repeating-linear-gradient(45deg,transparent 0 4px,var(--line) 4px 5px)}
.matrix td.h1{background:var(--h1)}.matrix td.h2{background:var(--h2)}.matrix td.h3{background:var(--h3)}.matrix td.h4{background:var(--h4);color:var(--on)}
.matrix td.undoc{background:var(--undoc);color:var(--fail);font-weight:700}
.matrix td.server-error{background:var(--undoc);color:var(--fg);font-weight:700}
#causes ol{padding-left:1.25rem}#causes li{margin:.5rem 0}
.method{font:600 .75rem ui-monospace,SFMono-Regular,Menlo,monospace;margin-right:.35rem}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1rem;font-size:.85rem;color:var(--muted);margin:.5rem 0}
.legend span::before{content:"";display:inline-block;width:.9rem;height:.9rem;border-radius:.2rem;vertical-align:-.15rem;margin-right:.3rem;border:1px solid var(--line)}
.legend .l-hit::before{background:var(--h3)}.legend .l-miss::before{background:var(--miss);background-image:repeating-linear-gradient(45deg,transparent 0 3px,var(--line) 3px 4px)}
.legend .l-undoc::before,.legend .l-err::before{background:var(--undoc)}.legend .l-na::before{background:transparent}
.toggle{position:absolute;opacity:0;width:1px;height:1px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.filter{display:inline-flex;align-items:center;gap:.4rem;cursor:pointer;user-select:none;border:1px solid var(--line);border-radius:1rem;padding:.3rem .8rem;background:var(--card);margin:.25rem 0}
.filter::before{content:"";width:.9rem;height:.9rem;border:2px solid var(--muted);border-radius:.2rem}
#failed-only:checked~#checks .filter{border-color:var(--fail)}
#failed-only:checked~#checks .filter::before{background:var(--fail);border-color:var(--fail)}
#failed-only:focus-visible~#checks .filter{outline:2px solid var(--fg);outline-offset:2px}
#failed-only:checked~#checks .check:not(.failed),#failed-only:checked~#checks .group:not(.has-failed){display:none}
details.check{border:1px solid var(--line);border-radius:.5rem;margin:.4rem 0;background:var(--bg)}
details.check>summary{cursor:pointer;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.25rem .6rem;align-items:baseline;list-style:none}
details.check>summary::-webkit-details-marker{display:none}
details.check[open]>summary{border-bottom:1px solid var(--line)}
.status{font-weight:700;font-size:.8rem;text-transform:uppercase;min-width:3.5rem}
.passed .status{color:var(--pass)}.failed .status{color:var(--fail)}.skipped .status{color:var(--skip)}
.check-id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:600}
.meta{color:var(--muted);font-size:.85rem;margin-left:auto}
.body{padding:.5rem .75rem}
.body p{margin:.35rem 0}
.label{color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;display:block}
.failure{border-left:3px solid var(--fail);padding:.5rem .75rem;margin:.75rem 0;background:var(--card);border-radius:0 .5rem .5rem 0}
.failure.known{border-left-color:var(--known)}
.badge{display:inline-block;font-size:.75rem;font-weight:700;border-radius:.75rem;padding:0 .5rem;color:var(--on);background:var(--fail)}
.badge.known{background:var(--known)}.badge.rule{background:var(--muted)}
.versus{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin:.5rem 0}
@media (max-width:40rem){.versus{grid-template-columns:1fr}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.35rem}.meta{margin-left:0}}
pre{background:var(--code);border:1px solid var(--line);border-radius:.4rem;padding:.5rem;margin:.25rem 0;white-space:pre-wrap;word-break:break-all;font:.8rem/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
code{font:.85em ui-monospace,SFMono-Regular,Menlo,monospace}
button.copy{float:right;font:inherit;font-size:.75rem;border:1px solid var(--line);background:var(--bg);color:var(--fg);border-radius:.3rem;padding:.1rem .5rem;cursor:pointer}
.fixed li{margin:.2rem 0}
footer{color:var(--muted);font-size:.8rem;padding:2rem 1rem}
`;

// Progressive: the page reads and filters without it; it only adds copy buttons to reproductions.
const SCRIPT = `
for (const pre of document.querySelectorAll("pre.curl")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy";
  button.textContent = "Copy";
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(pre.textContent);
      button.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = "Selected";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
  pre.before(button);
}
`;

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** Fields of a failure this page shows in their own place; any other field is shown by name. */
const FAILURE_FIELDS = new Set([
  "checkId",
  "type",
  "requirement",
  "observed",
  "request",
  "curl",
  "fingerprint",
  "known",
  "answer",
  "case",
]);

/** Fields of a report shown in their own place; any other scalar (a seed…) joins the summary. */
const REPORT_FIELDS = new Set([
  "tool",
  "baseUrl",
  "profile",
  "startedAt",
  "durationMs",
  "interrupted",
  "requests",
  "summary",
  "checks",
  "coverage",
  "baseline",
  "traffic",
  "network",
  "stopped",
  "causes",
  "generated",
  "tokenCommand",
]);

/** `shrunkRequest` → `Shrunk request`. */
function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value of a field this page does not know: text as text, anything else as JSON. */
function anyValue(value: unknown): string {
  if (typeof value === "string") {
    return value.includes("\n") || value.length > 80
      ? `<pre>${esc(value)}</pre>`
      : `<code>${esc(value)}</code>`;
  }
  if (typeof value === "number" || typeof value === "boolean") return `<code>${esc(value)}</code>`;
  return `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Status keys in reading order: 200 before 201 before 2XX, then 4xx, then 5xx. */
function statusOrder(a: string, b: string): number {
  const rank = (key: string) => {
    const exact = /^\d{3}$/.test(key);
    return [Number(key[0]) || 9, exact ? 0 : 1, exact ? Number(key) : 0];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return a.localeCompare(b);
}

function matrix(coverage: readonly OperationCoverage[]): string {
  const keys = [
    ...new Set(
      coverage.flatMap((op) => [...Object.keys(op.statuses), ...Object.keys(op.undocumented)]),
    ),
  ].sort(statusOrder);
  const max = Math.max(1, ...coverage.flatMap((op) => Object.values(op.statuses)));
  const level = (n: number) => Math.min(4, 1 + Math.floor((3 * Math.log(n)) / Math.log(max + 1)));
  let documented = 0;
  let exercised = 0;
  let undocumented = 0;
  const rows = coverage.map((op) => {
    const cells = keys.map((key) => {
      const label = `${op.method} ${op.path} → ${key}`;
      if (key in op.statuses) {
        const n = op.statuses[key] ?? 0;
        documented += 1;
        if (n === 0) {
          return `<td class="miss" data-status="${esc(key)}" title="${esc(`${label}: documented, not exercised`)}">0</td>`;
        }
        exercised += 1;
        if (key.startsWith("5")) {
          return `<td class="server-error" data-status="${esc(key)}" title="${esc(`${label}: a server error, answered ${n}×`)}">${n}<span class="sr"> server errors</span></td>`;
        }
        return `<td class="hit h${level(n)}" data-status="${esc(key)}" title="${esc(`${label}: documented, answered ${n}×`)}">${n}</td>`;
      }
      const extra = op.undocumented[key];
      if (extra) {
        undocumented += 1;
        return `<td class="undoc" data-status="${esc(key)}" title="${esc(`${label}: not documented, answered ${extra}×`)}">${extra}<span aria-hidden="true">!</span><span class="sr"> undocumented</span></td>`;
      }
      return `<td class="na" data-status="${esc(key)}" title="${esc(`${label}: not documented`)}">·</td>`;
    });
    return `<tr data-operation="${esc(op.operationId)}"><th class="op" scope="row"><span class="method">${esc(op.method)}</span>${esc(op.path)}</th>${cells.join("")}</tr>`;
  });
  const reached = coverage.filter((op) => op.requests > 0).length;
  return `<p id="coverage-summary">${reached}/${coverage.length} operations, ${exercised}/${documented} documented statuses exercised${undocumented > 0 ? `, ${plural(undocumented, "undocumented status", "undocumented statuses")} answered` : ""}.</p>
<div class="legend"><span class="l-hit">documented, exercised (darker: more answers)</span><span class="l-miss">documented, not exercised</span><span class="l-err">server error (5xx), answered</span><span class="l-undoc">answered, not documented (!)</span><span class="l-na">· not documented</span></div>
<div class="scroll" tabindex="0" role="region" aria-label="Coverage: operations by status"><table class="matrix"><thead><tr><th class="op" scope="col">Operation</th>${keys.map((k) => `<th scope="col">${esc(k)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/** The generated case or stateful sequence behind a failure, in words and as requests. */
function caseBlock(failure: Failure): string {
  const found = failure.case;
  if (!found) return "";
  const what = found.phase === "generated" ? "Generated case" : "Stateful sequence";
  const seed =
    failure.seed === undefined
      ? ""
      : `; seed ${failure.seed} (<code>--seed ${esc(failure.seed)}</code> generates it again)`;
  // The failing request is the reproduction; the steps before it set the scene.
  const before = found.steps.slice(0, -1);
  return `<div class="case"><span class="label">${what}</span><p><code>${esc(found.id)}</code> (${esc(found.kind)}): ${esc(found.description)}${seed}, shrunk in ${plural(found.shrinks, "step", "steps")}.</p>
${before.length > 0 ? `<span class="label">Steps before it</span>${before.map((step) => `<pre class="curl">${esc(step)}</pre>`).join("")}` : ""}</div>`;
}

/** The few causes behind most failures, first on the page. */
function causesSection(report: SuiteReport): string {
  const causes = report.causes ?? [];
  if (causes.length === 0) return "";
  const items = causes.map(
    (
      cause,
    ) => `<li><p><strong>${esc(cause.summary)}</strong>: explains ${plural(cause.failures, "failure", "failures")} of ${plural(cause.checks.length, "check", "checks")} (${cause.checks.map((id) => `<code>${esc(id)}</code>`).join(", ")}).</p>
${cause.curl ? `<span class="label">Reproduce</span><pre class="curl">${esc(cause.curl)}</pre>` : ""}</li>`,
  );
  return `<section id="causes"><h2>Root causes</h2><ol>${items.join("\n")}</ol></section>`;
}

function failureBlock(failure: Failure, withBaseline: boolean): string {
  const badges = [
    ...(withBaseline
      ? [
          failure.known
            ? '<span class="badge known">known</span>'
            : '<span class="badge">new</span>',
        ]
      : []),
    ...(failure.type !== "check" ? [`<span class="badge rule">${esc(failure.type)}</span>`] : []),
  ];
  const extras = Object.entries(failure).filter(
    // A case's seed is shown with the case.
    ([key, value]) =>
      !FAILURE_FIELDS.has(key) && value !== undefined && !(key === "seed" && failure.case),
  );
  return `<div class="failure${failure.known ? " known" : ""}" data-fingerprint="${esc(failure.fingerprint ?? "")}">
${badges.length > 0 ? `<p>${badges.join(" ")}</p>` : ""}
<div class="versus"><div><span class="label">Required</span>${esc(failure.requirement)}</div><div><span class="label">Observed</span>${esc(failure.observed)}</div></div>
${failure.request ? `<p><span class="label">Request</span><code>${esc(failure.request)}</code></p>` : ""}
${caseBlock(failure)}
${failure.curl ? `<div><span class="label">Reproduce</span><pre class="curl">${esc(failure.curl)}</pre></div>` : ""}
${extras.map(([key, value]) => `<div class="extra" data-field="${esc(key)}"><span class="label">${esc(humanize(key))}</span>${anyValue(value)}</div>`).join("\n")}
${failure.fingerprint ? `<p><span class="label">Fingerprint</span><code>${esc(failure.fingerprint)}</code></p>` : ""}
</div>`;
}

function checkBlock(check: CheckResult, withBaseline: boolean, traffic: boolean): string {
  const failures = check.failures.length;
  // A proxy's rules judge exchanges they did not time.
  const meta = [
    ...(traffic ? [] : [`${check.durationMs} ms`]),
    plural(check.requests, traffic ? "exchange" : "request", traffic ? "exchanges" : "requests"),
    ...(failures > 0 ? [plural(failures, "failure", "failures")] : []),
  ].join(" · ");
  return `<details class="check ${check.status}" id="check-${esc(check.id)}"${check.status === "failed" ? " open" : ""}>
<summary><span class="status">${check.status}</span><span class="check-id">${esc(check.id)}</span><span class="title">${esc(check.title)}</span><span class="meta">${esc(meta)}</span></summary>
<div class="body">
<p><span class="label">Requirement</span>${esc(check.requirement)}</p>
<p><span class="label">Source</span>${esc(check.source)}</p>
${check.skipReason ? `<p><span class="label">Skipped</span>${esc(check.skipReason)}</p>` : ""}
${check.failures.map((f) => failureBlock(f, withBaseline)).join("\n")}
</div>
</details>`;
}

function checksSection(report: SuiteReport): string {
  const groups = new Map<string, CheckResult[]>();
  for (const check of report.checks) {
    const group = check.id.split(".")[0] ?? check.id;
    groups.set(group, [...(groups.get(group) ?? []), check]);
  }
  const withBaseline = report.baseline !== undefined;
  return [...groups.entries()]
    .map(
      ([group, checks]) =>
        `<section class="group${checks.some((c) => c.status === "failed") ? " has-failed" : ""}" data-group="${esc(group)}"><h3>${esc(group)}</h3>
${checks.map((c) => checkBlock(c, withBaseline, report.traffic !== undefined)).join("\n")}</section>`,
    )
    .join("\n");
}

function summarySection(report: SuiteReport): string {
  const { passed, failed, skipped, total } = report.summary;
  const proxy = report.traffic;
  const facts: Array<[string, string]> = [
    [proxy ? "Target" : "Server", `<code>${esc(report.baseUrl)}</code>`],
    ["Profile", esc(report.profile)],
    ...Object.entries(report)
      .filter(([key, value]) => !REPORT_FIELDS.has(key) && value !== undefined && value !== null)
      .map(([key, value]): [string, string] => [esc(humanize(key)), anyValue(value)]),
    ...(report.generated
      ? ([
          [
            "Generated",
            `${plural(report.generated.cases, "generated case", "generated cases")} and ${plural(report.generated.sequences, "stateful sequence", "stateful sequences")} (<code>--seed ${esc(report.seed)}</code> generates them again)`,
          ],
        ] as Array<[string, string]>)
      : []),
    ["Started", esc(report.startedAt)],
    ["Time", esc(`${report.durationMs} ms`)],
    [proxy ? "Exchanges" : "Requests", esc(report.requests)],
    ...(report.network
      ? ([
          [
            "Network",
            esc(
              `${report.network.concurrency} at once${report.network.rateLimit ? `, at most ${report.network.rateLimit} requests/s` : ""}${report.network.consistencyWindowMs ? `, reads ${report.network.consistencyWindowMs} ms after a check's writes` : ""}; ${plural(report.network.connections.opened, "connection", "connections")} opened, ${plural(report.network.connections.reused, "request", "requests")} on one kept alive${report.network.throttled.answers ? `; ${plural(report.network.throttled.answers, "429 answer", "429 answers")} waited out (${Math.round(report.network.throttled.waitedMs / 1000)} s)` : ""}`,
            ),
          ],
        ] as Array<[string, string]>)
      : []),
    ...(proxy
      ? ([["Listened on", `<code>${esc(proxy.listen)}</code>`]] as Array<[string, string]>)
      : []),
    ["Tool", esc(`${report.tool.name} ${report.tool.version}`)],
  ];
  const baseline = report.baseline;
  const counts = [
    ["passed", passed],
    ["failed", failed],
    ["skipped", skipped],
    ...(baseline
      ? [
          ["known", baseline.known],
          ["new", baseline.new],
        ]
      : []),
  ] as Array<[string, number]>;
  const notes: string[] = [];
  if (report.interrupted) {
    notes.push("The run was interrupted: the checks it did not reach are skipped.");
  }
  if (report.stopped) {
    notes.push(`${report.stopped.message} The checks it did not finish are skipped.`);
  }
  if (proxy) {
    notes.push(
      `Bodies larger than ${proxy.maxBodyBytes} bytes are forwarded whole but not validated: ${plural(proxy.unvalidatedBodies, "exchange", "exchanges")} had one. ${plural(proxy.incomplete, "exchange", "exchanges")} ended without a complete answer.`,
    );
  }
  let baselineBlock = "";
  if (baseline) {
    const fixed =
      baseline.fixed.length > 0
        ? `<p>Fixed${baseline.strict ? " (these fail the run: --strict-baseline)" : ""}: no longer failing as the baseline expects; remove them with <code>--update-baseline</code>.</p><ul class="fixed">${baseline.fixed
            .map(
              (e) =>
                `<li><code>${esc(e.check)}</code>${e.fingerprint ? ` <code>${esc(e.fingerprint)}</code>` : ""}${e.comment ? ` — ${esc(e.comment)}` : ""}</li>`,
            )
            .join("")}</ul>`
        : "";
    const notRun =
      baseline.notRun.length > 0
        ? `<p>${plural(baseline.notRun.length, "entry", "entries")} of checks that did not run: ${[...new Set(baseline.notRun.map((e) => e.check))].map((c) => `<code>${esc(c)}</code>`).join(", ")}.</p>`
        : "";
    baselineBlock = `<section id="baseline"><h2>Baseline</h2><p><code>${esc(baseline.file)}</code>: ${plural(baseline.known, "known failure", "known failures")} (reported, not failing the run), ${baseline.new} new.</p>${fixed}${notRun}</section>`;
  }
  return `<section id="summary">
<div class="counts">${counts.map(([name, n]) => `<div class="count ${name}"><b>${n}</b>${name}</div>`).join("")}<div class="count"><b>${total}</b>${proxy ? "rules" : "checks"}</div></div>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
${notes.map((n) => `<p class="note">${esc(n)}</p>`).join("\n")}
</section>
${baselineBlock}`;
}

/** The report as one self-contained HTML page. */
export function htmlReport(report: SuiteReport): string {
  const fails = runFails(report);
  const verdict = fails ? "FAIL" : "PASS";
  const what = report.traffic ? "mgmtkit-contract proxy" : "mgmtkit-contract";
  const failedChecks = report.checks.filter((c) => c.status === "failed").length;
  const csp = [
    "default-src 'none'",
    `style-src ${hash(STYLE)}`,
    `script-src ${hash(SCRIPT)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="referrer" content="no-referrer">
<title>${esc(`${what}: ${verdict} — ${report.baseUrl} (${report.profile})`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1><span class="verdict ${fails ? "fail" : "pass"}">${verdict}</span> ${esc(what)}</h1>
<p><code>${esc(report.baseUrl)}</code> · ${esc(report.profile)} profile · ${esc(report.startedAt)}</p>
</header>
<main>
<input type="checkbox" id="failed-only" class="toggle">
${causesSection(report)}
${summarySection(report)}
<section id="coverage"><h2>Coverage</h2>
${matrix(report.coverage)}
</section>
<section id="checks"><h2>${report.traffic ? "Rules" : "Checks"}</h2>
${
  report.tokenCommand && failedChecks > 0
    ? `<p>Each reproduction reads <code>$MGMTKIT_TOKEN</code>; with the client secret in <code>$MGMTKIT_CLIENT_SECRET</code>, set it with:</p><pre class="curl">${esc(report.tokenCommand)}</pre>`
    : ""
}
<label class="filter" for="failed-only">Failed ${report.traffic ? "rules" : "checks"} only (${failedChecks})</label>
${checksSection(report)}
</section>
</main>
<footer>${esc(`${report.tool.name} ${report.tool.version}`)} · generated ${esc(new Date().toISOString())}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
