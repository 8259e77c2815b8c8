import { createHash, randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { startProxy, type ValidatingProxy, type Violation } from "../src/proxy.js";
import type { SuiteReport } from "../src/types.js";

/** A target server on 127.0.0.1 answering as the test says, and what it received. */
interface Target {
  url: string;
  received: Array<{ method: string; url: string; rawHeaders: string[]; body: Buffer }>;
  close(): Promise<void>;
}

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function startTarget(
  handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
): Promise<Target> {
  const received: Target["received"] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    received.push({
      method: req.method ?? "",
      url: req.url ?? "",
      rawHeaders: req.rawHeaders,
      body,
    });
    handle(req, res, body);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const target = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  closers.push(() => target.close());
  return target;
}

async function proxyTo(
  target: string,
  options: Partial<Parameters<typeof startProxy>[0]> = {},
): Promise<{ proxy: ValidatingProxy; violations: Violation[] }> {
  const violations: Violation[] = [];
  const proxy = await startProxy({
    target,
    onViolation: (v) => violations.push(v),
    ...options,
  });
  closers.push(() => proxy.close());
  return { proxy, violations };
}

interface Answer {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: Buffer;
  error?: string;
}

/** One request through node:http (no client-side magic), the answer as raw as it came. */
function send(
  url: string,
  options: { method?: string; headers?: string[]; body?: Buffer[] } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = options.headers ?? [];
    // Raw header lists get no Host of node's: one is added unless the test gives its own.
    const host = values(headers, "host").length > 0 ? [] : ["Host", new URL(url).host];
    const request = http.request(url, {
      method: options.method ?? "GET",
      headers: [...host, ...headers] as unknown as http.OutgoingHttpHeaders,
      agent: false,
    });
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      const answer = (error?: string) =>
        resolve({
          status: response.statusCode ?? 0,
          statusMessage: response.statusMessage ?? "",
          rawHeaders: response.rawHeaders,
          headers: response.headers,
          trailers: response.trailers,
          body: Buffer.concat(chunks),
          ...(error ? { error } : {}),
        });
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => answer());
      response.on("error", (error) => answer(error.message));
    });
    for (const chunk of options.body ?? []) request.write(chunk);
    request.end();
  });
}

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** Raw header pairs with this name (case-insensitive), values in order. */
const values = (raw: string[], name: string) =>
  raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === name.toLowerCase());

const rule = (report: SuiteReport, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

describe("the validating proxy forwards", () => {
  it("every request and answer unchanged: bytes, status line, repeated headers, trailers; only hop-by-hop fields go", async () => {
    const answerBody = randomBytes(300_000);
    const target = await startTarget((_req, res) => {
      // The proxy adds no Date of its own where the target sent none.
      res.sendDate = false;
      res.writeHead(299, "Quite Fine", [
        "Set-Cookie",
        "a=1; Path=/",
        "Set-Cookie",
        "b=2; HttpOnly",
        "X-MiXeD-Case",
        "kept",
        "X-Dup",
        "1",
        "X-Dup",
        "2",
        "Connection",
        "keep-alive, X-Hop",
        "X-Hop",
        "for the proxy only",
        "Trailer",
        "X-Digest",
        "Content-Type",
        "application/octet-stream",
      ]);
      res.write(answerBody.subarray(0, 100_000));
      res.write(answerBody.subarray(100_000));
      res.addTrailers({ "X-Digest": sha(answerBody) });
      res.end();
    });
    const { proxy } = await proxyTo(target.url, { maxBodyBytes: 1024 });
    const requestBody = randomBytes(2_000_000);
    const answer = await send(`${proxy.url}/api/connections/acme/users?per_page=5&x=%2F`, {
      method: "POST",
      headers: [
        "Content-Type",
        "application/octet-stream",
        "X-Client",
        "one",
        "X-Client",
        "two",
        "Connection",
        "keep-alive, X-Client-Hop",
        "X-Client-Hop",
        "only for the proxy",
        "Keep-Alive",
        "timeout=5",
        "TE",
        "trailers",
        "Proxy-Connection",
        "keep-alive",
      ],
      body: [requestBody.subarray(0, 700_000), requestBody.subarray(700_000)],
    });

    // What the target received.
    const got = target.received[0];
    if (!got) throw new Error("the target received nothing");
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/api/connections/acme/users?per_page=5&x=%2F");
    expect(sha(got.body)).toBe(sha(requestBody));
    expect(values(got.rawHeaders, "x-client")).toEqual(["one", "two"]);
    expect(values(got.rawHeaders, "content-type")).toEqual(["application/octet-stream"]);
    expect(values(got.rawHeaders, "host")).toEqual([new URL(proxy.url).host]);
    expect(values(got.rawHeaders, "via")).toEqual(["1.1 mgmtkit-contract"]);
    for (const hop of ["x-client-hop", "te", "proxy-connection", "keep-alive"]) {
      expect(values(got.rawHeaders, hop)).toEqual([]);
    }

    // What the client received.
    expect(answer.error).toBeUndefined();
    expect([answer.status, answer.statusMessage]).toEqual([299, "Quite Fine"]);
    expect(values(answer.rawHeaders, "set-cookie")).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(values(answer.rawHeaders, "x-dup")).toEqual(["1", "2"]);
    expect(answer.rawHeaders).toContain("X-MiXeD-Case");
    expect(values(answer.rawHeaders, "x-hop")).toEqual([]);
    expect(values(answer.rawHeaders, "date")).toEqual([]);
    expect(sha(answer.body)).toBe(sha(answerBody));
    expect(answer.trailers["x-digest"]).toBe(sha(answerBody));

    const report = await proxy.close();
    expect(report.traffic).toMatchObject({
      exchanges: 1,
      unvalidatedBodies: 1,
      maxBodyBytes: 1024,
    });
  });

  it("the target's Host with --rewrite-host, and a path prefix of the target", async () => {
    const target = await startTarget((_req, res) => res.end());
    const { proxy } = await proxyTo(`${target.url}/tenant/v1/`, { rewriteHost: true });
    await send(`${proxy.url}/api/users`, { headers: ["Host", "api.example.com"] });
    expect(target.received[0]?.url).toBe("/tenant/v1/api/users");
    expect(values(target.received[0]?.rawHeaders ?? [], "host")).toEqual([
      new URL(target.url).host,
    ]);
  });

  it("a compressed answer as it came, and judges it decompressed", async () => {
    const compressed = gzipSync(JSON.stringify([{ name: 3 }]));
    const target = await startTarget((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(compressed);
    });
    const { proxy, violations } = await proxyTo(target.url);
    const answer = await send(`${proxy.url}/api/connections`, {
      headers: ["Authorization", "bearer a-token-of-the-client", "Accept-Encoding", "gzip"],
    });
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(sha(answer.body)).toBe(sha(compressed));
    expect(violations.map((v) => v.failure.type)).toEqual(["response.schema"]);
    expect(violations[0]?.line).toMatch(
      /^✗ listConnections \(GET \/api\/connections\) response\.schema: .*\[0\] must have required property 'strategy'\. Reproduce: curl /,
    );
  });
});

describe("a hostile target cannot hold the proxy past --timeout-ms", () => {
  const timeoutMs = 300;

  it.each<[string, (req: IncomingMessage, res: ServerResponse) => void, RegExp, RegExp]>([
    ["never answers", () => {}, /^504$/, /did not answer completely within 300 ms/],
    [
      "trickles its answer",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        const timer = setInterval(() => res.write(" "), 20);
        res.on("close", () => clearInterval(timer));
      },
      /^200 cut$/,
      /answered 200 but did not answer completely within 300 ms/,
    ],
    [
      "resets the connection",
      (req) => req.socket.destroy(),
      /^502$/,
      /The target reset the connection\./,
    ],
    [
      "resets midway through its answer",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write("[1,2,");
        setTimeout(() => res.socket?.destroy(), 20);
      },
      /^200 cut$/,
      /The target answered 200 but .*(aborted|reset)/,
    ],
  ])("a target that %s", async (_name, behave, status, observed) => {
    const target = await startTarget(behave);
    const { proxy, violations } = await proxyTo(target.url, { timeoutMs });
    const answer = await send(`${proxy.url}/api/connections`);
    expect(`${answer.status}${answer.error ? " cut" : ""}`).toMatch(status);
    const report = await proxy.close();
    expect(violations.map((v) => v.failure.type)).toContain("response.complete");
    const complete = rule(report, "response.complete");
    expect(complete.status).toBe("failed");
    expect(complete.failures[0]?.observed).toMatch(observed);
    expect(report.traffic?.incomplete).toBe(1);
  });

  it("a target that refuses connections", async () => {
    const target = await startTarget(() => {});
    await target.close();
    const { proxy } = await proxyTo(target.url, { timeoutMs });
    const answer = await send(`${proxy.url}/api/users`);
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).toBe(
      "mgmtkit-contract proxy: the target refused the connection.\n",
    );
    const report = await proxy.close();
    expect(rule(report, "response.complete").failures[0]?.observed).toBe(
      "The target refused the connection.",
    );
  });
});

describe("the proxy's reports", () => {
  it("keep every secret seen in traffic out, in every encoding, once learned", async () => {
    const secret = "s3cr/t+&=x y";
    const token = "tok/en+with=odd chars";
    // Tokens the client had before the proxy started: learned from the request that carries one.
    const older = "older/token+=x";
    const queried = "queried/token+=é";
    const target = await startTarget((req, res, body) => {
      if (req.url === "/oauth/token") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ access_token: token, token_type: "bearer" }));
        return;
      }
      // Echoes the credentials back, which no answer may do.
      res.writeHead(200, {
        "content-type": "application/json",
        "x-debug": encodeURIComponent(token),
      });
      res.end(JSON.stringify([{ echoed: [token, older, queried], form: body.toString() }]));
    });
    const { proxy, violations } = await proxyTo(target.url);
    await send(`${proxy.url}/oauth/token`, {
      method: "POST",
      headers: ["Content-Type", "application/x-www-form-urlencoded"],
      body: [
        Buffer.from(
          new URLSearchParams({
            client_id: "me",
            client_secret: secret,
            grant_type: "client_credentials",
          }).toString(),
        ),
      ],
    });
    await send(`${proxy.url}/api/connections?access_token=${encodeURIComponent(token)}`);
    await send(`${proxy.url}/api/users`, { headers: ["Authorization", `Bearer ${token}`] });
    await send(`${proxy.url}/api/connections/acme`, {
      headers: ["Authorization", `bearer ${older}`],
    });
    await send(`${proxy.url}/api/connections/acme?access_token=${encodeURIComponent(queried)}`);
    const report = await proxy.close();
    expect(violations.map((v) => v.failure.type)).toContain("response.no-secret-echo");
    const printed = [...violations.map((v) => v.line), JSON.stringify(report)].join("\n");
    for (const value of [secret, token, older, queried]) {
      for (const form of [
        value,
        encodeURIComponent(value),
        new URLSearchParams({ v: value }).toString().slice(2),
      ]) {
        expect(printed).not.toContain(form);
      }
    }
    expect(printed).toContain("$MGMTKIT_TOKEN");
    expect(violations.find((v) => v.operation === "listConnections")?.line).toContain(
      `curl -sS -i "${target.url}/api/connections?access_token=$MGMTKIT_TOKEN"`,
    );
  });

  it("stay bounded however long the traffic: repeats are counted, ways past five folded", async () => {
    const target = await startTarget((req, res) => {
      const status = Number(new URL(req.url ?? "/", "http://x").searchParams.get("status") ?? 404);
      res.writeHead(status, { "content-type": "application/json" });
      res.end("[]");
    });
    const { proxy, violations } = await proxyTo(target.url);
    for (let i = 0; i < 30; i++) await send(`${proxy.url}/api/things-${i}`);
    for (let i = 0; i < 10; i++) await send(`${proxy.url}/api/connections/x/y`, { method: "PUT" });
    // Eight undocumented statuses of one operation: eight ways of breaking one rule.
    for (let status = 202; status < 210; status++) {
      await send(`${proxy.url}/api/connections?status=${status}`);
    }
    const report = await proxy.close();
    expect(violations).toHaveLength(48);
    const operation = rule(report, "request.operation");
    expect(operation.requests).toBe(48);
    expect(operation.failures.map((f) => f.observed)).toEqual([
      expect.stringMatching(
        /GET \/api\/things-0, .*\(29 more exchanges broke the rule the same way\.\)$/,
      ),
      expect.stringMatching(
        /PUT \/api\/connections\/x\/y, .*\(9 more exchanges broke the rule the same way\.\)$/,
      ),
    ]);
    const status = rule(report, "response.documented-status");
    expect(status.failures).toHaveLength(5);
    expect(status.failures[4]?.observed).toMatch(
      /answered 206 .*\(3 more exchanges broke the rule\.\)$/,
    );
    expect(report.requests).toBe(48);
  });

  it("judge nothing it was told to skip, and refuse a rule that does not exist", async () => {
    const target = await startTarget((_req, res) => res.end("not json"));
    const { proxy, violations } = await proxyTo(target.url, {
      skip: ["request", "response.json-content-type"],
    });
    await send(`${proxy.url}/nowhere`);
    expect(violations).toEqual([]);
    expect((await proxy.close()).checks.map((c) => c.id)).not.toContain("request.operation");
    await expect(startProxy({ target: target.url, skip: ["response.nope"] })).rejects.toThrow(
      /--skip response\.nope matches no check/,
    );
  });
});
