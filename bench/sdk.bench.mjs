// Requests per second of connections.list() through @mgmtkit/sdk, against the same call made with
// plain fetch and with bare openapi-fetch. Target: the SDK's own layer (tokens, time limits,
// retries, redirects, redaction) costs no more than 5%: the SDK answers at least 95% of bare
// openapi-fetch's requests per second, and spends at most 105% of its client CPU per request.
//
// Three scenarios: a fetch that answers from memory (the client layers alone), then two servers,
// each in a child process so that its work does not share the client's thread:
// - a node:http server answering a fixed JSON list, so cheap that the client is the bottleneck and
//   every microsecond the SDK adds shows (the worst case for the SDK);
// - the reference server (fastify, validation, SQLite), closer to what a real server costs.
// Each variant runs in a client process of its own, as a program runs one client: variants sharing
// a process skew each other through the JIT's shared view of undici's code (the same SDK measured
// 0.94x of bare openapi-fetch's CPU alone and 1.36x interleaved in one process, from memory).
// Rounds of the variants alternate, one client running at a time. Other work on the machine can only slow a round down, so each
// variant's best round (highest rate, lowest client CPU per request) is compared with plain fetch's.
// Besides requests per second, the client's own CPU time per request is reported: it depends much
// less on what else the machine runs. Two more rows show where the difference goes: plain fetch with the per-attempt
// AbortSignal time limit the SDK sets on every call, and the SDK with that time limit turned off
// (its fetch then gets no signal, as bare openapi-fetch's gets none: the SDK's own layer alone).
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

// BENCH_ROUNDS raises the number of rounds on a noisy machine.
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 7;
const ROUND_MS = 700;
const CONCURRENCY = 8;
const self = fileURLToPath(import.meta.url);

// A server child ends with its parent, even when the parent fails half-way.
if (process.argv[2]?.startsWith("--serve")) process.on("disconnect", () => process.exit(0));

const fixedConnections = JSON.stringify(
  ["adfs", "google-apps", "google-oauth2", "office365", "windowslive"].map((strategy, i) => ({
    id: `con_${i}`,
    client_id: "bench-client",
    name: `fabrikam-${strategy}`,
    status: 1,
    strategy,
    options: { client_id: "id", client_secret: "secret", tenant_domain: "fabrikam.com" },
  })),
);

if (process.argv[2] === "--serve-fixed") {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/oauth/token") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ access_token: "bench-token", token_type: "bearer" }));
      } else if (
        req.url === "/api/connections" &&
        req.headers.authorization === "Bearer bench-token"
      ) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(fixedConnections);
      } else {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"statusCode":401,"error":"Unauthorized","message":"No token."}');
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    process.send?.({
      url: `http://127.0.0.1:${port}`,
      clientId: "bench-client",
      clientSecret: "x",
    });
  });
} else if (process.argv[2] === "--serve-reference") {
  const { startServer } = await import("@mgmtkit/reference-server");
  const server = await startServer({ port: 0, db: ":memory:" });
  const { url, clientId, clientSecret } = server;
  process.send?.({ url, clientId, clientSecret });
} else if (process.argv[2] === "--client") {
  // One variant of one scenario, in a process of its own: a program runs one client, and
  // variants sharing a process would share, and skew, the JIT's view of undici's code.
  const [{ createManagementClient }, { default: createClient }] = await Promise.all([
    import("@mgmtkit/sdk"),
    import("openapi-fetch"),
  ]);
  const { variant, baseUrl, clientId, clientSecret, token } = await new Promise((resolve) =>
    process.once("message", resolve),
  );
  const headers = { authorization: `Bearer ${token}` };
  // The in-memory scenario's fetch: an answer made on the spot, no network, no server.
  const inMemory = async () =>
    new Response(fixedConnections, { headers: { "content-type": "application/json" } });
  const fetchOption = clientId ? {} : { fetch: inMemory };
  const sdkOptions = clientId ? { clientId, clientSecret } : { accessToken: token };
  const make = {
    "the answer alone": () => async () => (await inMemory()).json(),
    "plain fetch": () => async () => {
      const response = await fetch(`${baseUrl}/api/connections`, { headers });
      if (!response.ok) throw new Error(`plain fetch got ${response.status}`);
      return response.json();
    },
    "bare openapi-fetch": () => {
      const bare = createClient({ baseUrl, headers, ...fetchOption });
      return async () => {
        const { data, error } = await bare.GET("/api/connections");
        if (error) throw new Error("openapi-fetch got an error");
        return data;
      };
    },
    "@mgmtkit/sdk": () => {
      const sdk = createManagementClient({ baseUrl, ...sdkOptions, ...fetchOption });
      return () => sdk.connections.list();
    },
    "plain fetch + timeout": () => async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const response = await fetch(`${baseUrl}/api/connections`, {
          headers,
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`plain fetch got ${response.status}`);
        return await response.json();
      } finally {
        clearTimeout(timer);
      }
    },
    "sdk, timeoutMs: 0": () => {
      const sdk = createManagementClient({ baseUrl, ...sdkOptions, ...fetchOption, timeoutMs: 0 });
      return () => sdk.connections.list();
    },
  };
  const call = make[variant]();
  // Every answer must be the list the first one was: a variant that fails fast measures nothing.
  const first = await call();
  const expected = Array.isArray(first) && first.length > 0 ? first.length : -1;

  async function round(ms) {
    let count = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const end = start + ms;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const list = await call();
          if (list?.length !== expected) throw new Error(`${variant}: an unexpected answer`);
          count++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return {
      rate: (count * 1000) / (performance.now() - start),
      cpuUs: (used.user + used.system) / count,
    };
  }
  // Warm-up: JIT, the keep-alive pool, and the SDK's token.
  await round(400);
  process.send?.("ready");
  process.on("message", async (ms) => process.send?.(await round(ms)));
} else {
  /** A client process of `variant`, warmed up, running a round of `ms` on demand. */
  async function startClient(variant, target) {
    const child = fork(self, ["--client"], { stdio: "inherit" });
    child.send({ variant, ...target });
    await new Promise((resolve) => child.once("message", resolve));
    return {
      round: (ms) => {
        child.send(ms);
        return new Promise((resolve) => child.once("message", resolve));
      },
      close: () => child.kill(),
    };
  }

  /**
   * Rounds of each variant in turn, each in its own client process, then each one's best round
   * against the baseline's. Only one client runs at a time, beside the server's process.
   */
  async function compare(title, names, target, baselineName) {
    const clients = {};
    for (const name of names) clients[name] = await startClient(name, target);
    const rates = Object.fromEntries(names.map((name) => [name, []]));
    const cpus = Object.fromEntries(names.map((name) => [name, []]));
    try {
      for (let r = 0; r < ROUNDS; r++) {
        // Rotate the order so that no variant always runs first or last in a round.
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + r) % names.length];
          const { rate, cpuUs } = await clients[name].round(ROUND_MS);
          rates[name].push(rate);
          cpus[name].push(cpuUs);
        }
      }
    } finally {
      for (const client of Object.values(clients)) client.close();
    }

    const best = (xs) => Math.max(...xs);
    const least = (xs) => Math.min(...xs);
    const baseline = best(rates[baselineName]);
    const baselineCpu = least(cpus[baselineName]);
    console.log(
      `\n${title}: ${CONCURRENCY} concurrent callers, best of ${ROUNDS} rounds of ${ROUND_MS} ms, a process per client`,
    );
    for (const name of names) {
      const rate = best(rates[name]);
      const cpu = least(cpus[name]);
      console.log(
        `  ${name.padEnd(22)} ${rate.toFixed(0).padStart(6)} req/s (x${(rate / baseline).toFixed(3)})` +
          `   client CPU ${cpu.toFixed(1).padStart(6)} us/req (x${(cpu / baselineCpu).toFixed(3)})`,
      );
    }
    const bareRate = best(rates["bare openapi-fetch"]);
    const bareCpu = least(cpus["bare openapi-fetch"]);
    const ratio = best(rates["@mgmtkit/sdk"]) / bareRate;
    const cpuRatio = least(cpus["@mgmtkit/sdk"]) / bareCpu;
    console.log(
      `  @mgmtkit/sdk: ${(ratio * 100).toFixed(1)}% of bare openapi-fetch's requests per second (target: at least 95%), ` +
        `${(cpuRatio * 100).toFixed(1)}% of its client CPU per request (target: at most 105%).`,
    );
    const layer = least(cpus["sdk, timeoutMs: 0"]) / bareCpu;
    console.log(
      `  without its time limit (no signal), the SDK spends ${(layer * 100).toFixed(1)}% of bare openapi-fetch's client CPU per request.`,
    );
  }

  async function measure(label, mode) {
    const child = fork(self, [mode], { stdio: "inherit" });
    const target = await new Promise((resolve) => child.once("message", resolve));
    const tokenResponse = await fetch(`${target.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: target.clientId,
        client_secret: target.clientSecret,
      }),
    });
    const { access_token: token } = await tokenResponse.json();
    try {
      await compare(
        `connections.list() against ${label}`,
        [
          "plain fetch",
          "bare openapi-fetch",
          "@mgmtkit/sdk",
          "plain fetch + timeout",
          "sdk, timeoutMs: 0",
        ],
        {
          baseUrl: target.url,
          clientId: target.clientId,
          clientSecret: target.clientSecret,
          token,
        },
        "plain fetch",
      );
    } finally {
      child.kill();
    }
  }

  // The client layers alone: a fetch that answers from memory, so the network and the server
  // cost nothing and every microsecond of the SDK's own work shows (its worst case).
  await compare(
    "connections.list() with a fetch that answers from memory",
    ["the answer alone", "bare openapi-fetch", "@mgmtkit/sdk", "sdk, timeoutMs: 0"],
    { baseUrl: "http://tenant.invalid", token: "t" },
    "the answer alone",
  );
  await measure("a fixed-answer node:http server", "--serve-fixed");
  await measure("the reference server", "--serve-reference");
}
