// Requests per second of connections.list() through @mgmtkit/sdk, against the same call made with
// plain fetch and with bare openapi-fetch, all against one local server in a child process (so the
// server's work does not share the client's thread). Rounds of the three alternate, and the median
// of each is compared with plain fetch. Target: the SDK within 5% of plain fetch. Two more rows
// show where the difference goes: plain fetch with a per-attempt AbortSignal time limit (what the
// SDK does on every call), and the SDK with its time limit turned off.
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const ROUNDS = 9;
const ROUND_MS = 800;
const CONCURRENCY = 8;

if (process.argv[2] === "--serve") {
  const connections = JSON.stringify(
    ["adfs", "google-apps", "google-oauth2", "office365", "windowslive"].map((strategy, i) => ({
      id: `con_${i}`,
      client_id: "bench-client",
      name: `fabrikam-${strategy}`,
      status: 1,
      strategy,
      options: { client_id: "id", client_secret: "secret", tenant_domain: "fabrikam.com" },
    })),
  );
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
        res.end(connections);
      } else {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"statusCode":401,"error":"Unauthorized","message":"No token."}');
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
} else {
  const [{ createManagementClient }, { default: createClient }] = await Promise.all([
    import("@mgmtkit/sdk"),
    import("openapi-fetch"),
  ]);
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: "inherit" });
  const port = await new Promise((resolve) => child.once("message", resolve));
  const baseUrl = `http://127.0.0.1:${port}`;

  const headers = { authorization: "Bearer bench-token" };
  const bare = createClient({ baseUrl, headers });
  const credentials = { baseUrl, clientId: "bench-client", clientSecret: "secret" };
  const sdk = createManagementClient(credentials);
  const sdkNoTimeout = createManagementClient({ ...credentials, timeoutMs: 0 });

  const variants = {
    "plain fetch": async () => {
      const response = await fetch(`${baseUrl}/api/connections`, { headers });
      if (!response.ok) throw new Error(`plain fetch got ${response.status}`);
      return response.json();
    },
    "bare openapi-fetch": async () => {
      const { data, error } = await bare.GET("/api/connections");
      if (error) throw new Error("openapi-fetch got an error");
      return data;
    },
    "@mgmtkit/sdk": () => sdk.connections.list(),
    "plain fetch + timeout": async () => {
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
    "sdk, timeoutMs: 0": () => sdkNoTimeout.connections.list(),
  };

  // Throughput depends on everything else the machine runs; the client's own CPU time per request
  // does much less, so both are reported.
  async function round(call, ms) {
    let count = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const end = start + ms;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const list = await call();
          if (list.length !== 5) throw new Error("unexpected answer");
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
  for (const call of Object.values(variants)) await round(call, 500);

  const rates = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  const cpus = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so that no variant always runs first or last in a round.
    const names = Object.keys(variants);
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      const { rate, cpuUs } = await round(variants[name], ROUND_MS);
      rates[name].push(rate);
      cpus[name].push(cpuUs);
    }
  }
  child.kill();

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const baseline = median(rates["plain fetch"]);
  const baselineCpu = median(cpus["plain fetch"]);
  console.log(
    `connections.list() against a local node:http server, ${CONCURRENCY} concurrent callers, ` +
      `median of ${ROUNDS} rounds of ${ROUND_MS} ms`,
  );
  for (const name of Object.keys(variants)) {
    const rate = median(rates[name]);
    const cpu = median(cpus[name]);
    console.log(
      `${name.padEnd(22)} ${rate.toFixed(0).padStart(6)} req/s (x${(rate / baseline).toFixed(3)})` +
        `   client CPU ${cpu.toFixed(1).padStart(6)} us/req (x${(cpu / baselineCpu).toFixed(3)})`,
    );
  }
  const ratio = median(rates["@mgmtkit/sdk"]) / baseline;
  console.log(
    `@mgmtkit/sdk: ${(ratio * 100).toFixed(1)}% of plain fetch's requests per second (target: at least 95%).`,
  );
}
