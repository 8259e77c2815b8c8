import { describe, expect, it } from "vitest";
import { curlFor } from "./curl.js";
import type { AnsweredExchange, Exchange } from "./exchange.js";
import { Redactor, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER } from "./redact.js";

function exchange(partial: Partial<AnsweredExchange>): Exchange {
  return {
    outcome: "answered",
    status: 200,
    seq: 1,
    checkId: "x",
    method: "GET",
    url: "http://h/api/connections",
    path: "/api/connections",
    requestHeaders: {},
    headers: {},
    bytes: 0,
    isJson: false,
    durationMs: 0,
    ...partial,
  };
}

describe("curlFor", () => {
  const redactor = new Redactor();
  redactor.add("tok/en+1", TOKEN_PLACEHOLDER);
  redactor.add("s3cr$t", SECRET_PLACEHOLDER);
  // A value a check derived from the secret, shown as the shell expression that rebuilds it.
  redactor.add("s3cr", `\${MGMTKIT_CLIENT_SECRET%??}`);
  it.each([
    [
      "a header token becomes a shell variable in double quotes",
      { requestHeaders: { Authorization: "bearer tok/en+1" } },
      `curl -sS -i 'http://h/api/connections' -H "Authorization: bearer $MGMTKIT_TOKEN"`,
    ],
    [
      "a query token, URL-encoded, too",
      { url: `http://h/api/connections/?access_token=${encodeURIComponent("tok/en+1")}` },
      `curl -sS -i "http://h/api/connections/?access_token=$MGMTKIT_TOKEN"`,
    ],
    [
      "a form secret, with the rest of the body escaped for double quotes",
      {
        method: "POST",
        url: "http://h/oauth/token",
        requestBody: new URLSearchParams({ client_id: "a$b", client_secret: "s3cr$t" }).toString(),
      },
      `curl -sS -i -X POST 'http://h/oauth/token' --data-raw "client_id=a%24b&client_secret=$MGMTKIT_CLIENT_SECRET"`,
    ],
    [
      "a value derived from the secret becomes its shell expression",
      {
        method: "POST",
        url: "http://h/oauth/token",
        requestBody: "client_id=a&client_secret=s3cr",
      },
      `curl -sS -i -X POST 'http://h/oauth/token' --data-raw "client_id=a&client_secret=\${MGMTKIT_CLIENT_SECRET%??}"`,
    ],
    [
      "a body without secrets stays single-quoted, quotes escaped",
      { method: "PUT", requestBody: `{"name":"it's"}` },
      `curl -sS -i -X PUT 'http://h/api/connections' --data-raw '{"name":"it'\\''s"}'`,
    ],
  ])("%s", (_name, partial, want) => {
    expect(curlFor(exchange(partial), redactor)).toBe(want);
  });
});

describe("tokenCommand", () => {
  it("sets $MGMTKIT_TOKEN from the token endpoint, the secret read from the environment", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { startFakeApi } = await import("../test/harness/fake-api.js");
    const { tokenCommand } = await import("./curl.js");
    const api = await startFakeApi({}, { clientSecret: "it's a $3cr3t", token: () => "tok-1" });
    try {
      const command = tokenCommand(`${api.url}/`, api.clientId);
      expect(command).not.toContain("3cr3t");
      // Asynchronously: the fake answers from this process.
      const { stdout } = await promisify(execFile)(
        "bash",
        ["-c", `${command}; printf %s "$MGMTKIT_TOKEN"`],
        { env: { PATH: process.env.PATH, MGMTKIT_CLIENT_SECRET: api.clientSecret } },
      );
      expect(stdout).toBe("tok-1");
    } finally {
      await api.close();
    }
  });
});
