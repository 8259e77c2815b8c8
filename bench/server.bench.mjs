// Throughput of the reference server (`mgmtkit-server`) against two baselines measured in the same
// run: Prism 5 mocking the same spec (the usual stand-in people reach for), and a bare fastify route
// answering the same JSON (the ceiling: the framework with no storage, tokens or validation).
// Every server runs in its own process; autocannon drives them one at a time from this one. Each
// measurement is repeated in interleaved rounds (every target once per round) and the median is
// kept, so that a slow moment of a shared machine does not land on one target only.
// Targets: at least 2x Prism and at least 50% of the bare route. Figures vary with the machine;
// nothing here fails on a timing.
// PostgreSQL rows: the same server on a throwaway PostgreSQL cluster (fsync on, as in production),
// one instance, and two instances on one database with the load split between them; printed as
// ratios to the SQLite file. Token issuance: POST /oauth/token on a file whose token table starts
// empty, and on one that starts with 100,000 live tokens (of other clients, so none is pruned).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteStore } from "@mgmtkit/reference-server";
import { startTestPostgres } from "@mgmtkit/reference-server/testing";
import { exampleConnections } from "@mgmtkit/spec/model";
import autocannon from "autocannon";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const specFile = require.resolve("@mgmtkit/spec/openapi.json");
const serverCli = join(
  dirname(require.resolve("@mgmtkit/reference-server/package.json")),
  "dist",
  "cli.js",
);
const prismCli = join(here, "node_modules", ".bin", "prism");

const DURATION = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 10;
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function start(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  children.push(child);
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  child.on("exit", (code) => {
    if (code && !child.stopping) console.error(`${command} exited ${code}: ${output.slice(-500)}`);
  });
  return { child, output: () => output };
}

async function waitFor(url, headers, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return res.json();
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForOutput(proc, pattern, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.output())) {
    if (Date.now() > deadline)
      throw new Error(`no ${pattern} within ${timeoutMs} ms: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/** Requests per second of `GET /api/connections`; `duration` 1 for a warm-up. */
async function measureList(base, headers, duration = DURATION, connections = CONNECTIONS) {
  const r = await run({ url: `${base}/api/connections`, headers, duration, connections });
  return { rps: r.requests.average, non2xx: r.non2xx + r.errors, p99: r.latency.p99 };
}

// Names are never reused across runs: a run may stop between a create and its delete.
let counter = 0;

/** Requests per second of a stream of create + delete pairs, each connection on its own names. */
async function measureCreateDelete(
  base,
  headers,
  label,
  duration = DURATION,
  connections = CONNECTIONS,
) {
  const requests = [
    {
      method: "POST",
      path: "/api/connections",
      setupRequest: (req, context) => {
        context.name = `bench-${label}-${counter++}`;
        return {
          ...req,
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ ...exampleConnections.office365, name: context.name }),
        };
      },
    },
    {
      method: "DELETE",
      setupRequest: (req, context) => ({
        ...req,
        headers,
        path: `/api/connections/${context.name}`,
      }),
    },
  ];
  const r = await run({ url: base, requests, duration, connections });
  return { rps: r.requests.average, non2xx: r.non2xx + r.errors, p99: r.latency.p99 };
}

/** Requests per second of `POST /oauth/token` with the right credentials. */
async function measureTokens(base, duration = DURATION) {
  const r = await run({
    url: `${base}/oauth/token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "client_id=bench&client_secret=bench-secret&grant_type=client_credentials",
    duration,
  });
  return { rps: r.requests.average, non2xx: r.non2xx + r.errors, p99: r.latency.p99 };
}

/** Runs `measure` on each server at once, splitting the connections: the sum of their rates. */
async function split(servers, measure) {
  const results = await Promise.all(servers.map((server) => measure(server)));
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    p99: Math.max(...results.map((r) => r.p99)),
  };
}

/** Starts `mgmtkit-server` as people run it (the CLI) and obtains a token from it. */
async function startMgmtkit(db, extraArgs = []) {
  const port = await freePort();
  const proc = start(process.execPath, [
    serverCli,
    "--port",
    String(port),
    "--db",
    db,
    "--client-id",
    "bench",
    "--client-secret",
    "bench-secret",
    ...extraArgs,
  ]);
  const base = `http://127.0.0.1:${port}`;
  await waitForOutput(proc, /listening on/);
  const res = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "client_id=bench&client_secret=bench-secret&grant_type=client_credentials",
  });
  return { base, auth: { authorization: `Bearer ${(await res.json()).access_token}` } };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-bench-"));
let postgres;
try {
  // The default: a SQLite file, each write acknowledged once committed (it survives kill -9).
  const file = await startMgmtkit(join(dir, "bench.sqlite"));
  // Each write acknowledged once the log is synced to disk (it survives a power loss too).
  const full = await startMgmtkit(join(dir, "full.sqlite"), ["--synchronous", "full"]);
  // An in-memory database: what the storage costs at all.
  const memory = await startMgmtkit(":memory:");
  const listBody = await waitFor(`${file.base}/api/connections`, file.auth);

  // PostgreSQL: one instance on a database, and two instances on another one.
  postgres = await startTestPostgres({ fsync: true });
  const pgOne = await startMgmtkit(await postgres.createDatabase("bench_one"));
  const pgUrl = await postgres.createDatabase("bench_two");
  const pgTwo = [await startMgmtkit(pgUrl), await startMgmtkit(pgUrl)];

  // Token issuance: a token table empty at the start, and one of 100,000 live tokens.
  const tokensEmpty = await startMgmtkit(join(dir, "tokens-empty.sqlite"));
  const largeFile = join(dir, "tokens-large.sqlite");
  const filling = openSqliteStore(largeFile);
  const far = Date.now() + 86_400_000;
  for (let i = 0; i < 100_000; i += 5000) {
    await Promise.all(
      Array.from({ length: 5000 }, (_, j) =>
        filling.saveToken({
          hash: `filler-${i + j}`,
          clientId: `old-client-${(i + j) % 100}`,
          issuedAt: i + j,
          expiresAt: far,
        }),
      ),
    );
  }
  await filling.close();
  const tokensLarge = await startMgmtkit(largeFile);

  // A bare fastify route answering the same list, and a create/delete that only echo.
  const barePort = await freePort();
  const bareCode = `
    import Fastify from "fastify";
    const list = ${JSON.stringify(listBody)};
    const app = Fastify();
    let n = 0;
    app.get("/api/connections", async () => list);
    app.post("/api/connections", async (req, reply) => reply.code(201).send({ id: "con_" + n++, client_id: "bench", ...req.body }));
    app.delete("/api/connections/:name", async () => ({ removed: "con_" + n }));
    await app.listen({ host: "127.0.0.1", port: ${barePort} });
  `;
  start(process.execPath, ["--input-type=module", "-e", bareCode], { cwd: here });
  const bare = { base: `http://127.0.0.1:${barePort}`, auth: file.auth };

  // Prism in mock mode on the same spec, logging only errors so that logging does not slow it down.
  const prismPort = await freePort();
  start(prismCli, [
    "mock",
    specFile,
    "-h",
    "127.0.0.1",
    "-p",
    String(prismPort),
    "--verboseLevel",
    "error",
  ]);
  const prism = { base: `http://127.0.0.1:${prismPort}`, auth: file.auth };

  await waitFor(`${bare.base}/api/connections`, {});
  await waitFor(`${prism.base}/api/connections`, prism.auth);

  const list = (server) => (duration) => measureList(server.base, server.auth, duration);
  const createDelete = (server, label) => (duration) =>
    measureCreateDelete(server.base, server.auth, label, duration);
  const targets = [
    ["GET /api/connections", "mgmtkit-server (SQLite)", list(file)],
    ["GET /api/connections", "Prism 5.14.2 mock", list(prism)],
    ["GET /api/connections", "bare fastify route", list(bare)],
    ["GET /api/connections", "mgmtkit-server (PostgreSQL)", list(pgOne)],
    [
      "GET /api/connections",
      "mgmtkit-server (PostgreSQL x2)",
      (duration) =>
        split(pgTwo, (s) => measureList(s.base, s.auth, duration, CONNECTIONS / pgTwo.length)),
    ],
    ["create + delete", "mgmtkit-server (SQLite)", createDelete(file, "m")],
    ["create + delete", "mgmtkit-server (PostgreSQL)", createDelete(pgOne, "pg1")],
    [
      "create + delete",
      "mgmtkit-server (PostgreSQL x2)",
      (duration) =>
        split(pgTwo, (s) =>
          measureCreateDelete(
            s.base,
            s.auth,
            `pg2-${s.base.slice(-5)}`,
            duration,
            CONNECTIONS / pgTwo.length,
          ),
        ),
    ],
    ["create + delete", "mgmtkit-server (full sync)", createDelete(full, "f")],
    ["create + delete", "mgmtkit-server (:memory:)", createDelete(memory, "mem")],
    ["create + delete", "Prism 5.14.2 mock", createDelete(prism, "p")],
    ["create + delete", "bare fastify route", createDelete(bare, "b")],
    ["POST /oauth/token", "mgmtkit-server (0 tokens)", (d) => measureTokens(tokensEmpty.base, d)],
    [
      "POST /oauth/token",
      "mgmtkit-server (100k tokens)",
      (d) => measureTokens(tokensLarge.base, d),
    ],
  ].map(([what, target, measure]) => ({ what, target, measure, runs: [] }));

  console.log(
    `autocannon: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION} s per target after a 1 s warm-up; medians\n`,
  );
  for (const t of targets) await t.measure(1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) t.runs.push(await t.measure(DURATION));
  }

  const rps = {};
  for (const t of targets) {
    const values = t.runs.map((r) => r.rps);
    const non2xx = t.runs.reduce((sum, r) => sum + r.non2xx, 0);
    rps[`${t.what}|${t.target}`] = median(values);
    console.log(
      `${t.what.padEnd(22)} ${t.target.padEnd(32)} ${median(values).toFixed(0).padStart(7)} req/s` +
        `  (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})` +
        `  p99 ${String(median(t.runs.map((r) => r.p99))).padStart(3)} ms` +
        (non2xx ? `  (${non2xx} non-2xx or errors)` : ""),
    );
    t.non2xx = non2xx;
  }

  const of = (what, target) => rps[`${what}|${target}`];
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const pct = (a, b) => `${((100 * a) / b).toFixed(0)}%`;
  const line = (what, target) =>
    `${`${what}, ${target}`.padEnd(46)} vs Prism ${ratio(of(what, target), of(what, "Prism 5.14.2 mock")).padStart(6)}` +
    `   vs bare route ${pct(of(what, target), of(what, "bare fastify route")).padStart(4)}`;
  console.log("\nratios (targets: >= 2x Prism, >= 50% of the bare route)");
  console.log(line("GET /api/connections", "mgmtkit-server (SQLite)"));
  console.log(line("create + delete", "mgmtkit-server (SQLite)"));
  console.log(line("create + delete", "mgmtkit-server (full sync)"));
  console.log(line("create + delete", "mgmtkit-server (:memory:)"));
  const vsSqlite = (what, target) =>
    console.log(
      `${`${what}, ${target}`.padEnd(46)} vs SQLite file ${ratio(of(what, target), of(what, "mgmtkit-server (SQLite)")).padStart(6)}`,
    );
  console.log("\nPostgreSQL (fsync on; two instances share the load and the database)");
  vsSqlite("GET /api/connections", "mgmtkit-server (PostgreSQL)");
  vsSqlite("GET /api/connections", "mgmtkit-server (PostgreSQL x2)");
  vsSqlite("create + delete", "mgmtkit-server (PostgreSQL)");
  vsSqlite("create + delete", "mgmtkit-server (PostgreSQL x2)");
  console.log("\ntoken issuance under a large token table");
  console.log(
    `${"POST /oauth/token, 100,000 tokens".padEnd(46)} vs empty table ${pct(of("POST /oauth/token", "mgmtkit-server (100k tokens)"), of("POST /oauth/token", "mgmtkit-server (0 tokens)")).padStart(4)}`,
  );
  const bad = targets.filter((t) => t.non2xx > 0 && t.target.startsWith("mgmtkit"));
  if (bad.length > 0) {
    console.error(
      "mgmtkit-server answered non-2xx during the run; the figures above are not comparable.",
    );
    process.exitCode = 1;
  }
} finally {
  for (const child of children) {
    child.stopping = true;
    child.kill("SIGTERM");
  }
  await new Promise((r) => setTimeout(r, 300));
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
}
