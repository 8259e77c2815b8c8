import { CONFORMANCE_EXPECTATION, registerConformanceExpectation } from "@mgmtkit/contract/pactum";
import pactum from "pactum";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeApi,
  isOne,
  rewrite,
  type Script,
  startFakeApi,
  when,
} from "./harness/fake-api.js";

// One expectation handler for the whole file: pactum keeps one handler registry per process.
beforeAll(() => {
  registerConformanceExpectation(pactum.handler, { secrets: ["fake-client-secret"] });
});

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function tokenOf(fake: FakeApi): Promise<string> {
  const answer = await fetch(`${fake.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      type: "web_server",
      grant_type: "client_credentials",
    }),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

/** Lists the connections of a fake broken as `script` says, with the conformance expectation. */
async function listConnections(script: Script = {}, data?: unknown): Promise<void> {
  api = await startFakeApi(script);
  const token = await tokenOf(api);
  await pactum
    .spec()
    .get(`${api.url}/api/connections`)
    .withHeaders("Authorization", `bearer ${token}`)
    .expectStatus(200)
    .expect(CONFORMANCE_EXPECTATION, data);
}

const isList = (req: { method: string; path: string }) =>
  req.method === "GET" && req.path === "/api/connections";

describe("@mgmtkit/contract/pactum", () => {
  it("passes a conforming answer, next to pactum's own expectations", async () => {
    await expect(listConnections()).resolves.toBeUndefined();
  });

  it("fails an answer whose body breaks the spec, naming the rule", async () => {
    const statusAsText = rewrite(isList, (json) =>
      (json as Array<Record<string, unknown>>).map((c) => ({ ...c, status: "active" })),
    );
    await expect(listConnections(statusAsText)).rejects.toThrow(
      /GET \/api\/connections does not conform to the Management API v1:\n- response\.schema/,
    );
  });

  it("fails an answer served as text, under core", async () => {
    const text = when(isList, {
      status: 200,
      raw: "[]",
      headers: { "content-type": "text/plain" },
    });
    await expect(listConnections(text)).rejects.toThrow(/response\.json-content-type/);
  });

  it("judges with strict only when asked, per expectation", async () => {
    // Under core an error body may take any shape; strict requires statusCode, error and message.
    const bareError = when(isOne, { status: 404, json: { oops: true } });
    api = await startFakeApi(bareError);
    const token = await tokenOf(api);
    const get = () =>
      pactum
        .spec()
        .get(`${api?.url}/api/connections/no-such-connection`)
        .withHeaders("Authorization", `bearer ${token}`);
    await expect(get().expect(CONFORMANCE_EXPECTATION).toss()).resolves.toBeDefined();
    await expect(
      get().expect(CONFORMANCE_EXPECTATION, { profile: "strict" }).toss(),
    ).rejects.toThrow(/response\.schema/);
  });

  it("fails an answer that echoes a secret, and never prints the secret or the token", async () => {
    let token = "";
    const echo: Script = {
      response: (req, res) =>
        isList(req)
          ? { ...res, headers: { "x-debug": `secret=fake-client-secret token=${token}` } }
          : undefined,
    };
    api = await startFakeApi(echo);
    token = await tokenOf(api);
    const failure = await pactum
      .spec()
      .get(`${api.url}/api/connections`)
      .withQueryParams("access_token", token)
      .expect(CONFORMANCE_EXPECTATION)
      .toss()
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    expect(failure?.message).toMatch(/response\.no-secret-echo/);
    expect(failure?.message).not.toContain("fake-client-secret");
    expect(failure?.message).not.toContain(token);
  });
});
