import { afterEach, describe, expect, it } from "vitest";
import { createSecrets } from "../src/errors.js";
import { AuthenticationError, createManagementClient } from "../src/index.js";
import { clientCredentials } from "../src/token-provider.js";
import { createTransport } from "../src/transport.js";
import {
  adfsConnection,
  apiError,
  json,
  type LocalServer,
  localServer,
  withTokens,
} from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const credentials = { clientId: "the-client", clientSecret: "s3cret-value" };

describe("client-credentials tokens", () => {
  it("asks for a token with a form-encoded client-credentials POST and sends it as a bearer header", async () => {
    server = await localServer(withTokens((_req, res) => json(res, 200, [adfsConnection])));
    const client = createManagementClient({ baseUrl: server.url, ...credentials });

    expect(await client.connections.list()).toEqual([adfsConnection]);

    const [token, list] = server.requests;
    expect(token?.method).toBe("POST");
    expect(token?.url).toBe("/oauth/token");
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: "the-client",
      client_secret: "s3cret-value",
    });
    expect(list?.headers.authorization).toBe("Bearer tok-1");
    expect(list?.url).toBe("/api/connections");
  });

  it("shares one token request among 100 parallel calls", async () => {
    const handler = withTokens((_req, res) => json(res, 200, []), { delayMs: 50 });
    server = await localServer(handler);
    const client = createManagementClient({ baseUrl: server.url, ...credentials });

    await Promise.all(Array.from({ length: 100 }, () => client.connections.list()));

    expect(server.to("/oauth/token")).toHaveLength(1);
    expect(server.to("/api/connections")).toHaveLength(100);
    expect(new Set(server.to("/api/connections").map((r) => r.headers.authorization))).toEqual(
      new Set(["Bearer tok-1"]),
    );
  });

  it("reuses the cached token on later calls", async () => {
    server = await localServer(withTokens((_req, res) => json(res, 200, [])));
    const client = createManagementClient({ baseUrl: server.url, ...credentials });
    await client.connections.list();
    await client.connections.list();
    await client.users.list();
    expect(server.to("/oauth/token")).toHaveLength(1);
  });

  it("refreshes once and retries once when the cached token is refused with 401", async () => {
    // The server expires tok-1 after its first use, as a server-side revocation would.
    const handler = withTokens((req, res) => {
      const seenBefore = server?.requests.filter(
        (r) => r.headers.authorization === req.headers.authorization && r.url !== "/oauth/token",
      );
      if (req.headers.authorization === "Bearer tok-1" && (seenBefore?.length ?? 0) > 1) {
        apiError(res, 401, "Unauthorized", "The access token expired.");
        return;
      }
      json(res, 200, [adfsConnection]);
    });
    server = await localServer(handler);
    const client = createManagementClient({ baseUrl: server.url, ...credentials, maxRetries: 0 });

    await client.connections.list();
    expect(await client.connections.list()).toEqual([adfsConnection]);

    expect(handler.issued).toEqual(["tok-1", "tok-2"]);
    expect(server.to("/api/connections").map((r) => r.headers.authorization)).toEqual([
      "Bearer tok-1",
      "Bearer tok-1",
      "Bearer tok-2",
    ]);
  });

  it("refreshes only once when 100 parallel calls all meet an expired token", async () => {
    const handler = withTokens((req, res) => {
      if (req.headers.authorization === "Bearer tok-1") {
        apiError(res, 401, "Unauthorized", "The access token expired.");
      } else {
        json(res, 200, []);
      }
    });
    server = await localServer(handler);
    const client = createManagementClient({ baseUrl: server.url, ...credentials });

    await Promise.all(Array.from({ length: 100 }, () => client.connections.list()));

    expect(handler.issued).toEqual(["tok-1", "tok-2"]);
  });

  it("gives up with AuthenticationError when the fresh token is refused too", async () => {
    const handler = withTokens((_req, res) =>
      apiError(res, 401, "Unauthorized", "The access token is not valid."),
    );
    server = await localServer(handler);
    const client = createManagementClient({ baseUrl: server.url, ...credentials });

    const error = await client.connections.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toBe(
      "GET /api/connections failed: 401 Unauthorized (The access token is not valid.)",
    );
    expect(handler.issued).toEqual(["tok-1", "tok-2"]);
    expect(server.to("/api/connections")).toHaveLength(2);
  });

  it("renews a token before the expires_in the server gave", async () => {
    const handler = withTokens((_req, res) => json(res, 200, []), { expiresIn: 0 });
    server = await localServer(handler);
    const client = createManagementClient({ baseUrl: server.url, ...credentials });
    await client.connections.list();
    await client.connections.list();
    expect(handler.issued).toEqual(["tok-1", "tok-2"]);
  });

  it("turns refused credentials into AuthenticationError naming the token endpoint and the OAuth error", async () => {
    server = await localServer((req, res) => {
      if (req.url === "/oauth/token") {
        json(res, 401, {
          error: "invalid_client",
          error_description: "Client authentication failed.",
        });
      }
    });
    const client = createManagementClient({ baseUrl: server.url, ...credentials });

    const error = await client.connections.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "POST /oauth/token failed: 401 Unauthorized (invalid_client: Client authentication failed.)",
    );
    expect(server.to("/api/connections")).toHaveLength(0);
    expect(server.to("/oauth/token")).toHaveLength(1);
  });

  it("uses a given accessToken as is, never asks for one, and does not refresh it on 401", async () => {
    server = await localServer((_req, res) => apiError(res, 401, "Unauthorized", "Expired."));
    const client = createManagementClient({ baseUrl: server.url, accessToken: "given-token" });

    await expect(client.connections.list()).rejects.toBeInstanceOf(AuthenticationError);

    expect(server.to("/oauth/token")).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer given-token");
  });

  it("puts the token in the access_token query parameter when tokenPlacement is query", async () => {
    server = await localServer(withTokens((_req, res) => json(res, 200, adfsConnection)));
    const client = createManagementClient({
      baseUrl: server.url,
      ...credentials,
      tokenPlacement: "query",
    });

    await client.connections.get("acme-adfs");

    const call = server.to("/api/connections/acme-adfs")[0];
    expect(call?.url).toBe("/api/connections/acme-adfs?access_token=tok-1");
    expect(call?.headers.authorization).toBeUndefined();
  });

  it("renews the token 60 seconds before a long expires_in ends, by the clock it is given", async () => {
    const handler = withTokens((_req, res) => json(res, 200, []), { expiresIn: 3600 });
    server = await localServer(handler);
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const secrets = createSecrets();
    const tokens = clientCredentials({
      url: `${server.url}/oauth/token`,
      clientId: "id",
      clientSecret: "secret",
      headers: undefined,
      send: createTransport({}, secrets, undefined),
      scrub: secrets.scrub,
      now: () => clock,
    });

    expect(await tokens.get()).toBe("tok-1");
    clock += 3539_000;
    expect(await tokens.get()).toBe("tok-1");
    clock += 2_000;
    expect(await tokens.get()).toBe("tok-2");
    expect(await tokens.get()).toBe("tok-2");
    expect(handler.issued).toEqual(["tok-1", "tok-2"]);
  });

  it("renews a short-lived token a tenth of its life early", async () => {
    const handler = withTokens((_req, res) => json(res, 200, []), { expiresIn: 100 });
    server = await localServer(handler);
    let clock = 0;
    const secrets = createSecrets();
    const tokens = clientCredentials({
      url: `${server.url}/oauth/token`,
      clientId: "id",
      clientSecret: "secret",
      headers: undefined,
      send: createTransport({}, secrets, undefined),
      scrub: secrets.scrub,
      now: () => clock,
    });
    await tokens.get();
    clock = 89_999;
    expect(await tokens.get()).toBe("tok-1");
    clock = 90_000;
    expect(await tokens.get()).toBe("tok-2");
  });
});

describe("getAccessToken()", () => {
  it("answers the token the calls use, from the same cache and the same single request", async () => {
    const handler = withTokens((_req, res) => json(res, 200, []), { delayMs: 20 });
    server = await localServer(handler);
    const client = createManagementClient({ baseUrl: server.url, ...credentials });
    const [token] = await Promise.all([client.getAccessToken(), client.connections.list()]);
    expect(token).toBe("tok-1");
    expect(await client.getAccessToken()).toBe("tok-1");
    expect(server.to("/oauth/token")).toHaveLength(1);
  });

  it("answers a given token as it is, and asks a supplier", async () => {
    expect(
      await createManagementClient({
        namespace: "t.example",
        accessToken: "given",
      }).getAccessToken(),
    ).toBe("given");
    let asked = 0;
    const client = createManagementClient({
      namespace: "t.example",
      accessToken: async () => `supplied-${++asked}`,
    });
    expect(await client.getAccessToken()).toBe("supplied-1");
    expect(await client.getAccessToken()).toBe("supplied-2");
  });

  it("rejects with the token endpoint's error", async () => {
    server = await localServer((_req, res) =>
      json(res, 401, { error: "invalid_client", error_description: "No." }),
    );
    const client = createManagementClient({ baseUrl: server.url, ...credentials });
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe("an accessToken supplier", () => {
  it("is asked before each attempt, and once more after a 401", async () => {
    server = await localServer((req, res) => {
      if (req.headers.authorization === "Bearer supplied-1") {
        apiError(res, 401, "Unauthorized", "Expired.");
      } else json(res, 200, [adfsConnection]);
    });
    let asked = 0;
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: () => `supplied-${++asked}`,
    });
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect(await client.connections.list()).toEqual([adfsConnection]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer supplied-1",
      "Bearer supplied-2",
      "Bearer supplied-3",
    ]);
    expect(server.to("/oauth/token")).toHaveLength(0);
  });

  it("rejects the call with the supplier's own error, sending nothing", async () => {
    server = await localServer((_req, res) => json(res, 200, []));
    const failure = new Error("the vault is sealed");
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: async () => {
        throw failure;
      },
    });
    await expect(client.connections.list()).rejects.toBe(failure);
    expect(server.requests).toHaveLength(0);
  });

  it("that hangs is bounded by the call's timeoutMs", async () => {
    server = await localServer((_req, res) => json(res, 200, []));
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: () => new Promise<string>(() => {}),
      maxRetries: 0,
    });
    await expect(client.connections.list({ timeoutMs: 50 })).rejects.toThrow(
      "GET /api/connections timed out after 50 ms.",
    );
  });
});
