import { afterEach, describe, expect, it } from "vitest";
import { createManagementClient, ManagementError, NotFoundError } from "../src/index.js";
import { apiError, json, type LocalServer, localServer } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const users = Array.from({ length: 5 }, (_, i) => ({
  user_id: `adfs|user${i}@acme.example`,
  email: `user${i}@acme.example`,
}));

/** Pages users as servers of that era did: per_page + page, and a Link rel="next" while more remain. */
async function pagingServer(options: { absolute?: boolean } = {}) {
  return localServer((req, res) => {
    const url = new URL(req.url, "http://placeholder");
    const known = [
      "/api/users",
      "/api/socialconnections/users",
      "/api/connections/acme-adfs/users",
    ];
    if (!known.includes(url.pathname)) {
      apiError(res, 404, "Not Found", `No connection named "${url.pathname.split("/")[3]}".`);
      return;
    }
    const perPage = Number(url.searchParams.get("per_page") ?? users.length);
    const page = Number(url.searchParams.get("page") ?? 0);
    const headers: Record<string, string> = {};
    if ((page + 1) * perPage < users.length) {
      const next = `${url.pathname}?per_page=${perPage}&page=${page + 1}`;
      const target = options.absolute ? `http://${req.headers.host}${next}` : next;
      headers.link = `<${url.pathname}?per_page=${perPage}&page=0>; rel="first", <${target}>; rel="next"`;
    }
    json(res, 200, users.slice(page * perPage, (page + 1) * perPage), headers);
  });
}

describe("pagination", () => {
  it("follows Link rel=next through every page", async () => {
    server = await pagingServer({ absolute: true });
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    expect(await client.users.list({ perPage: 2 })).toEqual(users);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/users?per_page=2",
      "/api/users?per_page=2&page=1",
      "/api/users?per_page=2&page=2",
    ]);
    expect(
      server.requests.every((r) => r.headers.authorization === "Bearer test-access-token"),
    ).toBe(true);
  });

  it("resolves a relative Link against the page it came with", async () => {
    server = await pagingServer();
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    expect(await client.users.listByConnection("acme-adfs", { perPage: 3 })).toEqual(users);
    expect(server.requests).toHaveLength(2);
  });

  it("answers the whole list from one request when the server sends no Link", async () => {
    server = await pagingServer();
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    expect(await client.users.listSocial()).toEqual(users);
    expect(server.requests.map((r) => r.url)).toEqual(["/api/socialconnections/users"]);
  });

  it("iterates page by page, asking for a page only when the previous one is used up", async () => {
    server = await pagingServer({ absolute: true });
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const seen: string[] = [];
    for await (const user of client.users.iterate({ perPage: 2 })) {
      seen.push(user.user_id);
      if (seen.length === 2) expect(server.requests).toHaveLength(1);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(users.slice(0, 3).map((u) => u.user_id));
    expect(server.requests).toHaveLength(2);
  });

  it("iterates the users of one connection and throws NotFoundError for an unknown one", async () => {
    server = await pagingServer();
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const ids: string[] = [];
    for await (const user of client.users.iterateByConnection("acme-adfs", { perPage: 4 })) {
      ids.push(user.user_id);
    }
    expect(ids).toHaveLength(5);
    await expect(client.users.listByConnection("nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses to send the token to a Link on another origin", async () => {
    server = await localServer((_req, res) =>
      json(res, 200, users.slice(0, 1), {
        link: '<https://elsewhere.example/api/users?page=1&access_token=x>; rel="next"',
      }),
    );
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const error = await client.users.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as Error).message).toBe(
      'GET /api/users sent a Link rel="next" to another origin (https://elsewhere.example/api/users?page=1&access_token=[REDACTED]); not followed.',
    );
    expect(server.requests).toHaveLength(1);
  });

  it("stops a server that links back to a page it already sent", async () => {
    server = await localServer((_req, res) =>
      json(res, 200, users.slice(0, 1), { link: '</api/users?page=0>; rel="next"' }),
    );
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    await expect(client.users.list()).rejects.toThrow(/already sent/);
    expect(server.requests).toHaveLength(2);
  });

  it("keeps the token in the query of every page when tokenPlacement is query", async () => {
    server = await pagingServer({ absolute: true });
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      tokenPlacement: "query",
    });
    expect(await client.users.list({ perPage: 4 })).toHaveLength(5);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/users?per_page=4&access_token=test-access-token",
      "/api/users?per_page=4&page=1&access_token=test-access-token",
    ]);
  });
});

/** A server that never stops: every page links a next one, `user(page)` users on each page. */
async function endlessServer(usersOn: (page: number) => number, period = Number.POSITIVE_INFINITY) {
  return localServer((req, res) => {
    const page = Number(new URL(req.url, "http://x").searchParams.get("page") ?? 0);
    const count = usersOn(page);
    json(res, 200, users.slice(0, count), {
      link: `</api/users?page=${(page + 1) % period}>; rel="next"`,
    });
  });
}

describe("pagination against a server that never stops", () => {
  it("ends the list at the first empty page, though it links a next one", async () => {
    server = await endlessServer((page) => (page < 2 ? 2 : 0));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    expect(await client.users.list()).toEqual([...users.slice(0, 2), ...users.slice(0, 2)]);
    expect(server.requests).toHaveLength(3);
  });

  it("answers an empty list when the first page is empty", async () => {
    server = await endlessServer(() => 0);
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    const seen: unknown[] = [];
    for await (const user of client.users.iterate()) seen.push(user);
    expect(seen).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["the call's maxPages", {}, { maxPages: 5 }, 5],
    ["the client's maxPages", { maxPages: 3 }, {}, 3],
    ["the call's over the client's", { maxPages: 3 }, { maxPages: 4 }, 4],
  ])("fails after %s pages", async (_name, clientOptions, callOptions, pages) => {
    server = await endlessServer(() => 1);
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
      ...clientOptions,
    });
    const error = await client.users.list(callOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as Error).message).toBe(
      `GET /api/users sent a Link rel="next" after ${pages} pages (maxPages); not followed.`,
    );
    expect(server.requests).toHaveLength(pages);
  });

  it("fails after 1000 pages by default", async () => {
    // A thousand answers from a fetch in the test's own process: the rule does not need sockets,
    // and a thousand HTTP round trips take seconds on a busy machine.
    const pages: string[] = [];
    const client = createManagementClient({
      baseUrl: "https://tenant.example",
      accessToken: "test-access-token",
      fetch: async (url) => {
        pages.push(`${url}`);
        const page = Number(new URL(`${url}`).searchParams.get("page") ?? 0);
        return Response.json(users.slice(0, 1), {
          headers: { link: `</api/users?page=${page + 1}>; rel="next"` },
        });
      },
    });
    await expect(client.users.list()).rejects.toThrow(/after 1000 pages \(maxPages\)/);
    expect(pages).toHaveLength(1000);
    expect(new Set(pages).size).toBe(1000);
  });

  it.each([
    ["a cycle of 50 pages is caught when it comes round", 50, "to a page it already sent", 51],
    [
      "a cycle of 150 pages outruns the 100 remembered, and ends at maxPages",
      150,
      "after 300 pages (maxPages)",
      300,
    ],
  ])("%s", async (_name, period, problem, requests) => {
    server = await endlessServer(() => 1, period);
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: "test-access-token",
    });
    await expect(client.users.list({ maxPages: 300 })).rejects.toThrow(problem);
    expect(server.requests).toHaveLength(requests);
  });
});
