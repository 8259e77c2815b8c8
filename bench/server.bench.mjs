// Throughput of the reference server (`mgmtkit-server`) against two baselines measured in the same
// run: Prism 5 mocking the same spec (the usual stand-in people reach for), and a bare fastify route
// answering the same JSON (the ceiling: the framework with no storage, tokens or validation).
// Every server runs in its own process; autocannon drives them one at a time from this one.
// Targets: at least 2x Prism and at least 50% of the bare route. Figures vary with the machine;
// nothing here fails on a timing.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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

const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
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

/** Requests per second of `GET /api/connections`, after a one-second warm-up. */
async function measureList(base, headers) {
  await run({ url: `${base}/api/connections`, headers, duration: 1 });
  const r = await run({ url: `${base}/api/connections`, headers });
  return { rps: r.requests.average, non2xx: r.non2xx + r.errors, p99: r.latency.p99 };
}

/** Requests per second of a stream of create + delete pairs, each connection on its own names. */
async function measureCreateDelete(base, headers, label) {
  let counter = 0;
  const requests = [
    {
      method: "POST",
      path: "/api/connections",
      setupRequest: (req, context) => {
        context.name = `bench-${label}-${counter++}`;
        return {
          ...req,
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({
            name: context.name,
            status: 1,
            strategy: "office365",
            options: {
              client_id: "o-id",
              client_secret: "o-secret",
              tenant_domain: "acme.onmicrosoft.com",
            },
          }),
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
  await run({ url: base, requests, duration: 1 });
  const r = await run({ url: base, requests });
  return { rps: r.requests.average, non2xx: r.non2xx + r.errors, p99: r.latency.p99 };
}

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-bench-"));
try {
  // The reference server as people run it: the CLI, a SQLite file, synchronous durable writes.
  const mgmtkitPort = await freePort();
  const mgmtkitProc = start(process.execPath, [
    serverCli,
    "--port",
    String(mgmtkitPort),
    "--db",
    join(dir, "bench.sqlite"),
    "--client-id",
    "bench",
    "--client-secret",
    "bench-secret",
  ]);
  const mgmtkit = `http://127.0.0.1:${mgmtkitPort}`;
  await waitForOutput(mgmtkitProc, /listening on/);
  const tokenRes = await fetch(`${mgmtkit}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "client_id=bench&client_secret=bench-secret&grant_type=client_credentials",
  });
  const { access_token: token } = await tokenRes.json();
  const auth = { authorization: `Bearer ${token}` };
  const listBody = await waitFor(`${mgmtkit}/api/connections`, auth);

  // The same server on an in-memory database, to show what the durable writes cost.
  const memoryPort = await freePort();
  const memoryProc = start(process.execPath, [
    serverCli,
    "--port",
    String(memoryPort),
    "--db",
    ":memory:",
    "--client-id",
    "bench",
    "--client-secret",
    "bench-secret",
  ]);
  const memory = `http://127.0.0.1:${memoryPort}`;
  const memToken = await (async () => {
    await waitForOutput(memoryProc, /listening on/);
    const res = await fetch(`${memory}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "client_id=bench&client_secret=bench-secret&grant_type=client_credentials",
    });
    return (await res.json()).access_token;
  })();

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
  const bare = `http://127.0.0.1:${barePort}`;

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
  const prism = `http://127.0.0.1:${prismPort}`;

  await waitFor(`${bare}/api/connections`, {});
  await waitFor(`${prism}/api/connections`, auth);

  const rows = [];
  const measure = async (what, target, fn) => {
    const result = await fn();
    rows.push({ what, target, ...result });
    console.log(
      `${what.padEnd(22)} ${target.padEnd(26)} ${result.rps.toFixed(0).padStart(7)} req/s  p99 ${String(result.p99).padStart(4)} ms` +
        (result.non2xx ? `  (${result.non2xx} non-2xx or errors)` : ""),
    );
    return result.rps;
  };

  console.log(
    `autocannon: ${CONNECTIONS} connections, ${DURATION} s per measurement after a 1 s warm-up\n`,
  );
  const listM = await measure("GET /api/connections", "mgmtkit-server (SQLite)", () =>
    measureList(mgmtkit, auth),
  );
  const listP = await measure("GET /api/connections", "Prism 5.14.2 mock", () =>
    measureList(prism, auth),
  );
  const listB = await measure("GET /api/connections", "bare fastify route", () =>
    measureList(bare, auth),
  );
  const cdM = await measure("create + delete", "mgmtkit-server (SQLite)", () =>
    measureCreateDelete(mgmtkit, auth, "m"),
  );
  const cdMem = await measure("create + delete", "mgmtkit-server (:memory:)", () =>
    measureCreateDelete(memory, { authorization: `Bearer ${memToken}` }, "mem"),
  );
  const cdP = await measure("create + delete", "Prism 5.14.2 mock", () =>
    measureCreateDelete(prism, auth, "p"),
  );
  const cdB = await measure("create + delete", "bare fastify route", () =>
    measureCreateDelete(bare, auth, "b"),
  );

  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const pct = (a, b) => `${((100 * a) / b).toFixed(0)}%`;
  console.log("\nratios (targets: >= 2x Prism, >= 50% of the bare route)");
  console.log(
    `GET /api/connections  vs Prism ${ratio(listM, listP)}   vs bare route ${pct(listM, listB)}`,
  );
  console.log(
    `create + delete       vs Prism ${ratio(cdM, cdP)}   vs bare route ${pct(cdM, cdB)}   (:memory: ${ratio(cdMem, cdP)} / ${pct(cdMem, cdB)})`,
  );
  const bad = rows.filter((r) => r.non2xx > 0 && r.target.startsWith("mgmtkit"));
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
  rmSync(dir, { recursive: true, force: true });
}
