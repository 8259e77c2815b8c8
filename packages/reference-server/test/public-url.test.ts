// The origin of generated URLs: the request's Host by default, a fixed public URL when configured.
import { ServerStartError, startServer } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken, injectApp, type TestApp } from "./helpers.js";

/** The provisioning URL of a new adfs connection, and the next-page link of the users, for `host`. */
async function generatedUrls(server: TestApp, host: string): Promise<string[]> {
  const token = await getToken(server.app, "c", "s");
  const headers = { host };
  const name = `pub-${Math.random().toString(36).slice(2)}`;
  const created = await call(server.app, "POST", "/api/connections", {
    token,
    headers,
    json: { ...connectionBodies.adfs, name },
  });
  const read = await call(server.app, "GET", `/api/connections/${name}`, { token, headers });
  const list = await call(server.app, "GET", "/api/connections", { token, headers });
  const users = await call(server.app, "GET", "/api/users?per_page=1", { token, headers });
  const listed = (list.body as Array<{ name: string; provisioning_ticket_url?: string }>).find(
    (c) => c.name === name,
  );
  const ticketUrl = (created.body as { provisioning_ticket_url: string }).provisioning_ticket_url;
  const page = await call(server.app, "GET", new URL(ticketUrl).pathname, { headers });
  return [
    ticketUrl,
    (read.body as { provisioning_ticket_url: string }).provisioning_ticket_url,
    listed?.provisioning_ticket_url ?? "",
    (page.body as { provisioning_ticket_url: string }).provisioning_ticket_url,
    /^<([^>]+)>/.exec(users.headers.get("link") ?? "")?.[1] ?? "",
  ];
}

describe("without a public URL", () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await injectApp({ clientId: "c", clientSecret: "s" });
  });
  afterAll(() => server.close());

  it("writes the request's Host into generated URLs (documented)", async () => {
    for (const url of await generatedUrls(server, "evil.example")) {
      expect(url).toMatch(/^http:\/\/evil\.example\/(p\/adfs\/|api\/users\?per_page=1&page=1$)/);
    }
  });

  it("falls back to the listening address for a Host that is not a host", async () => {
    for (const url of await generatedUrls(server, "a b/c")) {
      expect(url).toMatch(/^http:\/\/localhost\//);
    }
  });
});

describe("with a public URL", () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await injectApp({
      clientId: "c",
      clientSecret: "s",
      publicUrl: "https://api.example.com/",
    });
  });
  afterAll(() => server.close());

  it.each(["evil.example", "localhost:80", "a b/c"])(
    "writes the public origin into generated URLs, whatever Host says (%s)",
    async (host) => {
      for (const url of await generatedUrls(server, host)) {
        expect(url).toMatch(/^https:\/\/api\.example\.com\/(p\/adfs\/|api\/users\?)/);
      }
    },
  );
});

describe("startServer({ publicUrl })", () => {
  it("serves with a valid one", async () => {
    const server = await startServer({
      publicUrl: "http://127.0.0.9:8443",
      clientId: "c",
      clientSecret: "s",
    });
    try {
      const token = await getToken(server.url, "c", "s");
      const res = await call(server.url, "POST", "/api/connections", {
        token,
        json: { ...connectionBodies.office365, name: "pub" },
      });
      expect((res.body as { provisioning_ticket_url: string }).provisioning_ticket_url).toMatch(
        /^http:\/\/127\.0\.0\.9:8443\/p\/office365\//,
      );
    } finally {
      await server.close();
    }
  });

  it.each([
    ["api.example.com", /absolute http or https URL/],
    ["ftp://api.example.com", /must use http or https, not ftp/],
    ["https://api.example.com/base", /without credentials, path, query or fragment/],
    ["https://api.example.com/?x=1", /without credentials, path, query or fragment/],
    ["https://user:pw@api.example.com", /without credentials, path, query or fragment/],
  ])("refuses %s with one sentence", async (publicUrl, message) => {
    const start = startServer({ publicUrl, seed: false });
    await expect(start).rejects.toThrow(ServerStartError);
    await expect(start).rejects.toThrow(message);
  });
});
