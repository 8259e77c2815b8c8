// Slow clients, over real sockets: deadlines are small here so that no test waits long, and every
// wait is bounded (a deadline that does not fire fails the test instead of hanging it).
import { Agent, request } from "node:http";
import { connect, type Socket } from "node:net";
import {
  buildApp,
  openSqliteStore,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "@mgmtkit/reference-server";
import fp from "fastify-plugin";
import { afterEach, describe, expect, it } from "vitest";
import { getToken, until } from "./helpers.js";

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: ServerOptions): Promise<RunningServer> {
  const server = await startServer({ clientId: "c", clientSecret: "s", seed: false, ...options });
  servers.push(server);
  return server;
}

/** Rejects when `promise` has not settled after `ms`: the bound of a wait, not a measurement. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]);
}

interface RawClient {
  socket: Socket;
  /** Everything received so far. */
  received: () => string;
  /** Resolves with everything received once the server closed the connection. */
  closed: Promise<string>;
}

function rawClient(server: Pick<RunningServer, "port">): RawClient {
  const socket = connect(server.port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString();
  });
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  return { socket, received: () => received, closed };
}

/** The status lines in `text`, up to the code. */
const statuses = (text: string) => text.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

/** The status line and JSON body of the one answer in `text`. */
function answer(text: string): { statuses: string[]; body: { code?: string } } {
  const body = text.slice(text.indexOf("\r\n\r\n") + 4);
  return { statuses: statuses(text), body: body ? JSON.parse(body) : {} };
}

const form = "client_id=c&client_secret=s&grant_type=client_credentials";

describe("the body deadline", () => {
  it("cuts off a chunked body that stalls after one chunk with 408, and closes", async () => {
    const server = await start({ bodyTimeoutMs: 200 });
    const client = rawClient(server);
    client.socket.write(
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nclien\r\n",
    );
    const { statuses, body } = answer(await within(10_000, client.closed, "the cut"));
    expect(statuses).toEqual(["HTTP/1.1 408"]);
    expect(body).toMatchObject({ statusCode: 408, code: "MGMT_ERR_BODY_TIMEOUT" });
  });

  it("cuts off a body that trickles in a byte at a time", async () => {
    const server = await start({ bodyTimeoutMs: 300 });
    const token = await getToken(server.url, "c", "s");
    const client = rawClient(server);
    // Long enough that the trickle would last minutes: the cut comes long before its end.
    const body = JSON.stringify({
      name: "slow",
      strategy: "windowslive",
      options: { pad: "x".repeat(4000) },
    });
    client.socket.write(
      `POST /api/connections HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < body.length && !client.socket.destroyed) client.socket.write(body[sent++] ?? "");
    }, 40);
    try {
      const { statuses, body: error } = answer(await within(10_000, client.closed, "the cut"));
      expect(statuses).toEqual(["HTTP/1.1 408"]);
      expect(error.code).toBe("MGMT_ERR_BODY_TIMEOUT");
      expect(sent).toBeLessThan(body.length);
    } finally {
      clearInterval(trickle);
    }
    const list = await fetch(`${server.url}/api/connections`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await list.json()).toEqual([]);
  });

  it("leaves a body that arrives in time alone", async () => {
    // A deadline far longer than the test lasts: only a server that cut too early fails it.
    const server = await start({ bodyTimeoutMs: 20_000 });
    const client = rawClient(server);
    client.socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form.slice(0, 10)}`,
    );
    setTimeout(() => client.socket.write(form.slice(10)), 50);
    expect(answer(await within(10_000, client.closed, "the answer")).statuses).toEqual([
      "HTTP/1.1 200",
    ]);
  });
});

describe("a body too large", () => {
  /** Sends `bytes` of JSON to create a connection through Node's client; the status, or the error. */
  function create(port: number, token: string, bytes: number, agent: Agent): Promise<string> {
    return new Promise((resolve) => {
      const sent = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/connections",
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "content-length": bytes,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(`${res.statusCode} ${res.headers.connection}`));
        },
      );
      sent.on("error", (error) => resolve(error.message));
      sent.end(Buffer.alloc(bytes, 0x20));
    });
  }

  it("is read before its 413, so every client gets the answer and keeps its connection", async () => {
    const server = await start({});
    const token = await getToken(server.url, "c", "s");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Answered early and closed, about one in twenty of these lost its 413 to a reset.
      const answers = [];
      for (let i = 0; i < 40; i++)
        answers.push(await create(server.port, token, 2 * 1024 * 1024, agent));
      expect(new Set(answers)).toEqual(new Set(["413 keep-alive"]));
    } finally {
      agent.destroy();
    }
  });

  it("is answered at once, and its connection closed, when it is declared as a gigabyte", async () => {
    const server = await start({});
    const token = await getToken(server.url, "c", "s");
    const client = rawClient(server);
    client.socket.write(
      `POST /api/connections HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${2 ** 30}\r\n\r\n{`,
    );
    const received = answer(await within(10_000, client.closed, "the answer"));
    expect(received.statuses).toEqual(["HTTP/1.1 413"]);
    expect(received.body.code).toBe("MGMT_ERR_BODY_TOO_LARGE");
  });
});

describe("a body sent only after 100 Continue", () => {
  /** The head of a create that waits for 100 Continue before its body (as curl does past 1 MB). */
  const expecting = (token: string | undefined, length: number, expect = "100-continue") =>
    `POST /api/connections HTTP/1.1\r\nHost: x\r\n${token ? `Authorization: Bearer ${token}\r\n` : ""}Content-Type: application/json\r\nContent-Length: ${length}\r\nExpect: ${expect}\r\n\r\n`;

  /** A final (not 1xx) answer with its whole JSON body. */
  const finalAnswer = /HTTP\/1\.1 [2-5]\d\d[\s\S]*\r\n\r\n\{[\s\S]*\}$/;

  it("is refused with 413, without a 100 Continue, when its declared length is over the limit", async () => {
    const server = await start({});
    const token = await getToken(server.url, "c", "s");
    const client = rawClient(server);
    client.socket.write(expecting(token, 2 * 1024 * 1024));
    // The body is never sent: the final answer must come without it, then the connection close.
    await until(() => finalAnswer.test(client.received()), "a final answer");
    expect(statuses(client.received())).toEqual(["HTTP/1.1 413"]);
    const received = answer(await within(10_000, client.closed, "the close"));
    expect(received.body.code).toBe("MGMT_ERR_BODY_TOO_LARGE");
  });

  it.each([
    { refused: "a request without a token", path: "/api/connections", token: false, status: 401 },
    { refused: "an unknown route", path: "/api/nowhere", token: true, status: 404 },
    { refused: "a method the path does not take", path: "/api/users", token: true, status: 405 },
  ])(
    "is refused without a 100 Continue for $refused ($status)",
    async ({ path, token, status }) => {
      const server = await start({});
      const bearer = token ? await getToken(server.url, "c", "s") : undefined;
      const client = rawClient(server);
      client.socket.write(expecting(bearer, 1000).replace("/api/connections", path));
      await until(() => finalAnswer.test(client.received()), "a final answer");
      expect(statuses(client.received())).toEqual([`HTTP/1.1 ${status}`]);
      if (status === 405) expect(client.received()).toMatch(/\r\nallow: GET, HEAD\r\n/i);
      await within(10_000, client.closed, "the close");
    },
  );

  // Node asks for the invitation whenever the header names 100-continue among other words.
  it.each(["100-continue", "100-Continue, x-other"])(
    "is invited with 100 Continue when it may be read, then answered as usual (Expect: %s)",
    async (expect100) => {
      const server = await start({});
      const token = await getToken(server.url, "c", "s");
      const body = JSON.stringify({ name: "continued", strategy: "windowslive" });
      const client = rawClient(server);
      client.socket.write(expecting(token, Buffer.byteLength(body), expect100));
      await until(() => client.received().includes("\r\n\r\n"), "the first answer");
      expect(client.received()).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n$/);
      client.socket.write(body);
      await until(() => finalAnswer.test(client.received()), "a final answer");
      expect(statuses(client.received())).toEqual(["HTTP/1.1 100", "HTTP/1.1 201"]);
      client.socket.destroy();
      const list = await fetch(`${server.url}/api/connections`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect((await list.json()).map((c: { name: string }) => c.name)).toEqual(["continued"]);
    },
  );
});

describe("the request deadline", () => {
  it("answers headers that never end with 408, and closes", async () => {
    const server = await start({ requestTimeoutMs: 300 });
    const client = rawClient(server);
    client.socket.write("GET /api/users HTTP/1.1\r\nHost: x\r\n");
    const { statuses, body } = answer(await within(10_000, client.closed, "the cut"));
    expect(statuses).toEqual(["HTTP/1.1 408"]);
    expect(body).toMatchObject({ statusCode: 408, code: "MGMT_ERR_REQUEST_TIMEOUT" });
  });

  it("cuts off a stalled body the server is reading with 408, whatever the body deadline", async () => {
    const server = await start({ requestTimeoutMs: 300, bodyTimeoutMs: 60_000 });
    const client = rawClient(server);
    client.socket.write(
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n",
    );
    const { statuses, body } = answer(await within(10_000, client.closed, "the cut"));
    expect(statuses).toEqual(["HTTP/1.1 408"]);
    expect(body.code).toBe("MGMT_ERR_REQUEST_TIMEOUT");
  });

  it("closes a connection whose unread body stalls after its answer, without a second answer", async () => {
    const server = await start({ requestTimeoutMs: 300 });
    const client = rawClient(server);
    client.socket.write(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    );
    const received = await within(10_000, client.closed, "the close");
    expect(answer(received).statuses).toEqual(["HTTP/1.1 200"]);
  });
});

describe("close()", () => {
  it("closes idle, stalled and slow connections within the grace period", async () => {
    const store = openSqliteStore(":memory:");
    const app = buildApp({
      store,
      clientId: "c",
      clientSecret: "s",
      requestTimeoutMs: 60_000,
      bodyTimeoutMs: 60_000,
      shutdownGraceMs: 200,
    });
    // The server's side of each connection, and how many requests it has seen whole.
    const accepted: Socket[] = [];
    let requests = 0;
    app.server.on("connection", (socket: Socket) => accepted.push(socket));
    app.server.on("request", () => requests++);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.server.address() as { port: number }).port;
    try {
      const idle = rawClient({ port });
      idle.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      await within(10_000, waitFor(idle, /\r\n\r\n\{"status":"ok"\}/), "the health answer");
      const stalled = rawClient({ port });
      stalled.socket.write(
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n",
      );
      const slow = rawClient({ port });
      slow.socket.write("GET /api/users HTTP/1.1\r\nHost: x\r\n");
      // The server has begun both: the stalled request's headers are in, the slow one's bytes read.
      await until(
        () => requests === 2 && accepted.length === 3 && accepted.every((s) => s.bytesRead > 0),
        "the server reading both requests",
      );

      // Far below the 60 s deadlines: only the grace period can have closed them.
      await within(10_000, app.close(), "close()");
      await within(10_000, Promise.all([idle.closed, stalled.closed, slow.closed]), "every close");
    } finally {
      await app.close();
      await store.close();
    }
  });
});

it.each([
  [{ requestTimeoutMs: 0 }, /The request deadline must be a whole number of milliseconds/],
  [{ bodyTimeoutMs: 1.5 }, /The body deadline must be a whole number of milliseconds/],
  [{ shutdownGraceMs: -1 }, /The shutdown grace period must be a whole number of milliseconds/],
])("startServer refuses %o with one sentence", async (options, message) => {
  await expect(startServer({ seed: false, ...options })).rejects.toThrow(message);
});

describe("a closing app", () => {
  it("answers a request that arrives while it closes with 503, and closes its connection", async () => {
    const store = openSqliteStore(":memory:");
    const app = buildApp({ store, clientId: "c", clientSecret: "s" });
    let during: Response | undefined;
    app.register(
      fp(async (instance) => {
        // After the app's own hook: the app is closing, its listening socket still open.
        instance.addHook("preClose", async () => {
          during = await fetch(`${url}/healthz`);
        });
      }),
    );
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    await app.close();
    await store.close();
    expect(during?.status).toBe(503);
    expect(during?.headers.get("connection")).toBe("close");
    expect(during?.headers.get("retry-after")).toBe("1");
    expect(await during?.json()).toMatchObject({ code: "MGMT_ERR_SHUTTING_DOWN" });
  });
});

function waitFor(client: RawClient, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (pattern.test(client.received())) {
        client.socket.off("data", check);
        resolve();
      }
    };
    client.socket.on("data", check);
    check();
  });
}
