import { request } from "node:https";
import { startServer } from "@mgmtkit/reference-server";
import { selfSignedCertificate } from "@mgmtkit/reference-server/testing";
import { afterAll, describe, expect, it } from "vitest";
import { connectionBodies, startCli } from "./helpers.js";

const { cert, key, certFile, keyFile, remove } = selfSignedCertificate();
afterAll(remove);

function https(
  url: string,
  method: string,
  body?: { type: string; text: string },
  token?: string,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: cert,
        headers: {
          ...(body ? { "content-type": body.type } : {}),
          ...(token ? { authorization: `bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(body?.text);
  });
}

async function exercise(url: string, id: string, secret: string): Promise<void> {
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const tokenRes = await https(`${url}/oauth/token`, "POST", {
    type: "application/x-www-form-urlencoded",
    text: `client_id=${id}&client_secret=${secret}&type=web_server&grant_type=client_credentials`,
  });
  expect(tokenRes.status).toBe(200);
  const token = (tokenRes.json as { access_token: string }).access_token;
  const created = await https(
    `${url}/api/connections/`,
    "POST",
    { type: "application/json", text: JSON.stringify(connectionBodies.office365) },
    token,
  );
  expect(created.status).toBe(201);
  expect((created.json as { provisioning_ticket_url: string }).provisioning_ticket_url).toMatch(
    new RegExp(`^${url}/p/office365/`),
  );
  expect(
    (
      await https(
        `${url}/api/connections/${connectionBodies.office365.name}/`,
        "GET",
        undefined,
        token,
      )
    ).status,
  ).toBe(200);
  // A client that does not trust the certificate is refused by TLS itself.
  await expect(
    new Promise((resolve, reject) =>
      request(`${url}/api/connections`, (res) => resolve(res.statusCode))
        .on("error", reject)
        .end(),
    ),
  ).rejects.toThrow(/self[- ]signed/i);
}

describe("HTTPS", () => {
  it("serves the API over TLS from startServer", async () => {
    const server = await startServer({
      tls: { cert, key },
      clientId: "i",
      clientSecret: "s",
    });
    try {
      await exercise(server.url, "i", "s");
      // Plain HTTP to the TLS port gets no API answer.
      await expect(fetch(server.url.replace("https:", "http:"))).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it("serves the API over TLS from the CLI with --tls-cert and --tls-key", async () => {
    const cli = await startCli([
      "--db",
      ":memory:",
      "--port",
      "0",
      "--tls-cert",
      certFile,
      "--tls-key",
      keyFile,
      "--client-id",
      "i",
      "--client-secret",
      "s",
    ]);
    try {
      await exercise(cli.url, "i", "s");
    } finally {
      cli.child.kill("SIGTERM");
      expect((await cli.exited).code).toBe(0);
    }
  });
});
