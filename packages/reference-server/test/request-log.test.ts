// The request log never shows a token, however its parameter name is spelled.
import { PassThrough } from "node:stream";
import { buildApp, openSqliteStore } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl, requestLogger } from "../src/request-log.js";
import { call, getToken, injectApp, rawRequest, type TestApp } from "./helpers.js";

describe("redactUrl", () => {
  const cases: Array<[string, { given: string; want: string }]> = [
    ["no query", { given: "/api/users", want: "/api/users" }],
    [
      "the token",
      { given: "/api/users?access_token=T", want: "/api/users?access_token=[redacted]" },
    ],
    [
      "among others",
      {
        given: "/a?per_page=1&access_token=T&page=2",
        want: "/a?per_page=1&access_token=[redacted]&page=2",
      },
    ],
    ["an encoded name", { given: "/a?access%5Ftoken=T", want: "/a?access%5Ftoken=[redacted]" }],
    [
      "a fully encoded name",
      {
        given: "/a?%61%63%63%65%73%73%5f%74%6f%6b%65%6e=T",
        want: "/a?%61%63%63%65%73%73%5f%74%6f%6b%65%6e=[redacted]",
      },
    ],
    [
      "twice",
      {
        given: "/a?access_token=T&access_token=U",
        want: "/a?access_token=[redacted]&access_token=[redacted]",
      },
    ],
    [
      "a malformed escape elsewhere",
      { given: "/a?%zz=1&access_token=T", want: "/a?%zz=1&access_token=[redacted]" },
    ],
    ["the client secret", { given: "/a?client_secret=S", want: "/a?client_secret=[redacted]" }],
    [
      "an encoded client secret",
      { given: "/a?client%5Fsecret=S", want: "/a?client%5Fsecret=[redacted]" },
    ],
    ["a dashed name", { given: "/a?access-token=T", want: "/a?access-token=[redacted]" }],
    ["a camel-cased name", { given: "/a?accessToken=T", want: "/a?accessToken=[redacted]" }],
    ["an upper-cased name", { given: "/a?ACCESS_TOKEN=T", want: "/a?ACCESS_TOKEN=[redacted]" }],
    ["a bare token", { given: "/a?token=T", want: "/a?token=[redacted]" }],
    ["a plural", { given: "/a?access_tokens=T", want: "/a?access_tokens=[redacted]" }],
    ["a password", { given: "/a?Password=P&page=1", want: "/a?Password=[redacted]&page=1" }],
    ["an API key", { given: "/a?api_key=K&key=L", want: "/a?api_key=[redacted]&key=[redacted]" }],
    [
      "names that only contain a short secret word",
      { given: "/a?monkey=1&per_page=2&name=x", want: "/a?monkey=1&per_page=2&name=x" },
    ],
    [
      "userinfo in an absolute-form target",
      {
        given: "http://user:pw@api.example.com/api/users?page=1",
        want: "http://[redacted]@api.example.com/api/users?page=1",
      },
    ],
    ["userinfo holding an @", { given: "https://u@x:p@w@h/a", want: "https://[redacted]@h/a" }],
    ["an @ in the path only", { given: "http://h/a/b@c?x=1", want: "http://h/a/b@c?x=1" }],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    expect(redactUrl(given)).toBe(want);
  });
});

describe("the request log", () => {
  const lines: string[] = [];
  let server: TestApp;
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on("data", (chunk: Buffer) =>
      lines.push(...chunk.toString().split("\n").filter(Boolean)),
    );
    server = await injectApp({
      clientId: "c",
      clientSecret: "log-secret",
      logger: requestLogger(stream),
    });
  });
  afterAll(() => server.close());

  it.each(["access_token", "access%5Ftoken", "%61ccess_token", "access%5ftoken"])(
    "redacts a token sent as ?%s=…, which the server accepts",
    async (name) => {
      const token = await getToken(server.app, "c", "log-secret");
      const res = await call(server.app, "GET", `/api/connections?${name}=${token}`);
      expect(res.status).toBe(200);
      const logged = lines.join("\n");
      expect(logged).toContain(`/api/connections?${name}=[redacted]`);
      expect(logged).not.toContain(token);
      expect(logged).not.toContain("log-secret");
    },
  );
});

describe("the request log of a listening server", () => {
  const lines: string[] = [];
  const store = openSqliteStore(":memory:");
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  const app = buildApp({ store, clientId: "c", clientSecret: "s", logger: requestLogger(stream) });
  let port = 0;
  beforeAll(async () => {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it.each([
    ["userinfo, which is refused", "GET http://user:hunter2pw@127.0.0.1/api/connections HTTP/1.1"],
    ["a client secret sent in the query", "POST /oauth/token?client_secret=hunter2pw HTTP/1.1"],
    ["a token under a near-miss name", "GET /api/connections?accessToken=hunter2pw HTTP/1.1"],
  ])("never shows %s", async (_name, line) => {
    const before = lines.length;
    const res = await rawRequest(port, [line, "Host: 127.0.0.1", "Content-Length: 0"]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const logged = lines.slice(before).join("\n");
    expect(logged).toContain("[redacted]");
    expect(logged).not.toContain("hunter2pw");
  });
});
