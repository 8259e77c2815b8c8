// The request log never shows a token, however its parameter name is spelled.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl, requestLogger } from "../src/request-log.js";
import { call, getToken, injectApp, type TestApp } from "./helpers.js";

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
    ["another name", { given: "/a?access_tokens=T", want: "/a?access_tokens=T" }],
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
