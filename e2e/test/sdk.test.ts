// Runs the SDK, as built, against a conformant server: the reference server, started in-process on 127.0.0.1
// and a free port, or the one MGMTKIT_BASE_URL, MGMTKIT_CLIENT_ID and MGMTKIT_CLIENT_SECRET name.
// Every assertion holds for any conformant server, so each runs in both cases; the tests create
// and delete connections of their own (named sdk-test-…) and read the users the server has, which
// must include at least three, one of them through a social connection (the reference server's
// demo seed has them).
import { startServer } from "@mgmtkit/reference-server";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  type ConnectionCreate,
  createManagementClient,
  type ManagementClientOptions,
  NotFoundError,
  type Strategy,
  type User,
} from "@mgmtkit/sdk";
import { exampleConnections, strategies } from "@mgmtkit/spec/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const external = process.env.MGMTKIT_BASE_URL;
let target: { url: string; clientId: string; clientSecret: string; close?: () => Promise<void> };

beforeAll(async () => {
  target = external
    ? {
        url: external,
        clientId: process.env.MGMTKIT_CLIENT_ID ?? "",
        clientSecret: process.env.MGMTKIT_CLIENT_SECRET ?? "",
      }
    : await startServer({ port: 0, db: ":memory:", logger: false });
});
afterAll(async () => {
  await target?.close?.();
});

/** A client whose requests are counted by path. */
function counted(extra: Partial<ManagementClientOptions> = {}) {
  const paths: string[] = [];
  const client = createManagementClient({
    baseUrl: target.url,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    fetch: (url, init) => {
      paths.push(new URL(url).pathname);
      return fetch(url, init);
    },
    ...extra,
  });
  return { client, paths };
}

const unique = () =>
  `sdk-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A valid new connection of a strategy: the spec's own example, under a name of the test's. */
const body = (strategy: Strategy, name: string) =>
  ({ ...exampleConnections[strategy], name, status: 0 }) as ConnectionCreate;

/** The user ids of a list, sorted, to compare lists whatever their order. */
const ids = (users: User[]) => users.map((u) => u.user_id).sort();

describe("against a conformant server", () => {
  it("creates a connection of each strategy and lists them, every connection of a documented strategy", async () => {
    const { client } = counted();
    const names = strategies.map((s) => `${unique()}-${s}`);
    await Promise.all(strategies.map((s, i) => client.connections.create(body(s, names[i] ?? ""))));
    try {
      const listed = await client.connections.list();
      for (const c of listed) expect(strategies).toContain(c.strategy);
      const ours = listed.filter((c) => names.includes(c.name));
      expect(ours.map((c) => [c.name, c.strategy]).sort()).toEqual(
        strategies.map((s, i) => [names[i], s]).sort(),
      );
    } finally {
      await Promise.all(names.map((n) => client.connections.delete(n)));
    }
  });

  it("creates, reads, replaces and deletes a connection", async () => {
    const { client } = counted();
    const name = unique();

    const created = await client.connections.create(body("google-apps", name));
    expect(created).toMatchObject({ name, status: 0, strategy: "google-apps" });
    expect(created.id).toEqual(expect.any(String));
    if (created.strategy !== "google-apps") throw new Error("expected a google-apps connection");
    expect(created.provisioning_ticket_url).toEqual(expect.any(String));

    const fetched = await client.connections.get(name);
    expect(fetched).toEqual(created);
    expect((await client.connections.list()).map((c) => c.name)).toContain(name);

    const replaced = await client.connections.update(name, { ...fetched, status: 1 });
    expect(replaced).toMatchObject({ id: created.id, name, status: 1 });
    expect((await client.connections.get(name)).status).toBe(1);

    expect(await client.connections.delete(name)).toEqual({ removed: created.id });

    const error = await client.connections.get(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    expect((error as Error).message).toMatch(
      new RegExp(`^GET /api/connections/${name} failed: 404 Not Found \\(.+\\)$`),
    );
  });

  it("throws ConflictError for a second connection of the same name", async () => {
    const { client } = counted();
    const name = unique();
    await client.connections.create(body("google-apps", name));
    try {
      const error = await client.connections
        .create(body("google-apps", name))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).status).toBe(409);
      expect((error as Error).message).toMatch(
        /^POST \/api\/connections failed: 409 Conflict \(.+\)$/,
      );
    } finally {
      await client.connections.delete(name);
    }
  });

  it("throws BadRequestError with the server's detail for an invalid connection", async () => {
    const { client } = counted();
    const invalid = {
      ...body("google-apps", unique()),
      options: { ext_groups: "yes" },
    } as unknown as ConnectionCreate;
    const error = await client.connections.create(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).body).toMatchObject({
      statusCode: 400,
      message: expect.any(String),
    });
  });

  it("reads every user one per page, and agrees with the list read at once", async () => {
    const { client, paths } = counted();
    const all = await client.users.list();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const before = paths.length;
    const paged: string[] = [];
    for await (const user of client.users.iterate({ perPage: 1 })) paged.push(user.user_id);
    expect(paged.sort()).toEqual(ids(all));
    // One request per user; a server may answer one more, empty, page at the end.
    expect(paths.length - before).toBeGreaterThanOrEqual(all.length);
    expect(paths.length - before).toBeLessThanOrEqual(all.length + 1);
  });

  it("reads the users of each connection and of the social connections, all among the users", async () => {
    const { client } = counted();
    const all = new Set(ids(await client.users.list()));
    for (const c of await client.connections.list()) {
      const users = await client.users.listByConnection(c.name, { perPage: 1 });
      for (const u of users) {
        expect(u.user_id.startsWith(`${c.strategy}|`)).toBe(true);
        expect(all).toContain(u.user_id);
      }
    }
    const social = await client.users.listSocial();
    expect(social.length).toBeGreaterThan(0);
    for (const u of social) {
      expect(u.user_id).toMatch(/^(google-oauth2|windowslive)\|/);
      expect(all).toContain(u.user_id);
    }
    await expect(client.users.listByConnection(unique())).rejects.toBeInstanceOf(NotFoundError);
  });

  it("shares one token among 100 parallel calls", async () => {
    const { client, paths } = counted();
    await Promise.all(Array.from({ length: 100 }, () => client.connections.list()));
    expect(paths.filter((p) => p === "/oauth/token")).toHaveLength(1);
    expect(paths.filter((p) => p === "/api/connections")).toHaveLength(100);
  });

  it("answers the same with the token in the access_token query parameter", async () => {
    const header = counted().client;
    const query = counted({ tokenPlacement: "query" }).client;
    const names = async (c: typeof header) =>
      (await c.connections.list()).map((x) => x.name).sort();
    expect(await names(query)).toEqual(await names(header));
    expect(ids(await query.users.list({ perPage: 2 }))).toEqual(ids(await header.users.list()));
  });

  it("answers the same through client.raw", async () => {
    const { client } = counted();
    const { data, error, response } = await client.raw.GET("/api/connections");
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual(await client.connections.list());
  });

  it("refuses a wrong client secret with AuthenticationError, without printing it", async () => {
    const { client } = counted({ clientSecret: "wrong-secret-value" });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(
      /^POST \/oauth\/token failed: 401 Unauthorized \(invalid_client/,
    );
    expect(JSON.stringify(error)).not.toContain("wrong-secret-value");
  });
});
