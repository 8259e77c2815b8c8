// The latency `mgmtkit-contract proxy` adds to each exchange: the same requests sent straight to
// the reference server (the baseline), through a bare node:http proxy that only pipes (what any
// hop costs), through the proxy with every rule skipped (its forwarding alone), and through the
// validating proxy, in rotating rounds of the same run, printed as p50/p99 of each and their
// ratios to the baseline. The server and the proxies run in processes
// of their own, as they would in use; this process only sends, one request at a time on a
// keep-alive connection, so that each latency is one exchange's.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve("@mgmtkit/contract/package.json")), "dist", "cli.js");

/** Starts a child and resolves with the first match of `pattern` in what it prints. */
function start(args, pattern) {
  const child = spawn(process.execPath, args, { cwd: here, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    const seen = (chunk) => {
      out += chunk;
      const found = out.match(pattern);
      if (found) resolve({ child, found, output: () => out });
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}:\n${out}`)));
  });
}

const server = await start(
  [
    "--input-type=module",
    "-e",
    `import { startServer } from "@mgmtkit/reference-server";
     const s = await startServer({ host: "127.0.0.1", port: 0, db: ":memory:", logger: false });
     console.log(JSON.stringify({ url: s.url, clientId: s.clientId, clientSecret: s.clientSecret }));`,
  ],
  /^\{.*\}$/m,
);
const target = JSON.parse(server.found[0]);
const dir = mkdtempSync(join(tmpdir(), "mgmtkit-proxy-bench-"));
const reportFile = join(dir, "proxy.json");
const proxy = await start(
  [cli, "proxy", "--target", target.url, "--reporter", "json", "--output", reportFile],
  /forwarding (http:\/\/\S+) to /,
);
const forwarder = await start(
  [
    cli,
    "proxy",
    "--target",
    target.url,
    "--skip",
    "request,response",
    "--reporter",
    "json",
    "--output",
    join(dir, "forwarder.json"),
  ],
  /forwarding (http:\/\/\S+) to /,
);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One exchange, body read whole; answers its latency in milliseconds. */
function exchange(base, path, headers, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(`${base}${path}`, {
      method: body ? "POST" : "GET",
      headers,
      agent,
    });
    request.on("error", reject);
    request.on("response", (response) => {
      response.on("data", () => {});
      response.on("end", () => {
        if (response.statusCode !== 200)
          reject(new Error(`${path} answered ${response.statusCode}`));
        else resolve(performance.now() - started);
      });
    });
    request.end(body);
  });
}

const form = new URLSearchParams({
  client_id: target.clientId,
  client_secret: target.clientSecret,
  grant_type: "client_credentials",
}).toString();
const { access_token: token } = await new Promise((resolve, reject) => {
  const request = http.request(`${target.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  request.on("error", reject);
  request.on("response", (response) => {
    let text = "";
    response.on("data", (chunk) => {
      text += chunk;
    });
    response.on("end", () => resolve(JSON.parse(text)));
  });
  request.end(form);
});
const headers = { authorization: `bearer ${token}`, accept: "application/json" };

/** The requests of a round: the connection list (a JSON array the validators walk) and the users. */
async function round(base, into) {
  for (let i = 0; i < REQUESTS; i++) {
    const path = i % 2 === 0 ? "/api/connections" : "/api/users";
    into.push(await exchange(base, path, headers));
  }
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

// What one more hop costs on this machine: node:http piping both ways, nothing else.
const bare = await start(
  [
    "--input-type=module",
    "-e",
    `import http from "node:http";
     const target = ${JSON.stringify(target.url)};
     const agent = new http.Agent({ keepAlive: true });
     const server = http.createServer((req, res) => {
       const upstream = http.request(target + req.url, { method: req.method, headers: req.headers, agent }, (answer) => {
         res.writeHead(answer.statusCode, answer.headers);
         answer.pipe(res);
       });
       req.pipe(upstream);
     });
     server.listen(0, "127.0.0.1", () => console.log("bare proxy at http://127.0.0.1:" + server.address().port));`,
  ],
  /bare proxy at (http:\/\/\S+)/,
);
const variants = [
  { name: "direct to the reference server", base: target.url, latencies: [] },
  { name: "through a bare node:http proxy", base: bare.found[1], latencies: [] },
  { name: "through the proxy, rules skipped", base: forwarder.found[1], latencies: [] },
  { name: "through the validating proxy", base: proxy.found[1], latencies: [] },
];
// Warm-up: every path compiles and connects before anything counts.
for (const variant of variants) await round(variant.base, []);
for (let i = 0; i < ROUNDS; i++) {
  // Rotating which goes first, so that none always meets a warmer (or busier) machine.
  for (let j = 0; j < variants.length; j++) {
    const variant = variants[(i + j) % variants.length];
    await round(variant.base, variant.latencies);
  }
}

agent.destroy();
for (const child of [proxy.child, forwarder.child]) {
  child.kill("SIGINT");
  await new Promise((resolve) => child.once("exit", resolve));
}
bare.child.kill("SIGTERM");
server.child.kill("SIGTERM");
const report = JSON.parse(readFileSync(reportFile, "utf8"));
rmSync(dir, { recursive: true, force: true });

const ms = (value) => `${value.toFixed(3)} ms`.padStart(10);
const [baseline] = variants;
const base50 = quantile(baseline.latencies, 0.5);
const base99 = quantile(baseline.latencies, 0.99);
console.log(
  `${ROUNDS} rotating rounds of ${REQUESTS} sequential requests each way (GET /api/connections and /api/users, keep-alive)`,
);
for (const variant of variants) {
  const p50 = quantile(variant.latencies, 0.5);
  const p99 = quantile(variant.latencies, 0.99);
  const ratios =
    variant === baseline
      ? "baseline"
      : `${(p50 / base50).toFixed(2)}x / ${(p99 / base99).toFixed(2)}x (adds ${(p50 - base50).toFixed(3)} / ${(p99 - base99).toFixed(3)} ms)`;
  console.log(`${variant.name.padEnd(34)} p50 ${ms(p50)}  p99 ${ms(p99)}  ${ratios}`);
}
console.log(
  `the validating proxy judged ${report.traffic.exchanges} exchanges: ${report.summary.failed} rules broken, ${report.traffic.unvalidatedBodies} bodies over the cap`,
);
