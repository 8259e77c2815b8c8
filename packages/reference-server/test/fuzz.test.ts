import { request } from "node:http";
import { type RunningServer, startServer } from "@mgmtkit/reference-server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken, injectApp, type TestApp } from "./helpers.js";

/** How many random requests the property sends; printed with the result. */
const RUNS = 1500;

let server: RunningServer;
let token: string;
beforeAll(async () => {
  server = await startServer({ clientId: "fuzz", clientSecret: "fuzz-secret" });
  token = await getToken(server.url, "fuzz", "fuzz-secret");
});
afterAll(() => server.close());

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function send(sent: Sent): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${sent.path}`,
      { method: sent.method, headers: sent.headers, agent: false },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            text,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(sent.body);
  });
}

const segment = fc.oneof(
  fc.constantFrom(
    "api",
    "connections",
    "users",
    "socialconnections",
    "oauth",
    "token",
    "p",
    "adfs",
    "fabrikam-adfs",
    "fabrikam-google",
  ),
  fc.constantFrom(
    "",
    "..",
    ".",
    "%2F",
    "%E0%A4%A",
    "%00",
    "%",
    "%zz",
    "a".repeat(3000),
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const name = fc.oneof(
  fc.constantFrom(
    "fabrikam-adfs",
    "fabrikam-google",
    "fabrikam-live",
    ...Object.values(connectionBodies).map((c) => c.name),
  ),
  segment,
);
// Mostly the API's own routes, so that the bodies and parameters reach the handlers.
const path = fc
  .tuple(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.oneof(
          fc.constantFrom(
            "/oauth/token",
            "/api/connections",
            "/api/users",
            "/api/socialconnections/users",
            "//api/connections",
            "/%61pi/users",
            "/api//socialconnections/users",
          ),
          name.map((n) => `/api/connections/${n}`),
          name.map((n) => `/api/connections/${n}/users`),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join("/")}`),
      },
    ),
    fc.boolean(),
  )
  .map(([p, slash]) => `${p}${slash && !p.endsWith("/") ? "/" : ""}`);
/** Numbers as a query parameter may spell them, in range and far out of it. */
const numberText = fc.oneof(
  fc.constantFrom(
    "1e19",
    "9223372036854775807",
    "18446744073709551616",
    "1e400",
    "-1e400",
    "-0",
    "0.5",
    "1e3",
    "Infinity",
    "NaN",
    "0x10",
    " 1",
    "2147483647",
    "2147483648",
  ),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
);
const queryValue = fc.oneof(
  fc.constantFrom("TOKEN", "0", "1", "-1", "100", "101", "1e3", "", "null", "[]"),
  numberText,
  fc.string({ maxLength: 12 }),
);
const queryName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("access_token", "per_page", "page") },
  { weight: 1, arbitrary: fc.constantFrom("access%5Ftoken", "per%5Fpage", "page[]", "__proto__") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const query = fc
  .array(fc.tuple(queryName, queryValue), { maxLength: 4 })
  .map((pairs) =>
    pairs.length === 0
      ? ""
      : `?${pairs.map(([k, v]) => `${k.includes("%") ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`,
  );
/** JSON nested `depth` levels deep, in arrays and objects as the bits of `pattern` say. */
function nestedText(depth: number, pattern: number): string {
  let text = "1";
  for (let i = 0; i < depth; i++) text = (pattern >> (i % 31)) & 1 ? `[${text}]` : `{"k":${text}}`;
  return text;
}
/**
 * A depth and a pattern for `nestedText`: mostly around the limit, sometimes up to 5,000 levels
 * (deep enough to reach what once answered 500 on read).
 */
const nesting = fc.record({
  depth: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 5000 })),
  pattern: fc.integer(),
});
const headerText = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ""));
const headers = fc.record(
  {
    authorization: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("Bearer TOKEN", "bearer TOKEN") },
      { weight: 1, arbitrary: fc.constantFrom("Bearer", "Basic Zm9vOmJhcg==", "Bearer  TOKEN x") },
      { weight: 1, arbitrary: headerText },
    ),
    "content-type": fc.oneof(
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/json-patch+json",
        ";;",
        "application/",
      ),
      headerText,
    ),
    accept: fc.oneof(
      fc.constantFrom("application/xml", "application/json", "*/*", "text/html"),
      headerText,
    ),
    "x-access-token": fc.constant("TOKEN"),
  },
  { requiredKeys: ["authorization"] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...Object.values(connectionBodies).map((b) => JSON.stringify(b))),
  fc
    .tuple(
      fc.constantFrom(...Object.values(connectionBodies)),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
    )
    .map(([b, extra]) => JSON.stringify({ ...b, ...extra, options: { ...b.options, ...extra } })),
  fc
    .tuple(fc.constantFrom(...Object.values(connectionBodies)), fc.integer({ min: 1, max: 150 }))
    .map(([b, depth]) => [b, nestedText(depth, depth * 7919)] as const)
    .map(([b, nested]) =>
      JSON.stringify({ ...b, options: {} }).replace('"options":{}', `"options":{"deep":${nested}}`),
    ),
  fc.constantFrom(
    '{"__proto__":{"admin":true}}',
    '{"name":"dup","name":"dup2","strategy":"windowslive"}',
    '{"name":"big","strategy":"windowslive","options":{"n":1e400}}',
    '{"constructor":{"prototype":{"x":1}}}',
    "client_id=fuzz&client_secret=fuzz-secret&grant_type=client_credentials",
    "client_id=fuzz&client_id=x&grant_type=client_credentials",
    '{"name":',
    "\u0000\u0001",
  ),
);
const method = fc.constantFrom(
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
  "PROPFIND",
  "SEARCH",
  "COPY",
);

it(`answers ${RUNS} random requests without a 5xx, always in JSON, and keeps answering`, async () => {
  let sentCount = 0;
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(method, path, query, headers, body, async (m, p, q, h, b) => {
      const fill = (s: string) => s.replaceAll("TOKEN", token);
      const sent: Sent = {
        method: m,
        path: fill(p + q),
        headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, fill(v)])),
        body: m === "GET" || m === "HEAD" ? undefined : b,
      };
      const res = await send(sent);
      sentCount++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, JSON.stringify(sent).slice(0, 500)).toBeLessThan(500);
      // Nothing under /api succeeds without the token, however the path is spelled.
      const carriesToken =
        sent.path.includes(token) || Object.values(sent.headers).some((v) => v.includes(token));
      if (!carriesToken && res.status < 300) {
        expect(sent.path, JSON.stringify(sent).slice(0, 500)).toMatch(/^\/+(oauth|p)\//);
      }
      if (m !== "HEAD") {
        expect(res.type).toMatch(/^application\/json/);
        const parsed = JSON.parse(res.text) as unknown;
        if (res.status >= 400) {
          expect(typeof parsed === "object" && parsed !== null && "error" in parsed).toBe(true);
        }
        expect(res.text).not.toMatch(/ at .*\.[cm]?[jt]s:\d+/);
        expect(res.text).not.toContain("fuzz-secret");
      }
    }),
    { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
  );
  console.log(
    `fuzz: ${sentCount} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  expect(sentCount).toBeGreaterThanOrEqual(RUNS);
  const after = await call(server.url, "GET", "/api/connections", { token });
  expect(after.status).toBe(200);
});

describe("through inject()", () => {
  let local: TestApp;
  let localToken: string;
  beforeAll(async () => {
    local = await injectApp({ clientId: "c", clientSecret: "s" });
    localToken = await getToken(local.app, "c", "s");
  });
  afterAll(() => local.close());

  const listPath = fc.constantFrom(
    "/api/users",
    "/api/socialconnections/users",
    "/api/connections/fabrikam-adfs/users",
  );
  const pagingQuery = fc
    .array(fc.tuple(fc.constantFrom("per_page", "page"), fc.oneof(numberText, queryValue)), {
      minLength: 1,
      maxLength: 3,
    })
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`);

  it("answers every paging query of the user lists with 200 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(listPath, pagingQuery, async (p, q) => {
        const res = await call(local.app, "GET", p + q, { token: localToken });
        expect([200, 400], `${p}${q}: ${res.text.slice(0, 200)}`).toContain(res.status);
        if (res.status === 200) expect(Array.isArray(res.body)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("stores a nested body it accepts so that it reads back, and refuses the rest with 400", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(nesting, async ({ depth, pattern }) => {
        const name = `nest-${n++}`;
        const nested = nestedText(depth, pattern);
        const res = await call(local.app, "POST", "/api/connections", {
          token: localToken,
          raw: `{"name":"${name}","strategy":"windowslive","options":{"deep":${nested}}}`,
          headers: { "content-type": "application/json" },
        });
        const read = await call(local.app, "GET", `/api/connections/${name}`, {
          token: localToken,
        });
        if (res.status === 201) {
          expect(read.status, `depth ${depth}`).toBe(200);
          expect(read.body).toEqual(res.body);
        } else {
          expect(res.status, `depth ${depth}`).toBe(400);
          expect((res.body as { code: string }).code).toBe("MGMT_ERR_JSON_TOO_DEEP");
          expect(read.status).toBe(404);
        }
      }),
      { numRuns: 200 },
    );
    expect((await call(local.app, "GET", "/api/connections", { token: localToken })).status).toBe(
      200,
    );
  });
});
