// The PostgreSQL store's answers from memory and what a stalled database may and may not make it
// say: coherence between two instances, the listening connection going away, the provisioning
// page's lookups, and 503s that mean "not written". One throwaway cluster for the whole file.
import {
  type ConnectionRecord,
  openPostgresStore,
  type PostgresStore,
  type RunningServer,
  StoreUnavailableError,
  startServer,
} from "@mgmtkit/reference-server";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, getToken } from "./helpers.js";
import { postgresTestsRun, usePostgres } from "./support/postgres.js";

const pg = usePostgres();
// The bound the store promises: another instance's acknowledged write is in every read started
// this long after the acknowledgement.
const COHERENCE_MS = 100;

const stores: PostgresStore[] = [];
const servers: RunningServer[] = [];
let admin: postgres.Sql | undefined;
beforeAll(() => {
  if (postgresTestsRun) admin = postgres(pg.current.url, { max: 2, onnotice: () => {} });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await admin?.end();
});

/** A session of its own on the database at `url`, ended after the test. */
function session(url: string): postgres.Sql {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  sessions.push(sql);
  return sql;
}
const sessions: postgres.Sql[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.end()));
});

function superuser(): postgres.Sql {
  if (!admin) throw new Error("PostgreSQL was not started.");
  return admin;
}

async function open(url: string, options: Parameters<typeof openPostgresStore>[1] = {}) {
  const store = await openPostgresStore(url, options);
  stores.push(store);
  return store;
}

/** A server on `store` with the test's credentials, closed after the test, and a token of it. */
async function serve(store: PostgresStore): Promise<{ server: RunningServer; token: string }> {
  const server = await startServer({ store, seed: false, clientId: "c", clientSecret: "s" });
  servers.push(server);
  return { server, token: await getToken(server.url, "c", "s") };
}

const connection = (name: string, strategy = "adfs"): ConnectionRecord => ({
  id: `con_${name}`,
  name,
  client_id: "c",
  status: 1,
  strategy,
  options: { tenant_domain: `${name}.example` },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`Still not ${what} after 30 s.`);
}

/**
 * Reads through `read` until `seen` holds, from the moment the write was acknowledged: answers how
 * long it took, and checks that a read started `COHERENCE_MS` after the acknowledgement sees it
 * (the promise, whatever the machine's speed).
 */
async function coherence<T>(
  acknowledged: number,
  read: () => Promise<T>,
  seen: (value: T) => boolean,
): Promise<number> {
  let delay: number | undefined;
  while (delay === undefined && performance.now() - acknowledged < COHERENCE_MS) {
    if (seen(await read())) delay = performance.now() - acknowledged;
    else await new Promise((resolve) => setImmediate(resolve));
  }
  const wait = acknowledged + COHERENCE_MS - performance.now();
  if (wait > 0) await sleep(wait);
  expect(seen(await read())).toBe(true);
  return delay ?? COHERENCE_MS;
}

describe.runIf(postgresTestsRun)("PostgreSQL store: answers from memory", () => {
  it("each kind of write on one instance is in the other's reads within 100 ms, and in its own at once", async () => {
    const url = await pg.current.createDatabase();
    const a = await open(url);
    const b = await open(url);
    expect(a.listening && b.listening).toBe(true);
    await a.insertConnection(connection("first"));
    await a.saveToken({ hash: "old", clientId: "c", issuedAt: 1, expiresAt: 9e15 });
    const names = async (store: PostgresStore) =>
      (await store.listConnections()).records.map((c) => c.name);

    // b answers from memory: its reads go on while the table is locked against every reader.
    await coherence(
      performance.now(),
      () => names(b),
      (n) => n.includes("first"),
    );
    expect((await b.getConnection("first"))?.name).toBe("first");
    expect((await b.findToken("old"))?.hash).toBe("old");
    const lock = await session(url).reserve();
    try {
      await lock.unsafe("BEGIN; LOCK TABLE connections, tokens IN ACCESS EXCLUSIVE MODE");
      expect(await names(b)).toEqual(["first"]);
      expect((await b.getConnection("first"))?.name).toBe("first");
      expect((await b.findToken("old"))?.hash).toBe("old");
    } finally {
      await lock.unsafe("ROLLBACK");
      lock.release();
    }

    const delays: Record<string, number> = {};
    let acknowledged: number;

    await a.insertConnection(connection("second", "office365"));
    acknowledged = performance.now();
    expect(await names(a)).toEqual(["first", "second"]);
    delays.create = await coherence(
      acknowledged,
      () => names(b),
      (n) => n.includes("second"),
    );
    expect((await b.getConnection("second"))?.strategy).toBe("office365");

    await b.getConnection("first");
    await a.replaceConnection({ ...connection("first"), status: 0 });
    acknowledged = performance.now();
    expect((await a.getConnection("first"))?.status).toBe(0);
    delays.replace = await coherence(
      acknowledged,
      () => b.getConnection("first"),
      (c) => c?.status === 0,
    );
    expect((await b.listConnections()).records[0]?.status).toBe(0);

    await a.deleteConnection("second");
    acknowledged = performance.now();
    expect(await a.getConnection("second")).toBeUndefined();
    delays.delete = await coherence(
      acknowledged,
      () => names(b),
      (n) => !n.includes("second"),
    );
    expect(await b.getConnection("second")).toBeUndefined();

    // Token rotation: a new token works on the other instance at once (a token not found is
    // never remembered), and the old one, pruned past the cap, stops working there.
    await a.saveToken({ hash: "new", clientId: "c", issuedAt: 2, expiresAt: 9e15 });
    expect((await b.findToken("new"))?.hash).toBe("new");
    expect(
      await a.pruneTokens({ now: 0, clientId: "c", keep: 1, limit: 100 }),
    ).toBeGreaterThanOrEqual(1);
    acknowledged = performance.now();
    expect(await a.findToken("old")).toBeUndefined();
    delays["token rotation"] = await coherence(
      acknowledged,
      () => b.findToken("old"),
      (t) => t === undefined,
    );
    expect((await b.findToken("new"))?.hash).toBe("new");
    console.log(
      `coherence between two instances, ms: ${Object.entries(delays)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", ")}`,
    );
  });

  it("decides a replace on what is committed: a connection created elsewhere a moment ago is replaced, not answered 404", async () => {
    const url = await pg.current.createDatabase();
    const { server, token } = await serve(await open(url));
    // This instance learns that "late" does not exist.
    expect((await call(server.url, "GET", "/api/connections/late", { token })).status).toBe(404);
    // Another instance's create, committed, its announcement not arrived yet: the triggers that
    // announce it are held back for this one transaction.
    await session(url).begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`INSERT INTO connections (id, name, client_id, status, strategy, options)
               VALUES ('con_late', 'late', '"c"', 1, 'adfs', '{"tenant_domain":"late.example"}')`;
    });
    const read = await call(server.url, "GET", "/api/connections/late", { token });
    expect(read.status, "a read may answer from memory within the coherence bound").toBe(404);
    const replaced = await call(server.url, "PUT", "/api/connections/late", {
      token,
      json: { name: "late", strategy: "adfs", status: 0, options: { tenant_domain: "x.example" } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: "con_late", name: "late", status: 0 });
    // A replace that changes the strategy is refused from the committed row too.
    const moved = await call(server.url, "PUT", "/api/connections/late", {
      token,
      json: { name: "late", strategy: "office365", options: {} },
    });
    expect(moved.status).toBe(400);
  });

  it("applies announced rows to the list it holds: another instance's writes need no read of the table", async () => {
    const url = await pg.current.createDatabase();
    const a = await open(url);
    // A read of the table would wait for the lock below and fail after timeoutMs.
    const b = await open(url, { timeoutMs: 1000 });
    for (const name of ["one", "two", "three"]) await a.insertConnection(connection(name));
    const names = async () => (await b.listConnections()).records.map((c) => c.name);
    await until(async () => (await names()).join() === "one,two,three", "seen by b");
    const lock = await session(url).reserve();
    const locked = async (check: () => Promise<void>) => {
      await lock.unsafe("BEGIN; LOCK TABLE connections IN ACCESS EXCLUSIVE MODE");
      try {
        await check();
      } finally {
        await lock.unsafe("ROLLBACK");
      }
    };
    try {
      // Each write committed, then the table locked against b's reads (not against the
      // announcement, already sent): b's answers come from its list with the rows applied.
      await a.insertConnection(connection("four", "office365"));
      await a.deleteConnection("two");
      await a.replaceConnection({ ...connection("one"), status: 0 });
      let acknowledged = performance.now();
      await locked(async () => {
        await coherence(acknowledged, names, (n) => n.join() === "one,three,four");
        expect((await b.listConnections()).records[0]?.status).toBe(0);
        expect((await b.getConnection("four"))?.strategy).toBe("office365");
        expect(await b.getConnection("two")).toBeUndefined();
      });
      // Creates and deletes of one batch, and a row created before another but committed after
      // it: the list stays in creation order.
      const early = session(url);
      const reserved = await early.reserve();
      await reserved.unsafe("BEGIN");
      await reserved`
        INSERT INTO connections (id, name, client_id, status, strategy, options)
        VALUES ('con_early', 'early', ${JSON.stringify("c")}, 1, 'adfs', '{"a":1}')`;
      await Promise.all([a.insertConnection(connection("five")), a.deleteConnection("three")]);
      await reserved.unsafe("COMMIT");
      reserved.release();
      acknowledged = performance.now();
      await locked(async () => {
        await coherence(acknowledged, names, (n) => n.join() === "one,four,early,five");
        expect((await b.getConnection("early"))?.options).toEqual({ a: 1 });
      });
    } finally {
      lock.release();
    }
  });

  it("hundreds of changes announced while an instance does not read: its next list holds them all, in order", async () => {
    const url = await pg.current.createDatabase();
    const a = await open(url);
    const b = await open(url);
    await a.insertConnection(connection("kept"));
    await a.insertConnection(connection("gone"));
    const names = async () => (await b.listConnections()).records.map((c) => c.name);
    await until(async () => (await names()).join() === "kept,gone", "seen by b");
    // One statement per row, each announced with its rows, more of them than b holds unapplied.
    await session(url).unsafe(`
      DO $$ BEGIN
        FOR i IN 1..300 LOOP
          INSERT INTO connections (id, name, client_id, status, strategy, options)
          VALUES ('con_bulk' || i, 'bulk' || i, '"c"', 1, 'adfs', '{}');
        END LOOP;
        DELETE FROM connections WHERE name = 'gone';
        UPDATE connections SET status = 0 WHERE name = 'kept';
      END $$`);
    const acknowledged = performance.now();
    const expected = ["kept", ...Array.from({ length: 300 }, (_, i) => `bulk${i + 1}`)].join();
    await coherence(acknowledged, names, (n) => n.join() === expected);
    expect((await b.getConnection("kept"))?.status).toBe(0);
    expect(await b.getConnection("gone")).toBeUndefined();
    // Fewer of them are applied to the list it holds, in order.
    await a.deleteConnection("bulk1");
    await a.insertConnection(connection("last"));
    await coherence(
      performance.now(),
      names,
      (n) => n.length === 301 && n[0] === "kept" && n[1] === "bulk2" && n[300] === "last",
    );
  });

  it("stops answering from memory when its listening connection is killed, until it listens again", async () => {
    const url = await pg.current.createDatabase();
    const database = new URL(url).pathname.slice(1);
    const a = await open(url, { cache: false });
    const b = await open(url, { maxConnections: 1 });
    await a.insertConnection(connection("before"));
    await until(
      async () => (await b.listConnections()).records.length === 1,
      "seen by the other store",
    );
    await superuser().unsafe(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    try {
      const killed = await superuser().unsafe<{ pid: number }[]>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = '${database}' AND application_name = 'mgmtkit-server listen'`,
      );
      expect(killed).toHaveLength(1);
      await superuser().unsafe(`SELECT pg_terminate_backend(${killed?.[0]?.pid})`);
      await until(() => !b.listening, "noticed by the store");
      // Nobody tells b about this write; b reads the database instead of its memory.
      await a.insertConnection(connection("unheard"));
      expect((await b.listConnections()).records.map((c) => c.name)).toEqual(["before", "unheard"]);
      expect((await b.getConnection("unheard"))?.name).toBe("unheard");
      await a.deleteConnection("before");
      expect(await b.getConnection("before")).toBeUndefined();
    } finally {
      await superuser().unsafe(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
    await until(() => b.listening, "listening again");
    await a.insertConnection(connection("after"));
    const acknowledged = performance.now();
    await coherence(
      acknowledged,
      async () => (await b.listConnections()).records.map((c) => c.name),
      (n) => n.join() === "unheard,after",
    );
  });
});

describe.runIf(postgresTestsRun)("PostgreSQL store: writes of one moment in one statement", () => {
  it("creates and deletes sent together keep every answer one of its own", async () => {
    const url = await pg.current.createDatabase();
    const store = await open(url, { maxConnections: 2 });
    for (let i = 0; i < 5; i++) await store.insertConnection(connection(`old${i}`));
    const settled = await Promise.allSettled([
      ...Array.from({ length: 40 }, (_, i) => store.insertConnection(connection(`new${i}`))),
      // One name created ten times at once: one wins.
      ...Array.from({ length: 10 }, (_, i) =>
        store.insertConnection({ ...connection("same"), id: `con_same${i}` }),
      ),
      // One name deleted three times at once: one gets the id.
      ...Array.from({ length: 3 }, () => store.deleteConnection("old0")),
      ...[1, 2, 3, 4].map((i) => store.deleteConnection(`old${i}`)),
      // Created and deleted at the same moment: either order, consistently.
      store.insertConnection(connection("both")),
      store.deleteConnection("both"),
      store.deleteConnection("never"),
    ]);
    const value = (i: number) => (settled[i] as PromiseFulfilledResult<unknown>).value;
    const reason = (i: number) => (settled[i] as PromiseRejectedResult).reason as Error;
    for (let i = 0; i < 40; i++) expect(settled[i]?.status).toBe("fulfilled");
    const sameWins = settled.slice(40, 50).filter((r) => r.status === "fulfilled").length;
    expect(sameWins).toBe(1);
    for (let i = 40; i < 50; i++) {
      if (settled[i]?.status === "rejected") expect(reason(i).name).toBe("NameTakenError");
    }
    expect([value(50), value(51), value(52)].sort()).toEqual(["con_old0", undefined, undefined]);
    expect([53, 54, 55, 56].map(value)).toEqual(["con_old1", "con_old2", "con_old3", "con_old4"]);
    expect(settled[57]?.status).toBe("fulfilled");
    const bothDeleted = value(58) === "con_both";
    expect(value(59)).toBeUndefined();
    const names = (await store.listConnections()).records.map((c) => c.name);
    expect(names).toEqual(
      [
        ...Array.from({ length: 40 }, (_, i) => `new${i}`).filter(() => true),
        "same",
        ...(bothDeleted ? [] : ["both"]),
      ].sort((a, b) => names.indexOf(a) - names.indexOf(b)),
    );
    expect(names).toHaveLength(41 + (bothDeleted ? 0 : 1));
    expect((await store.getConnection("same"))?.id).toMatch(/^con_same\d$/);
  });
});

describe.runIf(postgresTestsRun)("PostgreSQL store: the provisioning page", () => {
  it("finds a ticket through its index: 30 anonymous requests read at most one row each", async () => {
    const url = await pg.current.createDatabase();
    const filler = await openPostgresStore(url);
    const tickets: string[] = [];
    for (let i = 0; i < 300; i++) {
      const ticket =
        i % 30 === 0 ? `${i.toString(16).padStart(4, "0")}abcdef0123456789` : undefined;
      if (ticket) tickets.push(ticket);
      await filler.insertConnection({
        ...connection(`c${i}`, ticket ? "office365" : "adfs"),
        options: { big: "x".repeat(2000) },
        ...(ticket ? { provisioning_ticket: ticket } : {}),
      });
    }
    await filler.close();
    // Counters of a backend reach the statistics when it exits: the server is closed first.
    const statsOf = session(url);
    const measure = async () => {
      const [row] = await statsOf.unsafe<{ n: string }[]>(
        `SELECT (seq_tup_read + coalesce(idx_tup_fetch, 0))::text AS n
         FROM pg_stat_user_tables WHERE relname = 'connections'`,
      );
      return Number(row?.n);
    };
    {
      const before = await measure();
      const server = await startServer({
        store: await openPostgresStore(url, { cache: false }),
        seed: false,
        clientId: "c",
        clientSecret: "s",
      });
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          call(server.url, "GET", `/p/office365/${i % 2 === 0 ? tickets[i % 10] : `${i}beef`}`),
        ),
      );
      await server.close();
      expect(answers.map((r) => r.status)).toEqual(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 200 : 404)),
      );
      expect(answers[0]?.body).toMatchObject({ connection: "c0" });
      let read = 0;
      await until(async () => {
        await statsOf.unsafe("SELECT pg_stat_clear_snapshot()");
        read = (await measure()) - before;
        return read >= 1;
      }, "counted by the statistics");
      // One row per ticket found, none for a ticket that does not exist; 300 per request before.
      expect(read).toBeLessThanOrEqual(15);
    }
  });

  it("30 anonymous requests waiting on the database leave the pool to authenticated ones", async () => {
    const url = await pg.current.createDatabase();
    const { server, token } = await serve(await open(url, { maxConnections: 10, timeoutMs: 3000 }));
    expect((await call(server.url, "GET", "/api/users", { token })).status).toBe(200);
    const lock = await session(url).reserve();
    let anonymous: Promise<Awaited<ReturnType<typeof call>>[]> | undefined;
    try {
      await lock.unsafe("BEGIN; LOCK TABLE connections IN ACCESS EXCLUSIVE MODE");
      anonymous = Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          call(server.url, "GET", `/p/adfs/${(i + 1).toString(16).padStart(20, "0")}`),
        ),
      );
      const waiting = async () => {
        const [row] = await superuser().unsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE application_name = 'mgmtkit-server' AND wait_event_type = 'Lock'`,
        );
        return row?.n ?? 0;
      };
      await until(async () => (await waiting()) >= 2, "waiting on the lock");
      // Room for more of them to reach the database, if they could.
      await sleep(300);
      expect(await waiting()).toBeLessThanOrEqual(2);
      const users = await call(server.url, "GET", "/api/users", { token });
      expect(users.status).toBe(200);
    } finally {
      await lock.unsafe("ROLLBACK");
      lock.release();
    }
    expect((await anonymous)?.map((r) => r.status)).toEqual(Array(30).fill(404));
  });
});

describe.runIf(postgresTestsRun)("PostgreSQL store: a stalled database", () => {
  it("a 503 that says retry was not written: creates and deletes sent to a frozen database", async () => {
    const url = await pg.current.createDatabase();
    const store = await open(url, { timeoutMs: 300, outcomeWaitMs: 60_000, maxConnections: 4 });
    for (let i = 0; i < 3; i++) await store.insertConnection(connection(`old${i}`));
    // Every connection of the pool open before the freeze.
    await Promise.all(Array.from({ length: 8 }, () => store.getConnection("old0")));
    pg.current.freeze();
    let writes: PromiseSettledResult<unknown>[];
    const names = Array.from({ length: 6 }, (_, i) => `frozen${i}`);
    try {
      const pending = Promise.allSettled([
        ...names.map((name) => store.insertConnection(connection(name))),
        ...[0, 1, 2].map((i) => store.deleteConnection(`old${i}`)),
      ]);
      // Past the deadline: an answer given now could not know the outcome.
      await sleep(900);
      pg.current.thaw();
      writes = await pending;
    } finally {
      pg.current.thaw();
    }
    const check = session(url);
    {
      const stored = new Set(
        (await check<{ name: string }[]>`SELECT name FROM connections`).map((r) => r.name),
      );
      const outcomes = writes.map((w, i) => {
        const name = i < names.length ? names[i] : `old${i - names.length}`;
        const deleting = i >= names.length;
        if (w.status === "fulfilled") {
          // Acknowledged: the create is there, the delete is done.
          expect(stored.has(name as string), `${name}`).toBe(!deleting);
          return "done";
        }
        expect(w.reason).toBeInstanceOf(StoreUnavailableError);
        const message = (w.reason as Error).message;
        if (/retry/.test(message)) {
          // "Retry" means not written: the create is absent, the delete did not happen.
          expect(stored.has(name as string), `${name}: ${message}`).toBe(deleting);
          return "not written";
        }
        expect(message).toMatch(/may or may not have been applied/);
        return "unknown";
      });
      console.log(`writes sent to a frozen database, after the thaw: ${outcomes.join(", ")}`);
    }
  });

  it("statements left behind by a stall never answer another caller: 503 or the right rows", async () => {
    const url = await pg.current.createDatabase();
    const store = await open(url, { timeoutMs: 200, maxConnections: 1, cache: false });
    await store.insertConnection(connection("kept"));
    await store.saveToken({ hash: "t", clientId: "c", issuedAt: 1, expiresAt: 9e15 });
    pg.current.freeze();
    try {
      // Queued on the one connection in an order unlike the reads after the thaw, so that rows
      // handed to the wrong caller show.
      const stalled = await Promise.allSettled([
        store.findToken("t"),
        store.getConnection("nothing"),
        store.listConnections(),
        store.getConnection("kept"),
        store.findToken("t"),
      ]);
      for (const r of stalled) {
        expect(r.status).toBe("rejected");
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
      }
    } finally {
      pg.current.thaw();
    }
    // The reads abandoned above still complete on the connection; their rows go nowhere. On a
    // busy machine a read after the thaw may itself outlast the 200 ms deadline: that is a 503,
    // never another caller's rows.
    const answered = new Set<string>();
    const check = <T>(name: string, r: PromiseSettledResult<T>, right: (value: T) => void) => {
      if (r.status === "rejected") {
        expect(r.reason).toBeInstanceOf(StoreUnavailableError);
        return;
      }
      right(r.value);
      answered.add(name);
    };
    for (let i = 0; i < 20; i++) {
      const [found, token, missing, pruned, list] = await Promise.allSettled([
        store.getConnection("kept"),
        store.findToken("t"),
        store.getConnection("nothing"),
        store.pruneTokens({ now: 0, clientId: "c", keep: 10, limit: 10 }),
        store.listConnections(),
      ]);
      check("found", found, (v) => expect(v?.name).toBe("kept"));
      check("token", token, (v) => expect(v?.hash).toBe("t"));
      check("missing", missing, (v) => expect(v).toBeUndefined());
      check("pruned", pruned, (v) => expect(v).toBe(0));
      check("list", list, (v) => expect(v.records.map((c) => c.name)).toEqual(["kept"]));
    }
    // Each kind of read answered at least once with its own rows.
    expect([...answered].sort()).toEqual(["found", "list", "missing", "pruned", "token"]);
  });
});
