import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Exchange, Sender } from "./exchange.js";
import { Transport, type TransportOptions } from "./transport.js";

/** A check's own request, judged under it. */
const x: Sender = { purpose: "check", checkId: "x" };

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
}

function transport(baseUrl: string, limits: Partial<TransportOptions> = {}) {
  return new Transport({
    baseUrl,
    timeoutMs: 1000,
    maxResponseBytes: 1024,
    ...limits,
  });
}

/** A clock that only moves when the transport sleeps: waits are recorded, never spent. */
function fakeTime() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/**
 * Deadlines that pass when the test says, never on a timer: a busy machine can take longer than
 * any short deadline to answer a request that should have made it.
 */
function deadlines() {
  const pending = new Map<string, AbortController[]>();
  return {
    deadline: (_ms: number, url: URL) => {
      const controller = new AbortController();
      const path = url.pathname.replace(/^\/base/, "");
      pending.set(path, [...(pending.get(path) ?? []), controller]);
      return controller.signal;
    },
    /** Ends every request to `path` still on the wire as its deadline would. */
    expire(path: string) {
      for (const controller of pending.get(path) ?? []) {
        controller.abort(
          new DOMException("The operation was aborted due to timeout", "TimeoutError"),
        );
      }
      pending.delete(path);
    },
  };
}

describe("the transport", () => {
  it("sends exactly what the request describes and records the answer", async () => {
    let seen: { url?: string; headers?: Record<string, unknown>; body?: string } = {};
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        seen = { url: req.url, headers: req.headers, body };
        res.writeHead(201, { "content-type": "application/json" });
        res.end('{"ok":true}');
      });
    });
    const t = transport(url);
    t.token = "tok";
    const exchange = await t.send(
      { method: "POST", path: "/api/connections/", query: { a: "1" }, json: { name: "n" } },
      { purpose: "check", checkId: "x.y" },
    );
    t.close();
    expect(seen.url).toBe("/base/api/connections/?a=1");
    expect(seen.headers?.authorization).toBe("bearer tok");
    expect(seen.headers?.["content-type"]).toBe("application/json");
    expect(seen.body).toBe('{"name":"n"}');
    expect(exchange).toMatchObject({
      checkId: "x.y",
      path: "/api/connections/",
      status: 201,
      isJson: true,
      json: { ok: true },
      documented: "201",
    });
    expect(exchange.operation?.id).toBe("createConnection");
  });

  it.each<[string, RequestListener, { timeoutMs?: number; maxResponseBytes?: number }, RegExp]>([
    ["a hang", () => {}, { timeoutMs: 200 }, /did not answer completely within 200 ms/],
    [
      "a body dripping past the deadline",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        const timer = setInterval(() => res.write(" "), 20);
        res.on("close", () => clearInterval(timer));
      },
      { timeoutMs: 200 },
      /did not answer completely within 200 ms/,
    ],
    [
      "a body whose Content-Length is over the limit",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "52428800" });
        res.write(`"${"x".repeat(5000)}`);
      },
      { maxResponseBytes: 1000 },
      /^announced a body of 52428800 bytes \(Content-Length\), more than the 1000 bytes the suite reads, so the suite read none of it$/,
    ],
    [
      "a body without a length that grows over the limit",
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write(`"${"x".repeat(5000)}`);
      },
      { maxResponseBytes: 1000 },
      /^sent a body of more than 1000 bytes, the most the suite reads; it stopped reading there$/,
    ],
    ["a reset", (req) => req.socket.destroy(), {}, /reset the connection/],
  ])("turns %s into a transport error", async (_name, handler, limits, message) => {
    const t = transport(await serve(handler), limits);
    const exchange = await t.send({ method: "GET", path: "/api/users" }, x);
    t.close();
    expect(exchange.transportError).toMatch(message);
    expect(exchange.unreachable).toBeUndefined();
  });
});

describe("a body over the limit", () => {
  it.each([
    ["announced by its Content-Length", true],
    ["sent without a length", false],
  ])(
    "is read no further than the limit when %s, and the server sees the connection end",
    async (_name, announced) => {
      const total = 100 * 1024 * 1024;
      let written = 0;
      const closed = new Promise<void>((resolve) => {
        void serve((_req, res) => {
          res.writeHead(200, {
            "content-type": "application/json",
            ...(announced ? { "content-length": String(total) } : {}),
          });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const pump = () => {
            while (written < total) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once("drain", pump);
            }
            res.end();
          };
          res.on("close", () => resolve());
          pump();
        }).then((url) => {
          base = url;
          ready();
        });
      });
      let base = "";
      let ready = () => {};
      await new Promise<void>((resolve) => {
        ready = resolve;
      });
      const t = transport(base, { maxResponseBytes: 1024 * 1024, timeoutMs: 10_000 });
      const exchange = await t.send({ method: "GET", path: "/api/users" }, x);
      await closed;
      t.close();
      expect(exchange.status).toBe(200);
      expect(exchange.text).toBeUndefined();
      expect(exchange.bytes).toBeLessThanOrEqual(announced ? 0 : 1024 * 1024 + 64 * 1024);
      // The server stopped long before the whole body: the suite closed the connection.
      expect(written).toBeLessThan(total / 2);
    },
  );
});

describe("politeness", () => {
  it("waits out a 429 as its Retry-After asks, and judges the answer that follows", async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls <= 2) {
        res.writeHead(429, {
          "retry-after": calls === 1 ? "2" : new Date(1_000_000 + 2000 + 3000).toUTCString(),
        });
        res.end("<html>slow down</html>");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("[]");
    });
    const time = fakeTime();
    const seen: number[] = [];
    const t = transport(url, { ...time, onExchange: (e) => seen.push(e.status ?? 0) });
    const exchange = await t.send({ method: "GET", path: "/api/users" }, x);
    t.close();
    expect(exchange.status).toBe(200);
    expect(seen).toEqual([200]);
    expect(time.waits[0]).toBe(2000);
    expect(time.waits[1]).toBeGreaterThan(0);
    expect(t.throttled.answers).toBe(2);
  });

  it.each<[string, Record<string, string>, Partial<TransportOptions>, RegExp]>([
    [
      "a 429 past the run's time budget",
      { "retry-after": "120" },
      { endsAt: 1_000_000 + 60_000 },
      /answered 429 Too Many Requests 1 time in a row \(0 s waited\), the last asking for 120 s more, past the run's time budget \(60 s left\)/,
    ],
    [
      "a 429 without end",
      { "retry-after": "1" },
      {},
      /answered 429 Too Many Requests 6 times in a row \(5 s waited\), the last after 5 waits/,
    ],
  ])(
    "reports %s as the answer it is, saying why it stopped waiting",
    async (_name, headers, limits, note) => {
      const url = await serve((_req, res) => {
        res.writeHead(429, { "content-type": "application/json", ...headers });
        res.end('{"statusCode":429}');
      });
      const t = transport(url, { ...fakeTime(), ...limits });
      const exchange = await t.send({ method: "GET", path: "/api/users" }, x);
      t.close();
      expect(exchange.status).toBe(429);
      expect(exchange.note).toMatch(note);
    },
  );

  it("spaces requests to the rate limit", async () => {
    const url = await serve((_req, res) => res.end("[]"));
    const time = fakeTime();
    const t = transport(url, { ...time, rateLimit: 4, concurrency: 4 });
    await Promise.all([1, 2, 3, 4].map(() => t.send({ method: "GET", path: "/api/users" }, x)));
    t.close();
    expect(time.waits).toEqual([250, 250, 250]);
  });

  it("keeps connections open and counts the reused ones", async () => {
    const url = await serve((_req, res) => res.end("[]"));
    const t = transport(url, { concurrency: 2 });
    for (let i = 0; i < 5; i++) await t.send({ method: "GET", path: "/api/users" }, x);
    await Promise.all([1, 2].map(() => t.send({ method: "GET", path: "/api/users" }, x)));
    t.close();
    expect(t.connections.opened).toBe(2);
    expect(t.connections.reused).toBe(5);
  });
});

describe("a server that stops answering", () => {
  it("stops the transport after the timeouts in a row, not before, and resumes for the clean-up", async () => {
    const time = deadlines();
    // What is not answered runs into its deadline as soon as the server has it.
    const url = await serve((req, res) => {
      if (req.url?.includes("ok")) res.end("[]");
      else time.expire((req.url ?? "").replace(/^\/base/, ""));
    });
    const stops: string[] = [];
    const seen: Exchange[] = [];
    const t = transport(url, {
      deadline: time.deadline,
      timeoutMs: 50,
      stopAfterTimeouts: 3,
      onStop: (r) => stops.push(r),
      onExchange: (e) => seen.push(e),
    });
    await t.send({ method: "GET", path: "/hang" }, x);
    await t.send({ method: "GET", path: "/hang" }, x);
    await t.send({ method: "GET", path: "/ok" }, x);
    await t.send({ method: "GET", path: "/hang" }, x);
    await t.send({ method: "GET", path: "/hang" }, x);
    expect(stops).toEqual([]);
    await t.send({ method: "GET", path: "/hang" }, x);
    expect(stops).toEqual([
      "the server did not answer 3 requests in a row within 50 ms each, nor a plain GET /api/connections sent to see whether it answers at all",
    ]);
    const unsent = await t.send({ method: "GET", path: "/ok" }, x);
    expect(unsent).toMatchObject({ stopped: true, unsent: true });
    expect(seen.map((e) => e.purpose)).toEqual([...Array(5).fill("check"), "liveness", "check"]);
    t.resume("cleanup");
    expect((await t.send({ method: "GET", path: "/ok" }, { purpose: "cleanup" })).status).toBe(200);
    // A check abandoned when the run stopped sends nothing more, even while the clean-up does.
    expect(await t.send({ method: "GET", path: "/ok" }, x)).toMatchObject({
      unsent: true,
      transportError: expect.stringMatching(
        /^was not sent: the run stopped \(the server did not answer 3/,
      ),
    });
    t.close();
  });

  it("goes on when one endpoint hangs but the server still answers a plain request", async () => {
    const time = deadlines();
    const url = await serve((req, res) => {
      if (req.url?.endsWith("/api/connections")) res.end("[]");
      else time.expire("/api/users");
    });
    const stops: string[] = [];
    const seen: Exchange[] = [];
    const t = transport(url, {
      deadline: time.deadline,
      timeoutMs: 50,
      stopAfterTimeouts: 2,
      onStop: (r) => stops.push(r),
      onExchange: (e) => seen.push(e),
    });
    for (let i = 0; i < 5; i++) await t.send({ method: "GET", path: "/api/users" }, x);
    t.close();
    expect(stops).toEqual([]);
    expect(seen.filter((e) => e.purpose === "liveness").map((e) => e.status)).toEqual([200, 200]);
  });

  it("does not count a timeout while other answers arrived: one slow endpoint is not a gone server", async () => {
    const time = deadlines();
    let hanging = 0;
    let allHanging = () => {};
    const arrived = new Promise<void>((resolve) => {
      allHanging = resolve;
    });
    const url = await serve((req, res) => {
      if (req.url?.includes("ok")) setTimeout(() => res.end("[]"), 5);
      else if (++hanging === 4) allHanging();
    });
    const stops: string[] = [];
    const t = transport(url, {
      deadline: time.deadline,
      timeoutMs: 100,
      stopAfterTimeouts: 2,
      concurrency: 8,
      onStop: (r) => stops.push(r),
    });
    const hangs = [1, 2, 3, 4].map(() => t.send({ method: "GET", path: "/hang" }, x));
    await arrived;
    for (let i = 0; i < 3; i++) await t.send({ method: "GET", path: "/ok" }, x);
    // The hanging requests reach their deadline only after the other answers came.
    time.expire("/hang");
    await Promise.all(hangs);
    t.close();
    expect(stops).toEqual([]);
  });

  it("abandons the requests on the wire when stopped, marking them", async () => {
    let t: Transport | undefined;
    // Stopped once the request is on the wire: the server has it.
    const url = await serve(() => t?.stop("its time budget was spent"));
    t = transport(url, { timeoutMs: 60_000 });
    const pending = t.send({ method: "GET", path: "/hang" }, x);
    const exchange = await pending;
    t.close();
    expect(exchange).toMatchObject({
      stopped: true,
      transportError: "was not answered before the run stopped (its time budget was spent)",
    });
  });
});
