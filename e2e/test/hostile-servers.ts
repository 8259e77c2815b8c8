import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import type { AddressInfo } from "node:net";
import { startServer } from "@mgmtkit/reference-server";

/**
 * Servers that attack the suite rather than break a rule by mistake (issue 26): the reference
 * server behind a front that answers some requests itself. Each is wrong somewhere, so that a run
 * against it must fail; what it attacks is the suite's memory, its verdicts, its terminal and its
 * secrets.
 */

/** How a server may spell a secret it echoes. */
export const ENCODINGS = {
  raw: (s: string) => s,
  url: (s: string) => encodeURIComponent(s),
  "json-escaped": (s: string) => JSON.stringify(s).slice(1, -1),
  base64: (s: string) => Buffer.from(s).toString("base64"),
  base64url: (s: string) => Buffer.from(s).toString("base64url"),
  hex: (s: string) => Buffer.from(s).toString("hex"),
} as const;
export type Encoding = keyof typeof ENCODINGS;

export type Hostility =
  | "one-letter-tokens"
  | "nested-arrays"
  | "wide-object"
  | "escape-codes"
  | `echo-${Encoding}`;

/** A client secret with every character that one encoding or another escapes. */
export const HOSTILE_SECRET = 's3cr3t/"quoted"+\\back&x=1%?#Z';

/** Terminal escape codes: clear screen, cursor home, erase line, a title, an OSC 8 link, CR, BS. */
export const ESCAPES =
  "\u001b[2J\u001b[H\u001b[2K\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\r\b\u009b31m";

export interface HostileServer {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Every access token the real server issued through the front, as the secrets of the run. */
  tokens: string[];
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(value),
});

let nestedBody: Buffer | undefined;
/** 8 MB of arrays nested in one another: under the suite's 16 MiB read limit. */
function nested(): Buffer {
  nestedBody ??= Buffer.concat([
    Buffer.alloc(4 * 1024 * 1024, "["),
    Buffer.alloc(4 * 1024 * 1024, "]"),
  ]);
  return nestedBody;
}

let wideBody: string | undefined;
/** One object of 200,000 keys. */
function wide(): string {
  wideBody ??= `{${Array.from({ length: 200_000 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
  return wideBody;
}

function bearer(headers: IncomingHttpHeaders, url: URL): string {
  const header = headers.authorization;
  if (typeof header === "string") return header.replace(/^\S+\s+/, "");
  return url.searchParams.get("access_token") ?? "";
}

/** The reference server behind a front that does what `hostility` says. */
export async function hostileServer(hostility: Hostility): Promise<HostileServer> {
  const upstream = await startServer({
    host: "127.0.0.1",
    port: 0,
    db: ":memory:",
    logger: false,
    clientId: "hostile-client",
    clientSecret: HOSTILE_SECRET,
  });
  const agent = new Agent({ keepAlive: true });
  const tokens: string[] = [];
  /** The real token that the one-letter token stands for. */
  let aliased = "";

  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const outgoing: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value === "string" && !["host", "connection", "content-length"].includes(name))
          outgoing[name] = value;
      }
      if (body.length > 0) outgoing["content-length"] = String(body.length);
      const req = httpRequest(
        `${upstream.url}${path}`,
        { method, headers: outgoing, agent },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const kept: Record<string, string> = {};
            for (const name of ["content-type", "link"]) {
              const value = res.headers[name];
              if (typeof value === "string") kept[name] = value;
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: kept,
              body: Buffer.concat(chunks).toString("utf8"),
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body.length > 0 ? body : undefined);
    });

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://front.invalid");
    const headers = { ...req.headers };
    const method = req.method ?? "GET";
    const isList = method === "GET" && url.pathname.replace(/\/+$/, "") === "/api/connections";
    let answer: Answer | undefined;
    try {
      if (hostility === "one-letter-tokens" && url.pathname.startsWith("/api")) {
        // Every API answer fails: a run that prints PASS here lies.
        answer = json(500, { statusCode: 500, error: "Internal Server Error", message: "failed" });
      } else if (hostility === "nested-arrays" && isList) {
        answer = { status: 200, headers: { "content-type": "application/json" }, body: nested() };
      } else if (hostility === "wide-object" && isList) {
        answer = { status: 200, headers: { "content-type": "application/json" }, body: wide() };
      } else if (hostility === "escape-codes" && isList) {
        // Raw control characters, which JSON.stringify would have escaped: what a terminal sees.
        answer = {
          status: 500,
          headers: { "content-type": "application/json" },
          body: `{"statusCode":500,"error":"Internal${ESCAPES}Error","message":"${ESCAPES}"}`,
        };
      } else if (hostility.startsWith("echo-") && isList) {
        const encode = ENCODINGS[hostility.slice(5) as Encoding];
        const echo = `${encode(HOSTILE_SECRET)} ${encode(bearer(req.headers, url))}`;
        answer = json(
          500,
          { statusCode: 500, error: "Internal Server Error", message: `echo ${echo}` },
          { "x-echo": echo },
        );
      }
      if (!answer) {
        if (hostility === "one-letter-tokens" && aliased) {
          if (headers.authorization?.endsWith(" e")) headers.authorization = `bearer ${aliased}`;
          if (url.searchParams.get("access_token") === "e")
            url.searchParams.set("access_token", aliased);
        }
        answer = await forward(method, `${url.pathname}${url.search}`, headers, body);
        if (url.pathname === "/oauth/token" && answer.status === 200) {
          const issued = JSON.parse(String(answer.body)) as { access_token?: string };
          if (issued.access_token) {
            tokens.push(issued.access_token);
            if (hostility === "one-letter-tokens") {
              aliased = issued.access_token;
              answer = json(200, { ...issued, access_token: "e" });
            }
          }
        }
      }
    } catch (error) {
      answer = json(502, { error: String(error) });
    }
    body = Buffer.alloc(0);
    res.writeHead(answer.status, {
      ...answer.headers,
      "content-length": String(Buffer.byteLength(answer.body)),
    });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
    tokens,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
    },
  };
}
