// Wall time of a full `core` run of the conformance suite against the reference server, with the
// number of requests it sent, generated cases and stateful sequences included (the default run).
// Baseline: the same number of plain fetch requests to the same kind of freshly started reference
// server, so the ratio shows what the suite's checks and reports cost over the HTTP round trips
// themselves. The cold CLI run (node start, imports, every check, the JSON report) is what a user
// waits for.
//
// Then the same runs over a real network's latency: a small TCP proxy on loopback adds a fixed
// 25 ms each way (a 50 ms round trip, an ordinary same-continent link; a new connection pays one
// more round trip for its handshake) in front of the reference server. The core run at
// --concurrency 1 (one request after the other, the suite before concurrency) and at the default,
// beside the local run; the hand-written checks alone as well (the run of issue 18: 169 requests,
// 9.4 s at 50 ms); and the generated cases per second at --concurrency 1, 4 and 8.
// Targets: the default cold CLI run under 5 s locally; the hand-written core checks over a 50 ms
// round trip under 2 s at the default concurrency; generated cases per second growing close to
// linearly with the concurrency up to 8.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import net from "node:net";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";

const { runSuite } = await import("@mgmtkit/contract");
const { startServer } = await import("@mgmtkit/reference-server");

const ms = (value) => `${value.toFixed(0)} ms`;
const fresh = () => startServer({ host: "127.0.0.1", port: 0, db: ":memory:", logger: false });
/** The seed of every run here, so that each sends the same cases. */
const SEED = 18;
/** Added to each direction: a 50 ms round trip. */
const ONE_WAY_MS = 25;
const DEFAULT_CONCURRENCY = 8;

/**
 * A TCP proxy that holds every chunk ONE_WAY_MS before passing it on, in order, both ways; the
 * first bytes of a connection wait one round trip more, as a TCP handshake makes them.
 */
async function startLatencyProxy(target, oneWayMs) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    const accepted = performance.now();
    const relay = (from, to, earliest) => {
      let last = 0;
      const later = (action) => {
        const at = Math.max(performance.now() + oneWayMs, last, earliest);
        last = at;
        setTimeout(action, at - performance.now());
      };
      from.on("data", (chunk) => later(() => to.destroyed || to.write(chunk)));
      from.on("end", () => later(() => to.end()));
      from.on("close", () => later(() => to.destroy()));
    };
    relay(client, upstream, accepted + 3 * oneWayMs);
    relay(upstream, client, 0);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Generated cases, and how many the generated phase sent per second of its checks. */
function generatedRate(report) {
  const spent = report.checks
    .filter((c) => c.id.startsWith("generated."))
    .reduce((sum, c) => sum + c.durationMs, 0);
  return {
    cases: report.generated.cases,
    casesPerSecond: (report.generated.cases * 1000) / spent,
  };
}

/** One run against a fresh reference server, directly or through the latency proxy. */
async function suiteRun({ latency = false, concurrency = DEFAULT_CONCURRENCY, ...options } = {}) {
  const server = await fresh();
  const proxy = latency ? await startLatencyProxy(server.url, ONE_WAY_MS) : undefined;
  try {
    const started = performance.now();
    const report = await runSuite({
      baseUrl: proxy?.url ?? server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      profile: "core",
      seed: SEED,
      concurrency,
      ...options,
    });
    const wall = performance.now() - started;
    if (report.summary.failed > 0)
      throw new Error(`the reference server failed ${report.summary.failed} checks`);
    return {
      wall,
      requests: report.requests,
      checks: report.summary.total,
      connections: report.network.connections,
      ...(report.generated.cases > 0 ? generatedRate(report) : {}),
    };
  } finally {
    await proxy?.close();
    await server.close();
  }
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

const best = (runs) => runs.reduce((a, b) => (a.wall < b.wall ? a : b));
async function bestOf(n, options) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await suiteRun(options));
  return best(runs);
}

// Locally. First: the cold run pays for the suite's lazy set-up (ajv compiling the spec's schemas).
const cold = await suiteRun();
const warm = await bestOf(3);
const warmOne = await bestOf(3, { concurrency: 1 });
const base = [];
for (let i = 0; i < 3; i++) base.push(await baseline(warm.requests));
const bestBase = Math.min(...base);
const cli = await cliRun();
/** The generated checks of the operations with a body: most of the generated cases. */
const generatedOnly = { only: ["generated.create-connection", "generated.update-connection"] };
const localCases = await bestOf(3, generatedOnly);
const localCasesOne = await bestOf(3, { concurrency: 1, ...generatedOnly });

console.log(
  `core checks: ${cold.checks}, requests per run: ${cold.requests}, generated cases: ${cold.cases} (seed ${SEED})`,
);
console.log(`suite, cold (first run in this process):                ${ms(cold.wall)}`);
console.log(
  `suite, warm (best of 3), --concurrency ${DEFAULT_CONCURRENCY}:                 ${ms(warm.wall)}`,
);
console.log(`suite, warm (best of 3), --concurrency 1:                 ${ms(warmOne.wall)}`);
console.log(
  `CLI process, cold (node start, imports, checks, JSON report): ${ms(cli.wall)} for ${cli.requests} requests (seed ${cli.seed})`,
);
const perSecond = (run) => ((run.cases * 1000) / run.wall).toFixed(0);
console.log(
  `generated cases per second, local, the two generated checks of the body-carrying operations alone (${localCases.cases} cases, best of 3): ${perSecond(localCases)} at --concurrency ${DEFAULT_CONCURRENCY}, ${perSecond(localCasesOne)} at 1`,
);
console.log(`baseline: ${warm.requests} plain fetch requests (best of 3):         ${ms(bestBase)}`);
console.log(
  `ratio suite warm (--concurrency 1) / baseline: ${(warmOne.wall / bestBase).toFixed(2)}x`,
);
console.log(
  `target: default CLI run under 5000 ms -> ${cli.wall < 5000 ? "met" : "missed"} (${ms(cli.wall)})`,
);

// Over a 50 ms round trip.
const handWritten = { skip: ["generated", "stateful"] };
const rows = [
  ["core, local", warm],
  ["core, 50 ms, --concurrency 1", await suiteRun({ latency: true, concurrency: 1 })],
  [
    `core, 50 ms, --concurrency ${DEFAULT_CONCURRENCY} (default)`,
    await bestOf(2, { latency: true }),
  ],
  ["hand-written checks, local", await bestOf(3, handWritten)],
  [
    "hand-written checks, 50 ms, --concurrency 1",
    await suiteRun({ latency: true, concurrency: 1, ...handWritten }),
  ],
  [
    `hand-written checks, 50 ms, --concurrency ${DEFAULT_CONCURRENCY} (default)`,
    await bestOf(2, { latency: true, ...handWritten }),
  ],
];
console.log("");
console.log(`over a ${2 * ONE_WAY_MS} ms round trip (latency proxy on loopback):`);
for (const [name, run] of rows) {
  console.log(
    `  ${name.padEnd(52)} ${ms(run.wall).padStart(9)}  ${run.requests} requests, ${run.connections.opened} connections opened`,
  );
}
const handWrittenDefault = rows.at(-1)[1];
const coreOne = rows[1][1];
const coreDefault = rows[2][1];
console.log(
  `  ratio --concurrency 1 / ${DEFAULT_CONCURRENCY}: core ${(coreOne.wall / coreDefault.wall).toFixed(1)}x, hand-written ${(rows[4][1].wall / handWrittenDefault.wall).toFixed(1)}x`,
);
console.log(
  `  target: hand-written core checks at 50 ms under 2000 ms at the default concurrency -> ${handWrittenDefault.wall < 2000 ? "met" : "missed"} (${ms(handWrittenDefault.wall)})`,
);

// Generated cases per second over the same link, one operation's cases spread over the slots.
const rates = [];
for (const concurrency of [1, 4, 8]) {
  const run = await suiteRun({ latency: true, concurrency, ...generatedOnly });
  rates.push([concurrency, run]);
}
const [, one] = rates[0];
console.log("");
console.log(
  `generated cases per second at ${2 * ONE_WAY_MS} ms (${one.cases} cases of createConnection and updateConnection):`,
);
for (const [concurrency, run] of rates) {
  console.log(
    `  --concurrency ${String(concurrency).padEnd(2)} ${run.casesPerSecond.toFixed(1).padStart(7)} cases/s  (${(run.casesPerSecond / one.casesPerSecond).toFixed(2)}x of --concurrency 1, linear would be ${concurrency}x)`,
  );
}
