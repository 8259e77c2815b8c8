// Throughput of the reference server (`mgmtkit-server`) against two baselines measured in the same
// run: Prism 5 mocking the same spec (the usual stand-in people reach for), and a bare fastify route
// answering the same JSON (the ceiling: the framework with no storage, tokens or validation).
// Every server runs in its own process; autocannon drives them one at a time from this one. Each
// measurement is repeated in interleaved rounds (every target once per round) and the median is
// kept, so that a slow moment of a shared machine does not land on one target only.
// Targets: at least 2x Prism and at least 50% of the bare route. Figures vary with the machine;
// nothing here fails on a timing.
// PostgreSQL rows: the same server on a throwaway PostgreSQL cluster (fsync on, as in production),
// 1, 2 and 4 instances on one database with the load split between them; printed as ratios to the
// SQLite file (reads) and to SQLite with --synchronous full (writes, the same promise: a write
// survives a power loss). Also: a mixed load (90 % list reads, 10 % creates and deletes);
// PostgreSQL's synchronous_commit off and commit_delay on one instance, to weigh what they trade;
// the coherence delay between two instances (a create acknowledged by one until a read started on
// the other sees it); and requests per second per busy core, the CPU time of the server processes
// and the database during the measurement (the load generator left out), the figure a capacity
// plan needs on a machine whose 2 cores the load generator, node and postgres all share, with
// what it is made of: CPU microseconds per request of the servers and of the database, the
// servers' context switches per request, and PostgreSQL's commits per request. Token issuance:
// POST /oauth/token on a file whose token table starts empty, and on one that starts with 100,000
// live tokens (of other clients, so none is pruned). BENCH_ONLY=<regexp> measures only the
// targets whose "<operation> <target>" matches; BENCH_COHERENCE_SAMPLES=0 skips the coherence.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
const COHERENCE_SAMPLES = Number(process.env.BENCH_COHERENCE_SAMPLES ?? 250);
// Measures only the targets whose "<operation> <target>" matches, e.g. "create.*PostgreSQL".
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, "i") : undefined;
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

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU seconds (user + system) the processes `pids` have used so far; gone processes count 0. */
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / TICKS;
}

/** Context switches of the processes `pids` so far (each time one stopped running, mostly to wait). */
function switches(pids) {
  let count = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      for (const m of status.matchAll(/ctxt_switches:\s+(\d+)/g)) count += Number(m[1]);
    } catch {}
  }
  return count;
}

/**
 * Wraps `measure` so that each result also carries `cores`, the CPU the watched processes used per
 * second of the measurement, and `cpuUs`, the CPU microseconds per request of each group of
 * processes: `servers` (the server processes) and `database` (read at the start, so that its
 * connections are counted), and `switchesPerRequest`, the servers' context switches per request
 * (how often a server process went to sleep and was woken: a fixed cost of each wake-up). With `xids`, a function answering the database's next transaction id,
 * also `xidsPerRequest`: the transactions that wrote (commits to the log) per request.
 */
function withCpu(groups, measure, xids) {
  return async (duration) => {
    const watched = groups();
    const before = Object.entries(watched).map(([group, pids]) => [group, pids, cpuSeconds(pids)]);
    const switches0 = switches(watched.servers);
    const xid0 = xids?.();
    const t0 = performance.now();
    const result = await measure(duration);
    const seconds = (performance.now() - t0) / 1000;
    const used = before.map(([group, pids, cpu0]) => [group, cpuSeconds(pids) - cpu0]);
    const switched = switches(watched.servers) - switches0;
    // Less the transaction of each question about the next id.
    const wrote = xids ? xids() - xid0 - 1 : undefined;
    const requests = Math.max(1, result.requests);
    return {
      ...result,
      cores: used.reduce((sum, [, cpu]) => sum + cpu, 0) / seconds,
      cpuUs: Object.fromEntries(used.map(([group, cpu]) => [group, (cpu * 1e6) / requests])),
      switchesPerRequest: switched / requests,
      ...(wrote === undefined ? {} : { xidsPerRequest: wrote / requests }),
    };
  };
}

/** What is kept of an autocannon result. */
const summary = (r) => ({
  rps: r.requests.average,
  requests: r.requests.total,
  non2xx: r.non2xx + r.errors,
  p99: r.latency.p99,
});

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/** Requests per second of `GET /api/connections`; `duration` 1 for a warm-up. */
async function measureList(base, headers, duration = DURATION, connections = CONNECTIONS) {
  return summary(await run({ url: `${base}/api/connections`, headers, duration, connections }));
}

// Names are never reused across runs: a run may stop between a create and its delete.
let counter = 0;

/** A create of a connection on a new name, then the delete of that name. */
function createAndDelete(headers, prefix) {
  return [
    {
      method: "POST",
      path: "/api/connections",
      setupRequest: (req, context) => {
        context.name = `${prefix}-${counter++}`;
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
}

/** Requests per second of a stream of create + delete pairs, each connection on its own names. */
async function measureCreateDelete(
  base,
  headers,
  label,
  duration = DURATION,
  connections = CONNECTIONS,
) {
  const requests = createAndDelete(headers, `bench-${label}`);
  return summary(await run({ url: base, requests, duration, connections }));
}

/**
 * Requests per second of a mixed load: per connection, 9 list reads, a create, 9 list reads, the
 * delete of that create; 10 % writes.
 */
async function measureMixed(base, headers, label, duration = DURATION, connections = CONNECTIONS) {
  const read = { method: "GET", path: "/api/connections", headers };
  const [create, remove] = createAndDelete(headers, `mixed-${label}`);
  const requests = [...Array(9).fill(read), create, ...Array(9).fill(read), remove];
  return summary(await run({ url: base, requests, duration, connections }));
}

/**
 * The coherence delay between two instances: a create acknowledged by `a`, then reads of it on
 * `b` back to back; the delay is from the acknowledgement to the start of the first read that
 * found it. Then the same for its delete, the other way round. Also, per write, the start of the
 * last read that did not find it (0 when none missed): the figure the 100 ms bound is about, since
 * the first read that found it may start late only because the one before it, started in time,
 * took long on a busy machine.
 */
async function measureCoherence(a, b, samples) {
  const delays = [];
  const misses = [];
  const seenAfter = async (server, name, present, acknowledged) => {
    let missed = 0;
    for (;;) {
      const started = performance.now();
      const res = await fetch(`${server.base}/api/connections/${name}`, { headers: server.auth });
      await res.arrayBuffer();
      if ((res.status === 200) === present) {
        misses.push(missed);
        return started - acknowledged;
      }
      missed = Math.max(0, started - acknowledged);
      if (started - acknowledged > 5000) throw new Error(`${name} not coherent after 5 s`);
    }
  };
  for (let i = 0; i < samples; i++) {
    const name = `coherence-${counter++}`;
    const created = await fetch(`${a.base}/api/connections`, {
      method: "POST",
      headers: { ...a.auth, "content-type": "application/json" },
      body: JSON.stringify({ ...exampleConnections.office365, name }),
    });
    await created.arrayBuffer();
    delays.push(Math.max(0, await seenAfter(b, name, true, performance.now())));
    const removed = await fetch(`${b.base}/api/connections/${name}`, {
      method: "DELETE",
      headers: b.auth,
    });
    await removed.arrayBuffer();
    delays.push(Math.max(0, await seenAfter(a, name, false, performance.now())));
  }
  misses.sort((x, y) => x - y);
  delays.sort((x, y) => x - y);
  return { delays, misses };
}

/** Requests per second of `POST /oauth/token` with the right credentials. */
async function measureTokens(base, duration = DURATION) {
  return summary(
    await run({
      url: `${base}/oauth/token`,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "client_id=bench&client_secret=bench-secret&grant_type=client_credentials",
      duration,
    }),
  );
}

/** Runs `measure` on each server at once, splitting the connections: the sum of their rates. */
async function split(servers, measure) {
  const results = await Promise.all(servers.map((server) => measure(server)));
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
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
  const pid = proc.child.pid;
  const res = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "client_id=bench&client_secret=bench-secret&grant_type=client_credentials",
  });
  return { base, pid, auth: { authorization: `Bearer ${(await res.json()).access_token}` } };
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

  // PostgreSQL: one instance on a database, two on another one and four on a third.
  postgres = await startTestPostgres({ fsync: true });
  const pgOne = await startMgmtkit(await postgres.createDatabase("bench_one"));
  const pgUrl = await postgres.createDatabase("bench_two");
  const pgTwo = [await startMgmtkit(pgUrl), await startMgmtkit(pgUrl)];
  const pgFourUrl = await postgres.createDatabase("bench_four");
  const pgFour = [];
  for (let i = 0; i < 4; i++) pgFour.push(await startMgmtkit(pgFourUrl));
  // What PostgreSQL's own settings trade: commits acknowledged before their WAL is on disk (a
  // crash of the database loses the last few, against the promise of the server), and commits
  // that wait a millisecond for others to share one sync. Given as connection parameters.
  const pgAsync = await startMgmtkit(
    `${await postgres.createDatabase("bench_async")}?synchronous_commit=off`,
  );
  const pgDelay = await startMgmtkit(
    `${await postgres.createDatabase("bench_delay")}?commit_delay=1000&commit_siblings=1`,
  );

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
  // The connections split between the instances: 10 as 5 + 5, or 3 + 3 + 2 + 2.
  const share = (servers, i) =>
    Math.floor(CONNECTIONS / servers.length) + (i < CONNECTIONS % servers.length ? 1 : 0);
  const across = (servers, measure) => (duration) =>
    split(
      servers.map((s, i) => ({ ...s, i })),
      (s) => measure(s, duration, share(servers, s.i)),
    );
  const nextXid = () =>
    Number(execFileSync("psql", [postgres.url, "-Atc", "SELECT txid_current()"]).toString());
  const onSqlite = (server, measure) => withCpu(() => ({ servers: [server.pid] }), measure);
  const onPg = (servers, measure) =>
    withCpu(
      () => ({ servers: servers.map((s) => s.pid), database: postgres.processes() }),
      measure,
      nextXid,
    );
  const pgRows = [
    ["PostgreSQL", [pgOne], "pg1"],
    ["PostgreSQL x2", pgTwo, "pg2"],
    ["PostgreSQL x4", pgFour, "pg4"],
  ];
  const targets = [
    ["GET /api/connections", "mgmtkit-server (SQLite)", onSqlite(file, list(file))],
    ["GET /api/connections", "Prism 5.14.2 mock", list(prism)],
    ["GET /api/connections", "bare fastify route", list(bare)],
    ...pgRows.map(([name, servers]) => [
      "GET /api/connections",
      `mgmtkit-server (${name})`,
      onPg(
        servers,
        across(servers, (s, d, c) => measureList(s.base, s.auth, d, c)),
      ),
    ]),
    ["create + delete", "mgmtkit-server (SQLite)", onSqlite(file, createDelete(file, "m"))],
    ...pgRows.map(([name, servers, label]) => [
      "create + delete",
      `mgmtkit-server (${name})`,
      onPg(
        servers,
        across(servers, (s, d, c) =>
          measureCreateDelete(s.base, s.auth, `${label}-${s.base.slice(-5)}`, d, c),
        ),
      ),
    ]),
    [
      "create + delete",
      "mgmtkit-server (PG sync commit off)",
      onPg([pgAsync], createDelete(pgAsync, "pga")),
    ],
    [
      "create + delete",
      "mgmtkit-server (PG commit_delay 1ms)",
      onPg([pgDelay], createDelete(pgDelay, "pgd")),
    ],
    ["create + delete", "mgmtkit-server (full sync)", onSqlite(full, createDelete(full, "f"))],
    ["create + delete", "mgmtkit-server (:memory:)", createDelete(memory, "mem")],
    ["create + delete", "Prism 5.14.2 mock", createDelete(prism, "p")],
    ["create + delete", "bare fastify route", createDelete(bare, "b")],
    [
      "mixed 90/10",
      "mgmtkit-server (SQLite)",
      onSqlite(file, (d) => measureMixed(file.base, file.auth, "mm", d)),
    ],
    [
      "mixed 90/10",
      "mgmtkit-server (full sync)",
      onSqlite(full, (d) => measureMixed(full.base, full.auth, "mf", d)),
    ],
    ...pgRows.map(([name, servers, label]) => [
      "mixed 90/10",
      `mgmtkit-server (${name})`,
      onPg(
        servers,
        across(servers, (s, d, c) =>
          measureMixed(s.base, s.auth, `m${label}-${s.base.slice(-5)}`, d, c),
        ),
      ),
    ]),
    ["POST /oauth/token", "mgmtkit-server (0 tokens)", (d) => measureTokens(tokensEmpty.base, d)],
    [
      "POST /oauth/token",
      "mgmtkit-server (100k tokens)",
      (d) => measureTokens(tokensLarge.base, d),
    ],
  ]
    .map(([what, target, measure]) => ({ what, target, measure, runs: [] }))
    .filter((t) => !ONLY || ONLY.test(`${t.what} ${t.target}`));

  console.log(
    `autocannon: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION} s per target after a 1 s warm-up; medians\n`,
  );
  for (const t of targets) await t.measure(1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) t.runs.push(await t.measure(DURATION));
  }

  const rps = {};
  const perCore = {};
  const medianOf = (runs, pick) => median(runs.map(pick));
  for (const t of targets) {
    const values = t.runs.map((r) => r.rps);
    const non2xx = t.runs.reduce((sum, r) => sum + r.non2xx, 0);
    rps[`${t.what}|${t.target}`] = median(values);
    const cores = t.runs[0]?.cores === undefined ? undefined : median(t.runs.map((r) => r.cores));
    if (cores !== undefined) {
      perCore[`${t.what}|${t.target}`] = {
        rps: median(values) / cores,
        servers: medianOf(t.runs, (r) => r.cpuUs.servers),
        wakes: medianOf(t.runs, (r) => r.switchesPerRequest),
        database:
          t.runs[0].cpuUs.database === undefined
            ? undefined
            : medianOf(t.runs, (r) => r.cpuUs.database),
        xids: t.runs[0].xidsPerRequest !== undefined && medianOf(t.runs, (r) => r.xidsPerRequest),
      };
    }
    console.log(
      `${t.what.padEnd(22)} ${t.target.padEnd(38)} ${median(values).toFixed(0).padStart(7)} req/s` +
        `  (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})` +
        `  p99 ${String(median(t.runs.map((r) => r.p99))).padStart(3)} ms` +
        (cores !== undefined
          ? `  ${cores.toFixed(2)} cores, ${(median(values) / cores).toFixed(0)} req/s per core`
          : "") +
        (non2xx ? `  (${non2xx} non-2xx or errors)` : ""),
    );
    t.non2xx = non2xx;
  }

  const of = (what, target) => rps[`${what}|${target}`];
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const pct = (a, b) => `${((100 * a) / b).toFixed(0)}%`;
  const line = (what, target) =>
    [of(what, target), of(what, "Prism 5.14.2 mock"), of(what, "bare fastify route")].every(
      (v) => v !== undefined,
    ) &&
    `${`${what}, ${target}`.padEnd(46)} vs Prism ${ratio(of(what, target), of(what, "Prism 5.14.2 mock")).padStart(6)}` +
      `   vs bare route ${pct(of(what, target), of(what, "bare fastify route")).padStart(4)}`;
  console.log("\nratios (targets: >= 2x Prism, >= 50% of the bare route)");
  for (const [what, target] of [
    ["GET /api/connections", "mgmtkit-server (SQLite)"],
    ["create + delete", "mgmtkit-server (SQLite)"],
    ["create + delete", "mgmtkit-server (full sync)"],
    ["create + delete", "mgmtkit-server (:memory:)"],
  ]) {
    const text = line(what, target);
    if (text) console.log(text);
  }
  const vs = (what, target, base, label, goal) =>
    of(what, target) !== undefined &&
    of(what, base) !== undefined &&
    console.log(
      `${`${what}, ${target}`.padEnd(56)} vs ${label.padEnd(14)} ${ratio(of(what, target), of(what, base)).padStart(6)}` +
        (goal ? `  (target ${goal})` : ""),
    );
  console.log("\nPostgreSQL (fsync on; 2 and 4 instances share the load and one database)");
  for (const what of ["GET /api/connections", "create + delete", "mixed 90/10"]) {
    for (const [name] of pgRows) {
      vs(
        what,
        `mgmtkit-server (${name})`,
        "mgmtkit-server (SQLite)",
        "SQLite file",
        what === "GET /api/connections" && name === "PostgreSQL" ? ">= 0.8x" : "",
      );
    }
  }
  for (const name of ["PostgreSQL", "PostgreSQL x2", "PostgreSQL x4"]) {
    vs(
      "create + delete",
      `mgmtkit-server (${name})`,
      "mgmtkit-server (full sync)",
      "SQLite full",
      name === "PostgreSQL" ? ">= 0.7x" : "",
    );
  }
  for (const what of ["GET /api/connections", "create + delete", "mixed 90/10"]) {
    vs(
      what,
      "mgmtkit-server (PostgreSQL x2)",
      "mgmtkit-server (PostgreSQL)",
      "1 instance",
      ">= 1x",
    );
    vs(what, "mgmtkit-server (PostgreSQL x4)", "mgmtkit-server (PostgreSQL)", "1 instance", "");
  }
  for (const setting of ["PG sync commit off", "PG commit_delay 1ms"]) {
    vs("create + delete", `mgmtkit-server (${setting})`, "mgmtkit-server (PostgreSQL)", "defaults");
  }
  console.log(
    "\nper request (medians): requests per second per busy core (server processes + database), CPU microseconds (servers + database), the servers' context switches, and the transactions that wrote (commits)",
  );
  for (const [key, { rps: perBusyCore, servers, wakes, database, xids }] of Object.entries(
    perCore,
  )) {
    const [what, target] = key.split("|");
    console.log(
      `${`${what}, ${target}`.padEnd(56)} ${perBusyCore.toFixed(0).padStart(7)}` +
        `  ${servers.toFixed(0).padStart(4)} us${database !== undefined ? ` + ${database.toFixed(0).padStart(4)} us` : ""}` +
        `  ${wakes.toFixed(2)} switches` +
        (xids === false ? "" : `  ${xids.toFixed(2)} commits`),
    );
  }

  if (COHERENCE_SAMPLES > 0) {
    const { delays, misses } = await measureCoherence(pgTwo[0], pgTwo[1], COHERENCE_SAMPLES);
    const at = (sorted, q) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
    console.log(
      `\ncoherence between two PostgreSQL instances (${delays.length} writes, create on one then delete on the other; ms from the acknowledgement to the start of the first read that saw it): p50 ${at(delays, 0.5)}, p99 ${at(delays, 0.99)}, max ${at(delays, 1)}` +
        `; to the start of the last read that did not: p50 ${at(misses, 0.5)}, p99 ${at(misses, 0.99)}, max ${at(misses, 1)} (bound 100)`,
    );
  }
  const tokenRatio = [
    of("POST /oauth/token", "mgmtkit-server (100k tokens)"),
    of("POST /oauth/token", "mgmtkit-server (0 tokens)"),
  ];
  if (tokenRatio.every((v) => v !== undefined)) {
    console.log("\ntoken issuance under a large token table");
    console.log(
      `${"POST /oauth/token, 100,000 tokens".padEnd(46)} vs empty table ${pct(of("POST /oauth/token", "mgmtkit-server (100k tokens)"), of("POST /oauth/token", "mgmtkit-server (0 tokens)")).padStart(4)}`,
    );
  }
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
