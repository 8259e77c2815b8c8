// Runs the SDK against the reference server, started in-process on 127.0.0.1 and a free port.
// MGMTKIT_BASE_URL, MGMTKIT_CLIENT_ID and MGMTKIT_CLIENT_SECRET point it at another server
// instead; the tests then only create and delete connections of their own (named sdk-test-…).
import { startServer } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  type Connection,
  type ConnectionCreate,
  createManagementClient,
  type ManagementClientOptions,
  NotFoundError,
} from "../src/index.js";

const external = process.env.MGMTKIT_BASE_URL;
let target: { url: string; clientId: string; clientSecret: string; close?: () => Promise<void> };

beforeAll(async () => {
  if (external) {
    target = {
      url: external,
      clientId: process.env.MGMTKIT_CLIENT_ID ?? "",
      clientSecret: process.env.MGMTKIT_CLIENT_SECRET ?? "",
    };
  } else {
    const server = await startServer({ port: 0, db: ":memory:", logger: false });
    target = server;
  }
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

function googleApps(name: string): ConnectionCreate {
  return {
    name,
    status: 0,
    strategy: "google-apps",
    options: {
      client_id: "1234567890.apps.googleusercontent.com",
      client_secret: "GOOG-APPS-CLIENT-SECRET",
      tenant_domain: "fabrikam.com",
      ext_groups: true,
    },
  };
}

const strategies = ["adfs", "google-apps", "google-oauth2", "office365", "windowslive"];

describe("against the reference server", () => {
  it("lists connections of the documented strategies", async () => {
    const { client } = counted();
    const connections = await client.connections.list();
    expect(Array.isArray(connections)).toBe(true);
    for (const c of connections) expect(strategies).toContain(c.strategy);
    if (!external) {
      expect(new Set(connections.map((c) => c.strategy))).toEqual(new Set(strategies));
    }
  });

  it("creates, reads, replaces and deletes a connection", async () => {
    const { client } = counted();
    const name = unique();

    const created = await client.connections.create(googleApps(name));
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
    expect((error as Error).message).toBe(
      `GET /api/connections/${name} failed: 404 Not Found (No connection named "${name}".)`,
    );
  });

  it("throws ConflictError for a second connection of the same name", async () => {
    const { client } = counted();
    const name = unique();
    await client.connections.create(googleApps(name));
    try {
      const error = await client.connections.create(googleApps(name)).catch((e: unknown) => e);
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
      ...googleApps(unique()),
      options: { ext_groups: "yes" },
    } as unknown as ConnectionCreate;
    const error = await client.connections.create(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).body).toMatchObject({
      statusCode: 400,
      message: expect.any(String),
    });
  });

  it("reads every user through pages and agrees with the unpaged list", async () => {
    const { client, paths } = counted();
    const all = await client.users.list();
    const before = paths.length;
    const paged: string[] = [];
    for await (const user of client.users.iterate({ perPage: 2 })) paged.push(user.user_id);
    expect(paged).toEqual(all.map((u) => u.user_id));
    expect(paths.length - before).toBe(Math.max(1, Math.ceil(all.length / 2)));
    if (!external) expect(all.length).toBeGreaterThan(2);
  });

  it("reads the users of one connection and of the social connections", async () => {
    const { client } = counted();
    const connections: Connection[] = await client.connections.list();
    for (const c of connections.slice(0, 5)) {
      const users = await client.users.listByConnection(c.name, { perPage: 1 });
      for (const u of users) expect(u.user_id.startsWith(`${c.strategy}|`)).toBe(true);
    }
    const social = await client.users.listSocial();
    for (const u of social) expect(u.user_id).toMatch(/^(google-oauth2|windowslive)\|/);
    if (!external) expect(social.length).toBeGreaterThan(0);
    await expect(client.users.listByConnection(unique())).rejects.toBeInstanceOf(NotFoundError);
  });

  it("shares one token among 100 parallel calls", async () => {
    const { client, paths } = counted();
    await Promise.all(Array.from({ length: 100 }, () => client.connections.list()));
    expect(paths.filter((p) => p === "/oauth/token")).toHaveLength(1);
    expect(paths.filter((p) => p === "/api/connections")).toHaveLength(100);
  });

  it("sends the token as the access_token query parameter when asked to", async () => {
    const { client } = counted({ tokenPlacement: "query" });
    expect(Array.isArray(await client.connections.list())).toBe(true);
    expect((await client.users.list({ perPage: 3 })).length).toBeGreaterThanOrEqual(0);
  });

  it("works through client.raw", async () => {
    const { client } = counted();
    const { data, response } = await client.raw.GET("/api/connections");
    expect(response.status).toBe(200);
    expect(Array.isArray(data)).toBe(true);
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
