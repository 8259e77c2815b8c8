// The server on PostgreSQL: migrations, start-up errors, tokens shared by instances, and the
// database going away and coming back. One throwaway cluster for the whole file.
import {
  type ConnectionRecord,
  openPostgresStore,
  postgresMigrations,
  type RunningServer,
  StoreOpenError,
  StoreUnavailableError,
  startServer,
} from "@mgmtkit/reference-server";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken, runCli, startCli } from "./helpers.js";
import { postgresTestsRun, usePostgres } from "./support/postgres.js";

const pg = usePostgres();
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const connection = (name: string): ConnectionRecord => ({
  id: `con_${name}`,
  name,
  client_id: "c",
  status: 1,
  strategy: "adfs",
  options: {},
});

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

describe.runIf(postgresTestsRun)("PostgreSQL", () => {
  it("ten instances starting together on a new database migrate it once and seed it once", async () => {
    const url = await pg.current.createDatabase();
    const started = await Promise.all(
      Array.from({ length: 10 }, () => startServer({ db: url, clientId: "c", clientSecret: "s" })),
    );
    servers.push(...started);
    expect(started.filter((s) => s.seeded)).toHaveLength(1);
    const versions = await query<{ version: number }>(
      url,
      "SELECT version FROM mgmtkit_migrations ORDER BY version",
    );
    expect(versions.map((v) => v.version)).toEqual(postgresMigrations.map((_, i) => i + 1));
    const [count] = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM connections");
    expect(count?.n).toBe(5);
  });

  it("refuses a database migrated by a newer server", async () => {
    const url = await pg.current.createDatabase();
    await (await openPostgresStore(url)).close();
    await query(url, "INSERT INTO mgmtkit_migrations (version) VALUES (99)");
    await expect(openPostgresStore(url)).rejects.toThrow(StoreOpenError);
    await expect(openPostgresStore(url)).rejects.toThrow(
      /has schema version 99, newer than this server knows \(\d+\); use a newer mgmtkit-server\.$/,
    );
  });

  describe("a URL that does not work at start: one sentence, exit code 2, no password", () => {
    const cases: Array<[string, () => string, RegExp]> = [
      [
        "a wrong password",
        () => pg.current.url.replace(encodeURIComponent(pg.current.password), "Wr0ngPassw0rd"),
        /^mgmtkit-server: Cannot use the PostgreSQL database postgres:\/\/mgmtkit@127\.0\.0\.1:\d+\/postgres: password authentication failed for user "mgmtkit"\.\n$/,
      ],
      [
        "a database that does not exist",
        () => pg.current.url.replace(/\/postgres$/, "/nosuchdb"),
        /^mgmtkit-server: Cannot use the PostgreSQL database postgres:\/\/mgmtkit@127\.0\.0\.1:\d+\/nosuchdb: database "nosuchdb" does not exist\.\n$/,
      ],
      [
        "a port nobody listens on",
        () => "postgres://mgmtkit:Wr0ngPassw0rd@127.0.0.1:1/postgres",
        /^mgmtkit-server: Cannot use the PostgreSQL database postgres:\/\/mgmtkit@127\.0\.0\.1:1\/postgres: connection refused\.\n$/,
      ],
      [
        "a URL that does not parse",
        () => "postgres://mgmtkit:Wr0ngPassw0rd@[not-a-host/db",
        /^mgmtkit-server: The database URL is not a valid URL\.\n$/,
      ],
    ];
    it.each(cases)("%s", async (_name, url, want) => {
      // From the flag and from the variable, at the same time.
      const runs = await Promise.all([
        runCli(["--port", "0", "--db", url()]),
        runCli(["--port", "0"], { MGMTKIT_DATABASE_URL: url() }),
      ]);
      for (const { code, stdout, stderr } of runs) {
        expect(code).toBe(2);
        expect(stderr).toMatch(want);
        expect(stdout + stderr).not.toContain("Wr0ngPassw0rd");
        expect(stdout + stderr).not.toContain(pg.current.password);
      }
    });
  });

  it("takes MGMTKIT_DATABASE_URL, below --db", async () => {
    const url = await pg.current.createDatabase();
    const env = { MGMTKIT_DATABASE_URL: url };
    const cli = await startCli(["--port", "0", "--client-id", "c", "--client-secret", "s"], env);
    try {
      const token = await getToken(cli.url, "c", "s");
      const created = await call(cli.url, "POST", "/api/connections", {
        token,
        json: { ...connectionBodies.adfs, name: "via-env" },
      });
      expect(created.status).toBe(201);
      const [row] = await query<{ n: number }>(
        url,
        "SELECT count(*)::int AS n FROM connections WHERE name = 'via-env'",
      );
      expect(row?.n).toBe(1);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });

  it("a token issued by one instance works on the other; expiry holds on both", async () => {
    const url = await pg.current.createDatabase();
    let now = Date.now();
    const options = {
      db: url,
      clientId: "c",
      clientSecret: "s",
      tokenTtlSeconds: 60,
      now: () => now,
    };
    const a = await startServer(options);
    const b = await startServer(options);
    servers.push(a, b);
    const token = await getToken(a.url, "c", "s");
    expect((await call(b.url, "GET", "/api/connections", { token })).status).toBe(200);
    expect((await call(a.url, "GET", "/api/connections", { token })).status).toBe(200);
    // Another instance with other credentials on the same database accepts none of them.
    const other = await startServer({ ...options, clientSecret: "rotated" });
    servers.push(other);
    expect((await call(other.url, "GET", "/api/connections", { token })).status).toBe(401);
    now += 60_000;
    for (const server of [a, b]) {
      const res = await call(server.url, "GET", "/api/connections", { token });
      expect(res.status).toBe(401);
      expect((res.body as { message: string }).message).toMatch(/unknown or expired/);
    }
  });

  it("gives up on a database that stopped answering after timeoutMs, and goes on after", async () => {
    const url = await pg.current.createDatabase();
    const store = await openPostgresStore(url, { timeoutMs: 400 });
    let writeLeft = true;
    try {
      await store.insertConnection(connection("before-freeze"));
      pg.current.freeze();
      try {
        const results = await Promise.allSettled([
          store.listConnections(),
          store.insertConnection(connection("while-frozen")),
          store.check(),
        ]);
        for (const r of results) {
          expect(r.status).toBe("rejected");
          expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
        }
        const messages = results.map((r) => (r as PromiseRejectedResult).reason.message);
        expect(messages[0]).toBe("The database did not answer within 400 ms; retry shortly.");
        expect(messages[2]).toBe("The database did not answer within 400 ms; retry shortly.");
        // The write either never left (still waiting for a connection: "retry"), or reached the
        // database, which never said whether it committed.
        expect([
          "The database did not answer within 400 ms; retry shortly.",
          "The database did not confirm the write within 800 ms; it may or may not have been applied: read it back before trying again.",
        ]).toContain(messages[1]);
        writeLeft = !/retry shortly/.test(messages[1] ?? "");
      } finally {
        pg.current.thaw();
      }
      let names: string[] = [];
      for (let i = 0; i < 50 && !names.includes("after-freeze"); i++) {
        try {
          await store.insertConnection(connection("after-freeze"));
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
        names = (await store.listConnections().catch(() => ({ records: [] }))).records.map(
          (c) => c.name,
        );
      }
      expect(names).toContain("before-freeze");
      expect(names).toContain("after-freeze");
      if (!writeLeft) expect(names).not.toContain("while-frozen");
    } finally {
      await store.close();
    }
  });

  it("answers 503 at once while the database is down, and recovers by itself", async () => {
    const url = await pg.current.createDatabase();
    const cli = await startCli([
      "--port",
      "0",
      "--db",
      url,
      "--client-id",
      "c",
      "--client-secret",
      "s",
      "--no-seed",
    ]);
    try {
      const token = await getToken(cli.url, "c", "s");
      expect((await call(cli.url, "GET", "/healthz")).body).toEqual({ status: "ok" });
      await pg.current.stop();
      try {
        const body = connectionBodies.adfs;
        for (const [method, path, options] of [
          ["GET", "/api/connections", { token }],
          ["POST", "/api/connections", { token, json: { ...body, name: "while-down" } }],
          ["GET", "/api/users", { token }],
          ["GET", "/healthz", {}],
          [
            "POST",
            "/oauth/token",
            { form: { client_id: "c", client_secret: "s", grant_type: "client_credentials" } },
          ],
        ] as const) {
          const res = await call(cli.url, method, path, options);
          expect(res.status, `${method} ${path}`).toBe(503);
          expect(res.headers.get("content-type")).toMatch(/^application\/json/);
          expect(res.body).toEqual({
            statusCode: 503,
            code: "MGMT_ERR_STORE_UNAVAILABLE",
            error: "Service Unavailable",
            message: expect.stringMatching(/^The database is unavailable\b.*; retry shortly\.$/),
          });
          expect(res.text).not.toContain(pg.current.password);
        }
      } finally {
        await pg.current.start();
      }
      // Back by itself: no restart of the server.
      let health = await call(cli.url, "GET", "/healthz");
      for (let i = 0; i < 100 && health.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        health = await call(cli.url, "GET", "/healthz");
      }
      expect(health.body).toEqual({ status: "ok" });
      const created = await call(cli.url, "POST", "/api/connections", {
        token,
        json: { ...connectionBodies.adfs, name: "after-outage" },
      });
      expect(created.status).toBe(201);
      expect(cli.child.exitCode).toBeNull();
      expect(cli.stderr()).not.toContain(pg.current.password);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });
});
