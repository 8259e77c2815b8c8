// The one contract every store keeps, run unchanged against each of them: a SQLite file, SQLite in
// memory, and PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ConnectionRecord,
  NameTakenError,
  openPostgresStore,
  openSqliteStore,
  type Store,
  StoreUnavailableError,
} from "@mgmtkit/reference-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { postgresTestsRun, usePostgres } from "./support/postgres.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-contract-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pg = usePostgres();

interface Opened {
  store: Store;
  /** Opens another store on the same database (another process would); absent for `:memory:`. */
  another?: () => Promise<Store>;
  /** Resolves once a write another store acknowledged is in every read this one starts. */
  coherent?: () => Promise<void>;
}

let files = 0;
// `shared`: whether another store can open the same database (`another`); the tests of what one
// store sees of another's writes run only there, and show as skipped elsewhere.
const backends: Array<[name: string, run: boolean, shared: boolean, open: () => Promise<Opened>]> =
  [
    [
      "SQLite file",
      true,
      true,
      async () => {
        const file = join(dir, `contract-${++files}.sqlite`);
        return { store: openSqliteStore(file), another: async () => openSqliteStore(file) };
      },
    ],
    ["SQLite :memory:", true, false, async () => ({ store: openSqliteStore(":memory:") })],
    [
      "PostgreSQL",
      postgresTestsRun,
      true,
      async () => {
        const url = await pg.current.createDatabase();
        return {
          store: await openPostgresStore(url),
          another: () => openPostgresStore(url),
          // Another instance's writes are in every read started 100 ms after they were acknowledged.
          coherent: () => new Promise((resolve) => setTimeout(resolve, 100)),
        };
      },
    ],
  ];

const connection = (name: string, strategy = "adfs"): ConnectionRecord => ({
  id: `con_${name}`,
  name,
  client_id: "c",
  status: 1,
  strategy,
  options: { tenant_domain: `${name}.example`, thumbprints: ["ab"] },
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The `another` of a backend that has one; the tests that call this run only where it does. */
function anotherOf(opened: Opened): () => Promise<Store> {
  if (!opened.another) throw new Error("This backend cannot open another store on its database.");
  return opened.another;
}

describe.each(backends)("%s store", (_name, run, shared, open) => {
  const opened: Store[] = [];
  const openStore = async (): Promise<Opened> => {
    const o = await open();
    opened.push(o.store);
    const another = o.another;
    return another
      ? {
          ...o,
          store: o.store,
          another: async () => {
            const s = await another();
            opened.push(s);
            return s;
          },
        }
      : o;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it.runIf(run)(
    "creates, reads, replaces and deletes connections, options kept as sent",
    async () => {
      const { store } = await openStore();
      const options = { z: 1, a: [{ b: null, "ü-é": "x\u2028y" }], big: 1e300, neg: -0.5 };
      await store.insertConnection({ ...connection("one"), options });
      await store.insertConnection(connection("two", "office365"));
      expect(await store.getConnection("one")).toEqual({ ...connection("one"), options });
      // A client id is any string, even one holding a NUL character.
      const odd = { ...connection("odd"), client_id: 'nul\0 "quoted" \\ é' };
      await store.insertConnection(odd);
      expect(await store.getConnection("odd")).toEqual(odd);
      expect(await store.deleteConnection("odd")).toBe("con_odd");
      await store.saveToken({ hash: "odd", clientId: odd.client_id, issuedAt: 1, expiresAt: 2 });
      expect((await store.findToken("odd"))?.clientId).toBe(odd.client_id);
      expect(JSON.stringify((await store.getConnection("one"))?.options)).toBe(
        JSON.stringify(options),
      );
      expect(await store.getConnection("none")).toBeUndefined();
      expect(await store.getConnection("nul\0byte")).toBeUndefined();
      const listed = await store.listConnections();
      expect(listed.records.map((c) => c.name)).toEqual(["one", "two"]);

      await expect(
        store.insertConnection({ ...connection("one"), id: "con_other" }),
      ).rejects.toBeInstanceOf(NameTakenError);
      expect(await store.replaceConnection({ ...connection("two", "office365"), status: 0 })).toBe(
        true,
      );
      expect((await store.getConnection("two"))?.status).toBe(0);
      expect(await store.replaceConnection(connection("ghost"))).toBe(false);
      expect(await store.deleteConnection("one")).toBe("con_one");
      expect(await store.deleteConnection("one")).toBeUndefined();
      expect((await store.listConnections()).records.map((c) => c.name)).toEqual(["two"]);
    },
  );

  it.runIf(run)("seeds once; lists, filters and slices users; cascades them", async () => {
    const { store, another } = await openStore();
    const social = connection("social", "google-oauth2");
    const users = [
      { connectionId: "con_a", user: { user_id: "adfs|1" } },
      { connectionId: "con_social", user: { user_id: "google-oauth2|2", email: "e@x" } },
      { connectionId: "con_a", user: { user_id: "adfs|3" } },
    ];
    expect(await store.seedOnce([connection("a"), social], users)).toBe(true);
    expect(await store.seedOnce([connection("b")], [])).toBe(false);
    if (another) expect(await (await another()).seedOnce([connection("c")], [])).toBe(false);
    expect((await store.listConnections()).records.map((c) => c.name)).toEqual(["a", "social"]);

    const ids = (r: { users: { user: { user_id: string } }[] }) =>
      r.users.map((u) => u.user.user_id);
    expect(ids(await store.listUsers({}))).toEqual(["adfs|1", "google-oauth2|2", "adfs|3"]);
    expect(ids(await store.listUsers({ connectionId: "con_a" }))).toEqual(["adfs|1", "adfs|3"]);
    expect(ids(await store.listUsers({ strategies: ["google-oauth2", "windowslive"] }))).toEqual([
      "google-oauth2|2",
    ]);
    expect(ids(await store.listUsers({ strategies: [] }))).toEqual([]);
    // Only the users of enabled connections, once the social one is disabled.
    expect(ids(await store.listUsers({ enabledOnly: true }))).toEqual(
      ids(await store.listUsers({})),
    );
    expect(await store.replaceConnection({ ...social, status: 0 })).toBe(true);
    expect(ids(await store.listUsers({ enabledOnly: true }))).toEqual(["adfs|1", "adfs|3"]);
    expect(await store.replaceConnection(social)).toBe(true);
    expect(await store.listUsers({}, { limit: 2, offset: 1 })).toEqual({
      total: 3,
      users: [users[1], users[2]],
    });
    expect(await store.listUsers({ connectionId: "con_a" }, { limit: 1, offset: 5 })).toEqual({
      total: 2,
      users: [],
    });
    // A replacement that changes the strategy moves the users to the new one.
    expect(await store.replaceConnection({ ...social, strategy: "windowslive" })).toBe(true);
    expect(ids(await store.listUsers({ strategies: ["windowslive"] }))).toEqual([
      "google-oauth2|2",
    ]);
    expect(await store.deleteConnection("a")).toBe("con_a");
    expect(ids(await store.listUsers({}))).toEqual(["google-oauth2|2"]);
  });

  it.runIf(run)(
    "of parallel creates of one name exactly one succeeds; the other writes all land",
    async () => {
      const { store } = await openStore();
      await store.insertConnection(connection("kept"));
      const results = await Promise.allSettled([
        ...Array.from({ length: 50 }, (_, i) =>
          store.insertConnection({ ...connection("same"), id: `con_same_${i}` }),
        ),
        ...Array.from({ length: 10 }, (_, i) =>
          store.insertConnection(connection(`distinct-${i}`)),
        ),
        store.replaceConnection({ ...connection("kept"), status: 0 }),
        store.deleteConnection("missing"),
      ]);
      const same = results.slice(0, 50);
      expect(same.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of same.filter((r) => r.status === "rejected")) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(NameTakenError);
      }
      expect(results.slice(50).map((r) => r.status)).toEqual(Array(12).fill("fulfilled"));
      expect(results.at(-2)).toEqual({ status: "fulfilled", value: true });
      const names = (await store.listConnections()).records.map((c) => c.name);
      expect(names.filter((n) => n === "same")).toHaveLength(1);
      expect(names).toHaveLength(12);
      expect((await store.getConnection("kept"))?.status).toBe(0);
    },
  );

  it.runIf(run)("answers a new list version after a write of its own", async () => {
    const { store } = await openStore();
    const first = await store.listConnections();
    const again = await store.listConnections();
    if (again.version === first.version) expect(again.records).toEqual(first.records);
    expect(Object.isFrozen(first.records)).toBe(true);

    await store.insertConnection(connection("x"));
    const afterOwn = await store.listConnections();
    expect(afterOwn.version).not.toBe(first.version);
    expect(afterOwn.records.map((c) => c.name)).toEqual(["x"]);
  });

  it.runIf(run && shared)(
    "answers a new list version after a write of another store on the same database",
    async () => {
      const opened = await openStore();
      const { store, coherent = nextTurn } = opened;
      await store.insertConnection(connection("x"));
      const afterOwn = await store.listConnections();
      const other = await anotherOf(opened)();
      await other.deleteConnection("x");
      await other.insertConnection(connection("y"));
      await coherent();
      const afterOther = await store.listConnections();
      expect(afterOther.version).not.toBe(afterOwn.version);
      expect(afterOther.records.map((c) => c.name)).toEqual(["y"]);
    },
  );

  it.runIf(run && shared)("keeps its data for the next store on the same database", async () => {
    const opened = await openStore();
    const { store } = opened;
    await store.insertConnection(connection("durable"));
    await store.saveToken({ hash: "t", clientId: "c", issuedAt: 1, expiresAt: 9e12 });
    await store.close();
    const reopened = await anotherOf(opened)();
    expect(await reopened.getConnection("durable")).toEqual(connection("durable"));
    expect(await reopened.findToken("t")).toEqual({
      hash: "t",
      clientId: "c",
      issuedAt: 1,
      expiresAt: 9e12,
    });
  });

  it.runIf(run)(
    "stores tokens and prunes the expired and those over a client's cap, in batches",
    async () => {
      const { store } = await openStore();
      const now = 1_000_000;
      const save = (hash: string, clientId: string, issuedAt: number, expiresAt: number) =>
        store.saveToken({ hash, clientId, issuedAt, expiresAt });
      await Promise.all(
        Array.from({ length: 25 }, (_, i) => save(`expired-${i}`, "c", i, now - i)),
      );
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => save(`live-${i}`, "c", 100 + i, now + 1000)),
      );
      await Promise.all(
        Array.from({ length: 4 }, (_, i) => save(`other-${i}`, "d", 100 + i, now + 1000)),
      );
      expect(await store.findToken("live-0")).toEqual({
        hash: "live-0",
        clientId: "c",
        issuedAt: 100,
        expiresAt: now + 1000,
      });
      expect(await store.findToken("unknown")).toBeUndefined();

      const pruning = { now, clientId: "c", keep: 3, limit: 10 };
      // Each call deletes at most `limit` expired tokens, and at most `limit` over the cap.
      const first = await store.pruneTokens(pruning);
      expect(first).toBeGreaterThanOrEqual(10);
      expect(first).toBeLessThanOrEqual(20);
      let total = first;
      for (let calls = 0; calls < 10; calls++) {
        const deleted = await store.pruneTokens(pruning);
        total += deleted;
        if (deleted < pruning.limit) break;
      }
      expect(total).toBe(25 + 5);
      expect(await store.pruneTokens(pruning)).toBe(0);
      for (const [hash, kept] of [
        ["expired-0", false],
        ["expired-24", false],
        ["live-4", false],
        ["live-5", true],
        ["live-7", true],
        ["other-0", true],
      ] as const) {
        expect(await store.findToken(hash), hash).toEqual(kept ? expect.anything() : undefined);
      }
    },
  );

  it.runIf(run)("answers its health check until closed", async () => {
    const { store } = await openStore();
    await expect(store.check()).resolves.toBeUndefined();
    await store.close();
    await expect(store.check()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
