// Redirects between two origins on loopback: 127.0.0.1 is the tenant, 127.0.0.2 a stranger that
// must never see a credential.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, createManagementClient } from "../src/index.js";
import {
  adfsConnection,
  json,
  type LocalServer,
  localServer,
  withTokens,
} from "./support/local-server.js";

let tenant: LocalServer | undefined;
let stranger: LocalServer | undefined;
afterEach(async () => {
  await tenant?.close();
  await stranger?.close();
  tenant = stranger = undefined;
});

const secret = "client-secret-to-keep";

function redirect(res: import("node:http").ServerResponse, status: number, location: string) {
  res.writeHead(status, { location, "content-type": "application/json" });
  res.end(JSON.stringify({ moved: location }));
}

/** The stranger answers everything as if it were the tenant, so a followed redirect would "work". */
async function startStranger() {
  stranger = await localServer(
    withTokens((_req, res) => json(res, 200, [{ ...adfsConnection, name: "stranger-data" }])),
    "127.0.0.2",
  );
  return stranger;
}

describe("redirects to another origin", () => {
  it("refuses a 307 of the token request, so the client secret never reaches the other origin", async () => {
    const other = await startStranger();
    tenant = await localServer((req, res) => redirect(res, 307, `${other.url}${req.url}`));
    const client = createManagementClient({
      baseUrl: tenant.url,
      clientId: "id",
      clientSecret: secret,
    });

    const error = await client.connections.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(307);
    expect((error as Error).message).toBe(
      `POST /oauth/token was redirected to another origin (${other.url}/oauth/token); not followed.`,
    );
    expect(other.requests).toHaveLength(0);
    expect(tenant.requests.map((r) => r.url)).toEqual(["/oauth/token"]);
    expect(inspect(error, { depth: 5 })).not.toContain(secret);
  });

  it("refuses a 302 of an API call with the token in the query, and never answers the other origin's data", async () => {
    const other = await startStranger();
    tenant = await localServer((req, res) => redirect(res, 302, `${other.url}${req.url}`));
    const client = createManagementClient({
      baseUrl: tenant.url,
      accessToken: "query-token-to-keep",
      tokenPlacement: "query",
    });

    const error = await client.connections.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(302);
    expect((error as Error).message).toBe(
      `GET /api/connections was redirected to another origin (${other.url}/api/connections?access_token=[REDACTED]); not followed.`,
    );
    expect(other.requests).toHaveLength(0);
    expect(JSON.stringify(error)).not.toContain("query-token-to-keep");
  });

  it("names the other origin without a secret its Location echoes, in any parameter", async () => {
    const other = await startStranger();
    tenant = await localServer(
      withTokens((_req, res) =>
        redirect(res, 302, `${other.url}/steal?q=${encodeURIComponent(secret)}&t=tok-1`),
      ),
    );
    const client = createManagementClient({
      baseUrl: tenant.url,
      clientId: "id",
      clientSecret: secret,
    });

    const error = await client.connections.list().catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      `GET /api/connections was redirected to another origin (${other.url}/steal?q=[REDACTED]&t=[REDACTED]); not followed.`,
    );
    expect(inspect(error, { depth: 5 })).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain("tok-1");
    expect(other.requests).toHaveLength(0);
  });

  it("refuses it through raw as well, with the same error", async () => {
    const other = await startStranger();
    tenant = await localServer((req, res) => redirect(res, 308, `${other.url}${req.url}`));
    const client = createManagementClient({ baseUrl: tenant.url, accessToken: "header-token" });

    await expect(client.raw.GET("/api/connections")).rejects.toThrow(
      /^GET \/api\/connections was redirected to another origin/,
    );
    expect(other.requests).toHaveLength(0);
  });

  it.each([301, 302, 303, 307, 308])(
    "treats a %i to another port of the same host as another origin",
    async (status) => {
      const other = await localServer((_req, res) => json(res, 200, []));
      try {
        tenant = await localServer((req, res) => redirect(res, status, `${other.url}${req.url}`));
        const client = createManagementClient({ baseUrl: tenant.url, accessToken: "tenant-token" });
        await expect(client.connections.list()).rejects.toBeInstanceOf(ApiError);
        expect(other.requests).toHaveLength(0);
      } finally {
        await other.close();
      }
    },
  );
});

describe("redirects on the same origin", () => {
  it("follows them with the token, and says so in raw and withResponse", async () => {
    tenant = await localServer(
      withTokens((req, res) => {
        if (req.url === "/api/connections") redirect(res, 302, "/api/v1/connections");
        else json(res, 200, [adfsConnection]);
      }),
    );
    const client = createManagementClient({
      baseUrl: tenant.url,
      clientId: "id",
      clientSecret: secret,
    });

    const { data, response } = await client.connections.list().withResponse();
    expect(data).toEqual([adfsConnection]);
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${tenant.url}/api/v1/connections`);

    const raw = await client.raw.GET("/api/connections");
    expect(raw.data).toEqual([adfsConnection]);
    expect(raw.response.redirected).toBe(true);
    expect(raw.response.url).toBe(`${tenant.url}/api/v1/connections`);

    const direct = await client.raw.GET("/api/connections/{connectionName}", {
      params: { path: { connectionName: "x" } },
    });
    expect(direct.response.redirected).toBe(false);
    expect(direct.response.url).toBe(`${tenant.url}/api/connections/x`);

    const moved = tenant.to("/api/v1/connections");
    expect(moved).toHaveLength(2);
    expect(moved.every((r) => r.headers.authorization === "Bearer tok-1")).toBe(true);
  });

  it("follows a 307 of the token request with the same form body", async () => {
    tenant = await localServer((req, res) => {
      if (req.url === "/oauth/token") redirect(res, 307, "/oauth/v2/token");
      else if (req.url === "/oauth/v2/token") {
        json(res, 200, { access_token: `for-${new URLSearchParams(req.body).get("client_id")}` });
      } else json(res, 200, []);
    });
    const client = createManagementClient({
      baseUrl: tenant.url,
      clientId: "the-id",
      clientSecret: secret,
    });

    await client.connections.list();

    const [moved] = tenant.to("/oauth/v2/token");
    expect(moved?.method).toBe("POST");
    expect(new URLSearchParams(moved?.body).get("client_secret")).toBe(secret);
    expect(tenant.to("/api/connections")[0]?.headers.authorization).toBe("Bearer for-the-id");
  });

  it("keeps the token in the query of the redirected request, replacing any the server put there", async () => {
    tenant = await localServer((req, res) => {
      if (req.url.startsWith("/api/connections?")) {
        redirect(res, 301, "/api/v1/connections?access_token=planted&x=1");
      } else json(res, 200, []);
    });
    const client = createManagementClient({
      baseUrl: tenant.url,
      accessToken: "mine",
      tokenPlacement: "query",
    });
    await client.connections.list();
    expect(tenant.requests.map((r) => r.url)).toEqual([
      "/api/connections?access_token=mine",
      "/api/v1/connections?access_token=mine&x=1",
    ]);
  });

  it("turns a POST into a GET without a body on a 303, as fetch does", async () => {
    tenant = await localServer((req, res) => {
      if (req.method === "POST") redirect(res, 303, "/api/connections/acme-adfs");
      else json(res, 200, adfsConnection);
    });
    const client = createManagementClient({ baseUrl: tenant.url, accessToken: "tenant-token" });
    expect(await client.connections.create(adfsConnection as never)).toEqual(adfsConnection);
    const [, second] = tenant.requests;
    expect(second).toMatchObject({ method: "GET", url: "/api/connections/acme-adfs", body: "" });
    expect(second?.headers["content-type"]).toBeUndefined();
  });

  it("stops after five redirects", async () => {
    let hop = 0;
    tenant = await localServer((_req, res) => redirect(res, 302, `/api/hop/${++hop}`));
    const client = createManagementClient({ baseUrl: tenant.url, accessToken: "tenant-token" });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe("GET /api/hop/5 was redirected more than 5 times.");
    expect(tenant.requests).toHaveLength(6);
  });

  it("answers a 3xx without a Location as an error of that status", async () => {
    tenant = await localServer((_req, res) => {
      res.writeHead(300, { "content-type": "application/json" });
      res.end('{"statusCode":300,"error":"Multiple Choices","message":"Pick one."}');
    });
    const client = createManagementClient({ baseUrl: tenant.url, accessToken: "tenant-token" });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      "GET /api/connections failed: 300 Multiple Choices (Pick one.)",
    );
  });
});
