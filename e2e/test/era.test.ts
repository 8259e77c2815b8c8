import { request } from "node:https";
import { type RunningServer, startServer } from "@mgmtkit/reference-server";
import { selfSignedCertificate } from "@mgmtkit/reference-server/testing";
import { createManagementClient } from "@mgmtkit/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The create body the client of the time documented, exactly. */
const eraCreate = {
  name: "thesuperstore-connection",
  strategy: "office365",
  options: { tenant_domain: "bigcompany.com" },
};

const certificate = selfSignedCertificate();
const ca = certificate.cert;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    db: ":memory:",
    seed: false,
    tls: { cert: ca, key: certificate.key },
  });
});

afterAll(async () => {
  await server?.close();
  certificate.remove();
});

/** `fetch` over HTTPS that trusts the test's certificate (and nothing else). */
function trustingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : {}));
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers: Object.fromEntries(headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of [value ?? []].flat()) answer.append(name, one);
        }
        const status = res.statusCode ?? 0;
        const body = [204, 304].includes(status) ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers: answer }));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    init?.signal?.addEventListener("abort", () => req.destroy(new Error("aborted")));
    const body = init?.body;
    req.end(typeof body === "string" || body instanceof Uint8Array ? body : undefined);
  });
}

async function token(): Promise<string> {
  const answer = await trustingFetch(`${server.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `client_id=${server.clientId}&client_secret=${encodeURIComponent(server.clientSecret)}&type=web_server&grant_type=client_credentials`,
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { access_token: string }).access_token;
}

const placements = [
  ["the query string", (t: string) => ({ query: `?access_token=${t}`, headers: {} })],
  [
    "an Authorization: Bearer header",
    (t: string) => ({ query: "", headers: { authorization: `Bearer ${t}` } }),
  ],
] as const;

describe("over HTTPS, the era's bodies", () => {
  it.each(placements)("create and replace with the token in %s", async (_where, place) => {
    const { query, headers } = place(await token());
    const name = `${eraCreate.name}-${query ? "query" : "header"}`;
    const created = await trustingFetch(`${server.url}/api/connections${query}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ ...eraCreate, name }),
    });
    expect(created.status).toBe(201);
    const connection = (await created.json()) as Record<string, unknown>;
    expect(connection).toMatchObject({
      name,
      strategy: "office365",
      status: 1,
      client_id: server.clientId,
      options: eraCreate.options,
    });
    expect(connection.id).toEqual(expect.any(String));
    expect(connection.provisioning_ticket_url).toMatch(
      new RegExp(`^${server.url}/p/office365/[0-9a-f]+$`),
    );

    // The update of the time sent an object built by hand: no client_id, no id.
    const byHand = { name, strategy: "office365", status: 0, options: { tenant_domain: "x.com" } };
    const replaced = await trustingFetch(`${server.url}/api/connections/${name}${query}`, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(byHand),
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ ...connection, ...byHand });
  });

  it("create and replace through the SDK", async () => {
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      fetch: trustingFetch,
    });
    const name = `${eraCreate.name}-sdk`;
    const created = await client.connections.create({ ...eraCreate, name, strategy: "office365" });
    expect(created).toMatchObject({ name, status: 1, client_id: server.clientId });
    const replaced = await client.connections.update(name, {
      name,
      strategy: "office365",
      status: 0,
      options: { tenant_domain: "bigcompany.com" },
    });
    expect(replaced).toMatchObject({ id: created.id, status: 0 });
    expect(await client.connections.get(name)).toEqual(replaced);
    expect(await client.connections.delete(name)).toEqual({ removed: created.id });
  });
});
