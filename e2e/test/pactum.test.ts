// A team's own pactum tests, with the suite's judgement as one more expectation: the reference
// server conforms, and a server that breaks the spec fails the same test.
import { CONFORMANCE_EXPECTATION, registerConformanceExpectation } from "@mgmtkit/contract/pactum";
import pactum from "pactum";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answer, startFaultProxy } from "./fault-proxy.js";
import { accessToken, referenceServer } from "./server.js";
import { oneConnection, pathOf } from "./traffic.js";

let server: Awaited<ReturnType<typeof referenceServer>>;
let token: string;

beforeAll(async () => {
  server = await referenceServer();
  token = await accessToken(server.url, server);
  registerConformanceExpectation(pactum.handler, { secrets: [server.clientSecret] });
});
afterAll(async () => {
  await server?.close();
});

const name = `pactum-${process.pid}`;
const body = {
  name,
  strategy: "google-oauth2",
  options: { client_id: "pactum-client", client_secret: "pactum-secret" },
};

/** A create, a read and a delete of one connection, each judged by pactum and by the suite. */
async function lifecycle(baseUrl: string): Promise<void> {
  const auth = { Authorization: `bearer ${token}` };
  try {
    await pactum
      .spec()
      .post(`${baseUrl}/api/connections`)
      .withHeaders(auth)
      .withJson(body)
      .expectJsonLike({ name, strategy: "google-oauth2" })
      .expect(CONFORMANCE_EXPECTATION);
    await pactum
      .spec()
      .get(`${baseUrl}/api/connections/${name}`)
      .withHeaders(auth)
      .expectStatus(200)
      .expectJsonLike({ name })
      .expect(CONFORMANCE_EXPECTATION);
  } finally {
    await pactum
      .spec()
      .delete(`${server.url}/api/connections/${name}`)
      .withHeaders(auth)
      .expect(CONFORMANCE_EXPECTATION);
  }
}

describe("pactum with @mgmtkit/contract/pactum", () => {
  it("passes the reference server", async () => {
    await expect(lifecycle(server.url)).resolves.toBeUndefined();
  });

  it("fails a server that answers a read with status as text", async () => {
    const fault = await startFaultProxy(server.url, server, {
      response: (req, res) => {
        if (req.method !== "GET" || !oneConnection.test(pathOf(req)) || res.status !== 200)
          return undefined;
        return answer(200, { ...JSON.parse(res.body), status: "enabled" });
      },
    });
    try {
      await expect(lifecycle(fault.url)).rejects.toThrow(
        /GET \/api\/connections\/pactum-\d+ does not conform to the Management API v1:\n- response\.schema/,
      );
    } finally {
      await fault.close();
    }
  });
});
