import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestPostgres } from "@mgmtkit/reference-server/testing";
import { exampleConnections } from "@mgmtkit/spec/model";
import autocannon from "autocannon";
const cli = "../packages/reference-server/dist/cli.js";
const kids = [];
async function srv(db, extra = []) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const c = spawn(process.execPath, [cli, "--port", String(port), "--db", db, "--client-id", "b", "--client-secret", "s", ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  kids.push(c);
  let out = ""; c.stdout.on("data", (d) => (out += d)); c.stderr.on("data", (d) => (out += d));
  while (!/listening on/.test(out)) await new Promise((r) => setTimeout(r, 50));
  const base = `http://127.0.0.1:${port}`;
  const t = await (await fetch(`${base}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "client_id=b&client_secret=s&grant_type=client_credentials" })).json();
  return { base, headers: { authorization: `Bearer ${t.access_token}` } };
}
let n = 0;
const cd = (s) => new Promise((res) => autocannon({ url: s.base, connections: 10, duration: 3, requests: [
  { method: "POST", path: "/api/connections", setupRequest: (r, c) => { c.name = `q${n++}`; return { ...r, headers: { ...s.headers, "content-type": "application/json" }, body: JSON.stringify({ ...exampleConnections.office365, name: c.name }) }; } },
  { method: "DELETE", setupRequest: (r, c) => ({ ...r, headers: s.headers, path: `/api/connections/${c.name}` }) }] }, (e, r) => res([r.requests.average, r.non2xx])));
const get = (s) => new Promise((res) => autocannon({ url: `${s.base}/api/connections`, headers: s.headers, connections: 10, duration: 3 }, (e, r) => res([r.requests.average, r.non2xx])));
const pg = await startTestPostgres({ fsync: true });
try {
  const dir = mkdtempSync(join(tmpdir(), "q-"));
  const full = await srv(join(dir, "f.sqlite"), ["--synchronous", "full"]);
  const file = await srv(join(dir, "n.sqlite"));
  const p1 = await srv(await pg.createDatabase("one"));
  for (let i = 0; i < 2; i++) {
    console.log("get sqlite", await get(file), "get pg", await get(p1));
    console.log("cd full", await cd(full), "cd pg", await cd(p1));
  }
} finally { for (const k of kids) k.kill(); await pg.destroy(); }
