// Wall time of a full `core` run of the conformance suite against the reference server, with the
// number of requests it sent, generated cases and stateful sequences included (the default run).
// Baseline: the same number of plain fetch requests to the same kind of freshly started reference
// server, so the ratio shows what the suite's checks and reports cost over the HTTP round trips
// themselves. The cold CLI run (node start, imports, every check, the JSON report) is what a user
// waits for; the generated cases per second are those of the generated phase alone.
// Target: the default cold CLI run under 5 s on the development machine.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";

const { runSuite } = await import("@mgmtkit/contract");
const { startServer } = await import("@mgmtkit/reference-server");

const ms = (value) => `${value.toFixed(0)} ms`;
const fresh = () => startServer({ host: "127.0.0.1", port: 0, db: ":memory:", logger: false });

async function suiteRun() {
  const server = await fresh();
  try {
    const started = performance.now();
    const report = await runSuite({
      baseUrl: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      profile: "core",
    });
    const wall = performance.now() - started;
    if (report.summary.failed > 0)
      throw new Error(`the reference server failed ${report.summary.failed} checks`);
    return {
      wall,
      requests: report.requests,
      checks: report.summary.total,
      ...generatedRate(report),
    };
  } finally {
    await server.close();
  }
}

/** Generated cases, and how many the generated phase sent per second. */
function generatedRate(report) {
  const ms = report.checks
    .filter((c) => c.id.startsWith("generated."))
    .reduce((sum, c) => sum + c.durationMs, 0);
  return { cases: report.generated.cases, casesPerSecond: (report.generated.cases * 1000) / ms };
}

async function baseline(requests) {
  const server = await fresh();
  const started = performance.now();
  const { access_token } = await fetch(`${server.url}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({
      client_id: server.clientId,
      client_secret: server.clientSecret,
      grant_type: "client_credentials",
    }),
  }).then((r) => r.json());
  for (let i = 1; i < requests; i++) {
    const answer = await fetch(`${server.url}/api/connections`, {
      headers: { authorization: `bearer ${access_token}` },
    });
    await answer.arrayBuffer();
  }
  const wall = performance.now() - started;
  await server.close();
  return wall;
}

async function cliRun() {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("@mgmtkit/contract/package.json")), "dist", "cli.js");
  const server = await fresh();
  try {
    return await new Promise((resolve, reject) => {
      const started = performance.now();
      execFile(
        process.execPath,
        [
          cli,
          "run",
          "--base-url",
          server.url,
          "--client-id",
          server.clientId,
          "--reporter",
          "json",
        ],
        {
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, MGMTKIT_CLIENT_SECRET: server.clientSecret },
        },
        (error, stdout) => {
          if (error) return reject(error);
          const report = JSON.parse(stdout);
          resolve({
            wall: performance.now() - started,
            requests: report.requests,
            seed: report.seed,
            ...generatedRate(report),
          });
        },
      );
    });
  } finally {
    await server.close();
  }
}

// First: the cold run pays for the suite's lazy set-up (ajv compiling the spec's schemas).
const cold = await suiteRun();
const warm = [];
for (let i = 0; i < 3; i++) warm.push(await suiteRun());
const bestWarm = warm.reduce((a, b) => (a.wall < b.wall ? a : b));
const base = [];
for (let i = 0; i < 3; i++) base.push(await baseline(bestWarm.requests));
const bestBase = Math.min(...base);
const cli = await cliRun();

console.log(
  `core checks: ${cold.checks}, requests per run: ${cold.requests}, generated cases: ${cold.cases}`,
);
console.log(`suite, cold (first run in this process):                ${ms(cold.wall)}`);
console.log(`suite, warm (best of 3):                                ${ms(bestWarm.wall)}`);
console.log(
  `CLI process, cold (node start, imports, checks, JSON report): ${ms(cli.wall)} for ${cli.requests} requests (seed ${cli.seed})`,
);
console.log(
  `generated cases per second: ${cli.casesPerSecond.toFixed(0)} (CLI run), ${bestWarm.casesPerSecond.toFixed(0)} (warm)`,
);
console.log(
  `baseline: ${bestWarm.requests} plain fetch requests (best of 3):         ${ms(bestBase)}`,
);
console.log(`ratio suite warm / baseline: ${(bestWarm.wall / bestBase).toFixed(2)}x`);
console.log(
  `target: default CLI run under 5000 ms -> ${cli.wall < 5000 ? "met" : "missed"} (${ms(cli.wall)})`,
);
