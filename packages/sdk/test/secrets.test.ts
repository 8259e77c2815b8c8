// Hostile servers echo the secrets a client knows, in every encoding; no rendering of an error may
// show one. Every secret here has characters that encode differently in each form.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ApiError,
  BadRequestError,
  ConnectionError,
  createManagementClient,
  type ManagementClientOptions,
  TimeoutError,
} from "../src/index.js";
import { json, type LocalServer, localServer } from "./support/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientSecret = 'cs+with/slash= "quoted" ü';
const obtainedToken = "tok+with/slash==";
const givenToken = "given/tok+en=";
const suppliedToken = "supplied+tok/en==";

/** The forms a server may echo a secret in. */
const encodings: [string, (s: string) => string][] = [
  ["raw", (s) => s],
  ["URL-encoded", (s) => encodeURIComponent(s)],
  [
    "URL-encoded, lower-case hex",
    (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  ],
  [
    "every character URL-encoded",
    (s) =>
      [...new TextEncoder().encode(s)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
  ],
  ["form-encoded", (s) => new URLSearchParams({ x: s }).toString().slice(2)],
  ["JSON-escaped", (s) => JSON.stringify(s).slice(1, -1)],
  ["JSON-escaped with \\/", (s) => JSON.stringify(s).slice(1, -1).replaceAll("/", "\\/")],
  [
    "JSON \\uXXXX escapes",
    (s) => s.replace(/[\s\S]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  ],
];
/** Whether `text` shows `secret` in any of the forms. */
function shows(text: string, secret: string): string | undefined {
  return encodings.find(([, encode]) =>
    text.toLowerCase().includes(encode(secret).toLowerCase()),
  )?.[0];
}

/** Every way an error gets printed or serialised, its whole cause chain included. */
function renderings(error: unknown): [string, string][] {
  const out: [string, string][] = [];
  for (let e = error as Error | undefined, depth = 0; e; e = e.cause as Error, depth++) {
    out.push(
      [`message (cause ${depth})`, e.message],
      [`String (cause ${depth})`, String(e)],
      [`JSON.stringify (cause ${depth})`, JSON.stringify(e)],
      [`util.inspect (cause ${depth})`, inspect(e, { depth: 10, showHidden: true })],
      [`stack (cause ${depth})`, e.stack ?? ""],
    );
  }
  return out;
}

/** Every string in a parsed value: a rendering escapes them again, hiding what they decode to. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
}

function expectClean(what: unknown, secrets: string[]) {
  const texts = [
    ...renderings(what),
    ...strings((what as ApiError).body).map((t): [string, string] => ["body", t]),
  ];
  for (const [where, text] of texts) {
    for (const secret of secrets) expect(shows(text, secret), `${where}: ${text}`).toBeUndefined();
  }
}

/**
 * The JSON text of an error body whose message carries `echo` as it is (a JSON-escaped form then
 * decodes to the secret), and whose detail carries it as a string (it then decodes to the form).
 */
function echoBody(echo: string, jsonEscaped: boolean) {
  const message = `you sent <${echo}>`;
  const inText = jsonEscaped ? `"${message}"` : JSON.stringify(message);
  return `{"statusCode":400,"error":"Bad Request","message":${inText},"detail":${JSON.stringify(message)}}`;
}

const kinds: [string, Partial<ManagementClientOptions>, string][] = [
  ["the client secret", { clientId: "id", clientSecret }, clientSecret],
  ["a token it obtained", { clientId: "id", clientSecret }, obtainedToken],
  ["a token it was given", { accessToken: givenToken }, givenToken],
  [
    "a token from an accessToken supplier",
    { accessToken: async () => suppliedToken },
    suppliedToken,
  ],
];
const all = [clientSecret, obtainedToken, givenToken, suppliedToken];

describe.each(kinds)("%s, echoed by the server", (_kind, credentials, secret) => {
  it.each(encodings)(
    "%s: is in no rendering of the error, nor in raw's error",
    async (name, encode) => {
      const jsonEscaped = name.startsWith("JSON");
      server = await localServer((req, res) => {
        if (req.url === "/oauth/token") {
          json(res, 200, { access_token: obtainedToken, token_type: "bearer" });
          return;
        }
        // Header values are ASCII: the URL-encoded form goes there, the chosen form in the body.
        res.writeHead(400, {
          "content-type": "application/json",
          "x-echo": encodeURIComponent(secret),
        });
        res.end(echoBody(encode(secret), jsonEscaped));
      });
      const client = createManagementClient({
        baseUrl: server.url,
        ...credentials,
        tokenPlacement: "query",
      });

      const error = await client.connections.get("acme").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as Error).message).toContain("[REDACTED]");
      expectClean(error, all);

      const raw = await client.raw.GET("/api/connections/{connectionName}", {
        params: { path: { connectionName: "acme" } },
      });
      expect(raw.response.status).toBe(400);
      expect(strings(raw.error)).toContain("Bad Request");
      for (const text of strings(raw.error)) expect(shows(text, secret), text).toBeUndefined();
      expect(raw.response.headers.get("x-echo")).toBe("[REDACTED]");
    },
  );
});

describe("the cause chain of a failing custom fetch", () => {
  it.each(encodings)("holds no secret written %s, at any depth", async (_name, encode) => {
    let calls = 0;
    const client = createManagementClient({
      baseUrl: "https://tenant.example",
      clientId: "id",
      clientSecret,
      maxRetries: 0,
      tokenPlacement: "query",
      fetch: async (url, init) => {
        if (calls++ === 0) return Response.json({ access_token: obtainedToken });
        const echo = `${url} ${encode(clientSecret)} ${encode(obtainedToken)} ${init.body}`;
        const root = Object.assign(new Error(`socket said ${echo}`), {
          code: `E_${encode(obtainedToken)}`,
        });
        throw new TypeError(`fetch failed for ${echo}`, {
          cause: new Error(`reset ${echo}`, { cause: root }),
        });
      },
    });

    const error = await client.connections.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(
      /^GET \/api\/connections failed: no answer from the server \(reset https:\/\/tenant\.example\/api\/connections\?access_token=\[REDACTED\] /,
    );
    const causes: unknown[] = [];
    for (let e = (error as Error).cause; e; e = (e as Error).cause) causes.push(e);
    expect(causes).toHaveLength(3);
    expect((causes[0] as Error).name).toBe("TypeError");
    expectClean(error, all);
  });
});

describe("errors of the token request", () => {
  it.each(encodings)("hold no client secret echoed %s", async (_name, encode) => {
    server = await localServer((req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        `{"error":"invalid_request","error_description":${JSON.stringify(`Bad body: ${encode(clientSecret)} from ${req.body}`)}}`,
      );
    });
    const client = createManagementClient({ baseUrl: server.url, clientId: "id", clientSecret });
    const error = await client.connections.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expectClean(error, [clientSecret]);
  });
});

describe("secrets in the URL", () => {
  it("are redacted from network errors and timeouts", async () => {
    server = await localServer(() => {});
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: givenToken,
      tokenPlacement: "query",
      timeoutMs: 50,
      maxRetries: 0,
    });
    const timeout = await client.connections.list().catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect((timeout as TimeoutError).url).toBe(`${server.url}/api/connections`);
    expectClean(timeout, all);
  });

  it("keep credentials out of the client object", () => {
    const client = createManagementClient({
      baseUrl: "https://tenant.example",
      clientId: "id",
      clientSecret,
    });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(clientSecret);
  });
});

describe("a large token (issue 26)", () => {
  // A JWT of this size is common; a pattern built from it overflowed, and the SyntaxError's message
  // spelled out the client secret.
  const largeToken = `eyJ${"aB3-_xYz9".repeat(1_200)}`;

  it("is scrubbed in every encoding, and errors stay ManagementErrors handed to onError", async () => {
    const bodies = [
      largeToken,
      Buffer.from(largeToken).toString("base64"),
      Buffer.from(largeToken).toString("hex").toUpperCase(),
      `${largeToken.slice(0, 4000)}\u200b${largeToken.slice(4000)}`,
      Buffer.from(clientSecret).toString("base64url"),
      `${clientSecret.slice(0, 6)}\n${clientSecret.slice(6)}`,
    ];
    let call = 0;
    server = await localServer((req, res) => {
      if (req.url === "/oauth/token") {
        json(res, 200, { access_token: largeToken, token_type: "bearer" });
        return;
      }
      json(res, 400, { message: `you sent ${bodies[call++ % bodies.length]}` });
    });
    const errors: unknown[] = [];
    const lines: string[] = [];
    const client = createManagementClient({
      baseUrl: server.url,
      clientId: "id",
      clientSecret,
      onError: (e) => errors.push(e),
      logger: { debug: (l) => lines.push(l), info() {}, warn() {}, error: (l) => lines.push(l) },
      logLevel: "debug",
    });
    for (const _ of bodies) {
      const error = await client.connections.get("acme").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text).toContain("[REDACTED]");
      for (const secret of [largeToken, clientSecret]) {
        for (const form of [
          secret.slice(0, 12),
          Buffer.from(secret).toString("base64").slice(0, 12),
          Buffer.from(secret).toString("hex").slice(0, 12),
        ]) {
          expect(text.toLowerCase()).not.toContain(form.toLowerCase());
        }
      }
    }
    expect(errors).toHaveLength(bodies.length);
    expect(lines.join("\n")).not.toContain(largeToken.slice(0, 12));
  });
});

describe("text from the server in an error message", () => {
  it("is inert: escape codes, carriage returns and backspaces are shown escaped", async () => {
    server = await localServer((_req, res) => {
      json(res, 400, {
        message: "\x1b[2J\x1b[1A\x1b[2K\rall good\b\b \x1b]8;;https://evil.example\x07link \x9b31m",
      });
    });
    const client = createManagementClient({ baseUrl: server.url, accessToken: givenToken });
    const error = (await client.connections.get("acme").catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("\\x1b[2J\\x1b[1A\\x1b[2K\\rall good\\x08\\x08");
    expect([...error.message].filter((c) => c < " " || (c >= "\x7f" && c <= "\x9f"))).toEqual([]);
  });
});

describe("onResponse", () => {
  it("gets the URL without the query token, and headers scrubbed", async () => {
    server = await localServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-echo": givenToken });
      res.end("[]");
    });
    const seen: { url: string; echo: string | null }[] = [];
    const client = createManagementClient({
      baseUrl: server.url,
      accessToken: givenToken,
      tokenPlacement: "query",
      onResponse: ({ response }) =>
        seen.push({ url: response.url, echo: response.headers.get("x-echo") }),
    });
    await client.connections.list();
    expect(seen).toEqual([{ url: `${server.url}/api/connections`, echo: "[REDACTED]" }]);
  });
});
