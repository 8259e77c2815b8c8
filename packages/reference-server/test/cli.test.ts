import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoSeed } from "@mgmtkit/reference-server";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken, runCli, startCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mem = ["--db", ":memory:", "--port", "0"];

describe("mgmtkit-server", () => {
  it("generates credentials when none are given, prints them once, and serves the demo seed", async () => {
    const cli = await startCli(mem);
    try {
      const id = /client_id: (\S+)/.exec(cli.stdout())?.[1];
      const secret = /client_secret: (\S+)/.exec(cli.stdout())?.[1];
      expect(id).toBeTruthy();
      expect(secret).toBeTruthy();
      expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const token = await getToken(cli.url, id as string, secret as string);
      const res = await call(cli.url, "GET", "/api/connections", { token });
      expect((res.body as unknown[]).length).toBe(5);
      expect(cli.stdout().match(/client_secret/g)).toHaveLength(1);
    } finally {
      cli.child.kill("SIGTERM");
      expect(await cli.exited).toEqual({ code: 0, signal: null });
    }
  });

  it("takes every setting from the environment", async () => {
    const seed = join(dir, "env-seed.json");
    writeFileSync(
      seed,
      JSON.stringify({ connections: [{ ...connectionBodies.adfs, name: "from-env" }] }),
    );
    const cli = await startCli([], {
      MGMTKIT_HOST: "127.0.0.1",
      MGMTKIT_PORT: "0",
      MGMTKIT_DB: join(dir, "env.sqlite"),
      MGMTKIT_SYNCHRONOUS: "full",
      MGMTKIT_CLIENT_ID: "env-id",
      MGMTKIT_CLIENT_SECRET: "env-secret",
      MGMTKIT_SEED: seed,
      MGMTKIT_TOKEN_TTL: "120",
      MGMTKIT_PUBLIC_URL: "https://api.example.com",
    });
    try {
      expect(cli.stdout()).not.toContain("env-secret");
      const res = await call(cli.url, "POST", "/oauth/token", {
        form: {
          client_id: "env-id",
          client_secret: "env-secret",
          grant_type: "client_credentials",
        },
      });
      expect((res.body as { expires_in: number }).expires_in).toBe(120);
      const token = (res.body as { access_token: string }).access_token;
      const list = (await call(cli.url, "GET", "/api/connections", { token })).body as Array<{
        name: string;
        provisioning_ticket_url: string;
      }>;
      expect(list.map((c) => c.name)).toEqual(["from-env"]);
      expect(list[0]?.provisioning_ticket_url).toMatch(/^https:\/\/api\.example\.com\/p\/adfs\//);
    } finally {
      cli.child.kill("SIGINT");
      expect((await cli.exited).code).toBe(0);
    }
  });

  it("flags win over the environment, and --no-seed starts empty", async () => {
    const cli = await startCli(
      [...mem, "--no-seed", "--client-id", "flag-id", "--client-secret", "flag-secret"],
      {
        MGMTKIT_CLIENT_ID: "env-id",
        MGMTKIT_CLIENT_SECRET: "env-secret",
        MGMTKIT_PORT: "1",
      },
    );
    try {
      const token = await getToken(cli.url, "flag-id", "flag-secret");
      expect((await call(cli.url, "GET", "/api/connections", { token })).body).toEqual([]);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });

  it("starts empty with MGMTKIT_SEED=none", async () => {
    const cli = await startCli([...mem, "--client-id", "c", "--client-secret", "s"], {
      MGMTKIT_SEED: "none",
    });
    try {
      const token = await getToken(cli.url, "c", "s");
      expect((await call(cli.url, "GET", "/api/users", { token })).body).toEqual([]);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });

  it("logs requests with logger: true, without the tokens of query strings", async () => {
    const script = `
      import { startServer } from ${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)};
      const s = await startServer({ logger: true, clientId: "c", clientSecret: "log-secret" });
      const t = await (await fetch(s.url + "/oauth/token", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: "c", client_secret: "log-secret", grant_type: "client_credentials" }) })).json();
      await fetch(s.url + "/api/connections?access_token=" + t.access_token);
      await fetch(s.url + "/api/users?access%5Ftoken=" + t.access_token);
      await s.close();
      console.error("TOKEN=" + t.access_token);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
    const token = /TOKEN=(\S+)/.exec(err)?.[1] as string;
    expect(token).toBeTruthy();
    expect(out).toContain("/api/connections?access_token=[redacted]");
    expect(out).toContain("/api/users?access%5Ftoken=[redacted]");
    expect(out).not.toContain(token);
    expect(out).not.toContain("log-secret");
  });

  it("loads a seed only into a new database, and keeps data across restarts", async () => {
    const db = join(dir, "restart.sqlite");
    const args = ["--port", "0", "--db", db, "--client-id", "c", "--client-secret", "s"];
    const first = await startCli(args);
    let token = await getToken(first.url, "c", "s");
    expect(
      (await call(first.url, "DELETE", "/api/connections/fabrikam-live", { token })).status,
    ).toBe(200);
    first.child.kill("SIGTERM");
    expect((await first.exited).code).toBe(0);

    const second = await startCli(args);
    try {
      token = await getToken(second.url, "c", "s");
      const names = (
        (await call(second.url, "GET", "/api/connections", { token })).body as Array<{
          name: string;
        }>
      ).map((c) => c.name);
      expect(names).toHaveLength(4);
      expect(names).not.toContain("fabrikam-live");
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });

  it("prints every flag and its variable with --help", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const flag of [
      "--host",
      "--port",
      "--db",
      "--synchronous",
      "--client-id",
      "--client-secret",
      "--seed",
      "--no-seed",
      "--tls-cert",
      "--tls-key",
      "--token-ttl",
      "--public-url",
    ]) {
      expect(stdout).toContain(flag);
    }
    for (const env of [
      "MGMTKIT_HOST",
      "MGMTKIT_PORT",
      "MGMTKIT_DB",
      "MGMTKIT_SYNCHRONOUS",
      "MGMTKIT_CLIENT_ID",
      "MGMTKIT_CLIENT_SECRET",
      "MGMTKIT_SEED",
      "MGMTKIT_TLS_CERT",
      "MGMTKIT_TLS_KEY",
      "MGMTKIT_TOKEN_TTL",
      "MGMTKIT_PUBLIC_URL",
    ]) {
      expect(stdout).toContain(env);
    }
  });

  const badSeed = join(dir, "bad-seed.json");
  writeFileSync(
    badSeed,
    JSON.stringify({ connections: [{ name: "x", status: 1, strategy: "saml", options: {} }] }),
  );
  const notJson = join(dir, "not-json.json");
  writeFileSync(notJson, "{ connections: [");
  const orphan = join(dir, "orphan.json");
  writeFileSync(
    orphan,
    JSON.stringify({ users: [{ ...demoSeed.users?.[0], connection: "nowhere" }] }),
  );
  // A SQLite file whose header is fine but one page of a table is garbage.
  const damaged = join(dir, "damaged.sqlite");
  const db = new Database(damaged);
  db.exec("CREATE TABLE filler (x TEXT)");
  const insert = db.prepare("INSERT INTO filler VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`${i}`.padEnd(200, "x"));
  })();
  db.close();
  const fd = openSync(damaged, "r+");
  writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, 4096 * 40);
  closeSync(fd);

  const failures: Array<[string, { args: string[]; env?: Record<string, string>; want: RegExp }]> =
    [
      ["an unknown flag", { args: ["--colour"], want: /unknown option '--colour'/ }],
      [
        "a port that is not a number",
        { args: ["--port", "http"], want: /port must be an integer/ },
      ],
      ["a port out of range", { args: ["--port", "70000"], want: /port must be an integer/ }],
      [
        "a bad port in the environment",
        { args: [], env: { MGMTKIT_PORT: "x" }, want: /port must be an integer/ },
      ],
      [
        "an unknown durability mode",
        {
          args: [...mem, "--synchronous", "always"],
          want: /'--synchronous <mode>' argument 'always' is invalid: allowed choices are normal, full/,
        },
      ],
      [
        "an unknown durability mode in the environment",
        {
          args: mem,
          env: { MGMTKIT_SYNCHRONOUS: "off" },
          want: /value 'off' from env 'MGMTKIT_SYNCHRONOUS' is invalid: allowed choices are normal, full/,
        },
      ],
      ["a zero token lifetime", { args: [...mem, "--token-ttl", "0"], want: /token lifetime/ }],
      [
        "a public URL with a path",
        {
          args: [...mem, "--public-url", "https://api.example.com/base"],
          want: /The public URL must be an origin such as https:\/\/api\.example\.com/,
        },
      ],
      [
        "an id without a secret",
        { args: [...mem, "--client-id", "a"], want: /both the client id and the client secret/ },
      ],
      [
        "a missing seed file",
        {
          args: [...mem, "--seed", join(dir, "missing.json")],
          want: /Cannot read the seed file .*ENOENT/,
        },
      ],
      [
        "a seed file that is not JSON",
        { args: [...mem, "--seed", notJson], want: /not valid JSON/ },
      ],
      [
        "a seed with an invalid connection",
        {
          args: [...mem, "--seed", badSeed],
          want: /Seed connection 0 is invalid: strategy must be one of/,
        },
      ],
      [
        "a seed user of no connection",
        { args: [...mem, "--seed", orphan], want: /Seed user 0 names no connection/ },
      ],
      [
        "a database in a missing folder",
        {
          args: ["--port", "0", "--db", join(dir, "no", "such", "db.sqlite")],
          want: /Cannot open the database/,
        },
      ],
      [
        "a database file that is not SQLite",
        {
          args: ["--port", "0", "--db", notJson],
          want: /Cannot open the database .*not a database/,
        },
      ],
      [
        "a damaged database file",
        {
          args: ["--port", "0", "--db", damaged],
          want: /The database .*damaged\.sqlite is damaged \(.+\); restore it from a backup or start on another file\./,
        },
      ],
      [
        "a missing certificate",
        {
          args: [...mem, "--tls-cert", join(dir, "nope.pem"), "--tls-key", join(dir, "nope.key")],
          want: /Cannot read the TLS certificate .*ENOENT/,
        },
      ],
      [
        "a certificate without a key",
        { args: [...mem, "--tls-cert", notJson], want: /both --tls-cert and --tls-key/ },
      ],
      [
        "a certificate that is not PEM",
        {
          args: [...mem, "--tls-cert", notJson, "--tls-key", notJson],
          want: /TLS certificate or key is not valid/,
        },
      ],
      [
        "a host that is not local",
        { args: [...mem, "--host", "203.0.113.9"], want: /Cannot listen on 203\.0\.113\.9/ },
      ],
    ];
  it.each(failures)("exits 2 with one sentence for %s", async (_name, { args, env = {}, want }) => {
    const { code, stderr, stdout } = await runCli(args, env);
    expect(code).toBe(2);
    expect(stderr).toMatch(want);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(stdout).not.toContain("listening");
  });

  it("exits 2 when the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runCli(["--db", ":memory:", "--port", String(port)]);
      expect(code).toBe(2);
      expect(stderr.trim()).toBe(`mgmtkit-server: Port ${port} on 127.0.0.1 is already in use.`);
    } finally {
      blocker.close();
    }
  });
});
