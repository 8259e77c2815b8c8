// The API through inject(): everything here is about answers, not sockets (see deadlines.test.ts,
// tls.test.ts and fuzz.test.ts for those).
import { demoSeed } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Answer,
  type CallOptions,
  call,
  connectionBodies,
  expectConformant,
  getToken,
  injectApp,
  type TestApp,
} from "./helpers.js";

const CLIENT_ID = "test-client";
const CLIENT_SECRET = "test-secret-value";

let server: TestApp;
let token: string;
const api = (method: string, path: string, options: CallOptions = {}) =>
  call(server.app, method, path, { token, ...options });

beforeAll(async () => {
  server = await injectApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  token = await getToken(server.app, CLIENT_ID, CLIENT_SECRET);
});
afterAll(() => server.close());

function body<T = Record<string, unknown>>(res: Answer): T {
  return res.body as T;
}

describe("POST /oauth/token", () => {
  const good = {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    grant_type: "client_credentials",
  };
  const cases: Array<[string, { given: CallOptions; want: { status: number; error?: string } }]> = [
    [
      "form-encoded with type=web_server",
      { given: { form: { ...good, type: "web_server" } }, want: { status: 200 } },
    ],
    ["form-encoded without type", { given: { form: good }, want: { status: 200 } }],
    ["JSON", { given: { json: good }, want: { status: 200 } }],
    [
      "form with charset",
      {
        given: {
          form: good,
          headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
        },
        want: { status: 200 },
      },
    ],
    [
      "wrong secret",
      {
        given: { form: { ...good, client_secret: "nope" } },
        want: { status: 401, error: "invalid_client" },
      },
    ],
    [
      "unknown client",
      {
        given: { form: { ...good, client_id: "other" } },
        want: { status: 401, error: "invalid_client" },
      },
    ],
    [
      "secret as a prefix",
      {
        given: { form: { ...good, client_secret: CLIENT_SECRET.slice(0, -1) } },
        want: { status: 401, error: "invalid_client" },
      },
    ],
    [
      "password grant",
      {
        given: { form: { ...good, grant_type: "password" } },
        want: { status: 400, error: "unsupported_grant_type" },
      },
    ],
    [
      "missing secret",
      {
        given: { form: { client_id: CLIENT_ID, grant_type: "client_credentials" } },
        want: { status: 400, error: "invalid_request" },
      },
    ],
    [
      "missing grant_type",
      {
        given: { form: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } },
        want: { status: 400, error: "invalid_request" },
      },
    ],
    [
      "other type",
      {
        given: { form: { ...good, type: "user_agent" } },
        want: { status: 400, error: "invalid_request" },
      },
    ],
    [
      "repeated parameter",
      {
        given: {
          raw: `client_id=${CLIENT_ID}&client_id=x&client_secret=${CLIENT_SECRET}&grant_type=client_credentials`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
        want: { status: 400, error: "invalid_request" },
      },
    ],
    [
      "malformed JSON",
      {
        given: { raw: '{"client_id":', headers: { "content-type": "application/json" } },
        want: { status: 400, error: "invalid_request" },
      },
    ],
    ["JSON array", { given: { json: [good] }, want: { status: 400, error: "invalid_request" } }],
    [
      "JSON string",
      { given: { json: "client_credentials" }, want: { status: 400, error: "invalid_request" } },
    ],
    ["no body", { given: {}, want: { status: 400, error: "invalid_request" } }],
    [
      "empty JSON body",
      {
        given: { raw: "", headers: { "content-type": "application/json" } },
        want: { status: 400, error: "invalid_request" },
      },
    ],
    [
      "text/plain",
      {
        given: { raw: "client_id=x", headers: { "content-type": "text/plain" } },
        want: { status: 415 },
      },
    ],
    [
      "over 1 MiB",
      {
        given: {
          raw: `client_id=${"a".repeat(1024 * 1024 + 1)}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
        want: { status: 413 },
      },
    ],
  ];
  it.each(cases)("%s", async (_name, { given, want }) => {
    const res = await call(server.app, "POST", "/oauth/token", given);
    expect(res.status).toBe(want.status);
    expectConformant(res, "/oauth/token", "post");
    if (want.error) expect(body(res).error).toBe(want.error);
    if (want.status === 200) {
      expect(body(res).token_type).toBe("bearer");
      expect(body(res).expires_in).toBe(86400);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const issued = body<{ access_token: string }>(res).access_token;
      expect((await call(server.app, "GET", "/api/connections", { token: issued })).status).toBe(
        200,
      );
    }
    expect(res.text).not.toContain(CLIENT_SECRET);
  });

  it("answers 405 in JSON to GET", async () => {
    const res = await call(server.app, "GET", "/oauth/token");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(body(res).statusCode).toBe(405);
  });
});

describe("access to /api", () => {
  const cases: Array<[string, { path: string; headers?: Record<string, string>; want: number }]> = [
    ["no token", { path: "/api/connections", want: 401 }],
    [
      "unknown token",
      { path: "/api/connections", headers: { authorization: "Bearer nope" }, want: 401 },
    ],
    [
      "basic scheme",
      { path: "/api/connections", headers: { authorization: "Basic dGVzdDp0ZXN0" }, want: 401 },
    ],
    [
      "token in another header",
      { path: "/api/connections", headers: { "x-access-token": "TOKEN" }, want: 401 },
    ],
    [
      "lower-case bearer",
      { path: "/api/connections", headers: { authorization: "bearer TOKEN" }, want: 200 },
    ],
    [
      "capitalised Bearer",
      { path: "/api/connections", headers: { authorization: "Bearer TOKEN" }, want: 200 },
    ],
    [
      "upper-case BEARER",
      { path: "/api/connections", headers: { authorization: "BEARER TOKEN" }, want: 200 },
    ],
    ["query parameter", { path: "/api/connections?access_token=TOKEN", want: 200 }],
    [
      "query parameter with trailing slash",
      { path: "/api/connections/?access_token=TOKEN", want: 200 },
    ],
    ["unknown route without token", { path: "/api/nothing-here", want: 401 }],
    ["doubled leading slash", { path: "//api/connections", want: 401 }],
    ["doubled inner slash", { path: "/api//connections", want: 401 }],
    ["percent-encoded api", { path: "/%61pi/connections", want: 401 }],
    ["percent-encoded route segment", { path: "/api/%63onnections", want: 401 }],
    ["percent-encoded unknown route", { path: "/%61pi/nothing-here", want: 401 }],
    ["doubled slash with token", { path: "//api/connections?access_token=TOKEN", want: 200 }],
    ["unknown route with token", { path: "/api/nothing-here?access_token=TOKEN", want: 404 }],
    ["users without token", { path: "/api/users", want: 401 }],
    ["social users without token", { path: "/api/socialconnections/users", want: 401 }],
    ["connection users without token", { path: "/api/connections/fabrikam-adfs/users", want: 401 }],
  ];
  it.each(cases)("%s", async (_name, { path, headers = {}, want }) => {
    const fill = (s: string) => s.replace("TOKEN", token);
    const res = await call(server.app, "GET", fill(path), {
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fill(v)])),
    });
    expect(res.status).toBe(want);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    if (want === 401) {
      expectConformant(res, "/api/connections", "get");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("refuses a token once it expired", async () => {
    let now = Date.now();
    const shortLived = await injectApp({
      clientId: "a",
      clientSecret: "b",
      tokenTtlSeconds: 1,
      now: () => now,
      seed: false,
    });
    try {
      const t = await getToken(shortLived.app, "a", "b");
      expect((await call(shortLived.app, "GET", "/api/connections", { token: t })).status).toBe(
        200,
      );
      now += 1000;
      const res = await call(shortLived.app, "GET", "/api/connections", { token: t });
      expect(res.status).toBe(401);
      expect(body(res).message).toMatch(/expired/);
    } finally {
      await shortLived.close();
    }
  });

  it("refuses a token of another server's credentials", async () => {
    const other = await injectApp({ clientId: "x", clientSecret: "y", seed: false });
    try {
      expect((await call(other.app, "GET", "/api/connections", { token })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("connections", () => {
  it("lists the demo seed's connections, one per strategy", async () => {
    for (const path of ["/api/connections", "/api/connections/"]) {
      const res = await api("GET", path, { headers: { accept: "application/xml" } });
      expect(res.status).toBe(200);
      expectConformant(res, "/api/connections", "get");
      const list = body<Array<{ name: string; strategy: string }>>(res);
      expect(list.map((c) => c.name)).toEqual(
        expect.arrayContaining((demoSeed.connections ?? []).map((c) => c.name)),
      );
      expect(new Set(list.map((c) => c.strategy))).toEqual(
        new Set(["adfs", "google-apps", "google-oauth2", "office365", "windowslive"]),
      );
    }
  });

  it.each(Object.entries(connectionBodies))(
    "creates, reads, replaces and deletes a %s connection",
    async (strategy, created) => {
      const res = await api("POST", "/api/connections", { json: created });
      expect(res.status).toBe(201);
      expectConformant(res, "/api/connections", "post");
      const c = body(res);
      expect(c).toMatchObject({ ...created, client_id: CLIENT_ID });
      expect(typeof c.id).toBe("string");
      const provisioned = ["adfs", "google-apps", "office365"].includes(strategy);
      if (provisioned) {
        expect(typeof c.provisioning_ticket).toBe("string");
        const url = new URL(c.provisioning_ticket_url as string);
        expect(url.origin).toBe("http://localhost");
        const page = await call(server.app, "GET", url.pathname);
        expect(page.status).toBe(200);
        expect(body(page).connection).toBe(created.name);
      } else {
        expect(c).not.toHaveProperty("provisioning_ticket");
        expect(c).not.toHaveProperty("provisioning_ticket_url");
      }

      for (const path of [
        `/api/connections/${created.name}`,
        `/api/connections/${created.name}/`,
      ]) {
        const got = await api("GET", path, { headers: { accept: "application/xml" } });
        expect(got.status).toBe(200);
        expectConformant(got, "/api/connections/{connectionName}", "get");
        expect(got.body).toEqual(c);
      }

      // The object a GET answered can be sent back as it is, with one change.
      const replacement = { ...c, status: c.status === 1 ? 0 : 1 };
      const put = await api("PUT", `/api/connections/${created.name}/`, { json: replacement });
      expect(put.status).toBe(200);
      expectConformant(put, "/api/connections/{connectionName}", "put");
      expect(put.body).toEqual(replacement);
      expect((await api("GET", `/api/connections/${created.name}`)).body).toEqual(replacement);

      const del = await api("DELETE", `/api/connections/${created.name}/`);
      expect(del.status).toBe(200);
      expectConformant(del, "/api/connections/{connectionName}", "delete");
      expect(del.body).toEqual({ removed: c.id });
      const gone = await api("GET", `/api/connections/${created.name}`);
      expect(gone.status).toBe(404);
      expectConformant(gone, "/api/connections/{connectionName}", "get");
      expect((await api("DELETE", `/api/connections/${created.name}`)).status).toBe(404);
    },
  );

  it("keeps the server-assigned fields and ignores values sent for them", async () => {
    const sent = {
      ...connectionBodies.adfs,
      name: "assigned",
      id: "con_mine",
      provisioning_ticket: "mine",
      provisioning_ticket_url: "https://evil.example/x",
    };
    const created = body(await api("POST", "/api/connections", { json: sent }));
    expect(created.id).not.toBe("con_mine");
    expect(created.provisioning_ticket).not.toBe("mine");
    expect(created.client_id).toBe(CLIENT_ID);
    const put = body(
      await api("PUT", "/api/connections/assigned", {
        json: { ...sent, client_id: "other-client", id: "con_other" },
      }),
    );
    expect(put.id).toBe(created.id);
    expect(put.provisioning_ticket).toBe(created.provisioning_ticket);
    // client_id is the server's (spec quirk 16): a foreign one changes nothing.
    expect(put.client_id).toBe(CLIENT_ID);
    await api("DELETE", "/api/connections/assigned");
  });

  it("refuses a duplicate name with 409", async () => {
    const res = await api("POST", "/api/connections", {
      json: { ...connectionBodies.adfs, name: "fabrikam-adfs" },
    });
    expect(res.status).toBe(409);
    expectConformant(res, "/api/connections", "post");
    expect(body(res).message).toContain("fabrikam-adfs");
  });

  const invalidCreates: Array<
    [string, { json?: unknown; raw?: string; type?: string; want: number; detail?: RegExp }]
  > = [
    [
      "an option of the wrong type",
      {
        json: { ...connectionBodies["google-apps"], options: { ext_groups: "yes" } },
        want: 400,
        detail: /options.ext_groups must be boolean/,
      },
    ],
    [
      "unknown strategy",
      {
        json: { ...connectionBodies.adfs, strategy: "saml" },
        want: 400,
        detail: /strategy must be one of/,
      },
    ],
    [
      "no strategy",
      {
        json: { name: "n", status: 1, options: {} },
        want: 400,
        detail: /required property 'strategy'/,
      },
    ],
    [
      "status 2",
      {
        json: { ...connectionBodies.adfs, name: "s2", status: 2 },
        want: 400,
        detail: /status must be one of 0, 1/,
      },
    ],
    [
      "status as a string",
      { json: { ...connectionBodies.adfs, name: "s3", status: "1" }, want: 400, detail: /status/ },
    ],
    [
      "name with a space",
      {
        json: { ...connectionBodies.adfs, name: "a b" },
        want: 400,
        detail: /name must match pattern/,
      },
    ],
    [
      "name too long",
      {
        json: { ...connectionBodies.adfs, name: "a".repeat(129) },
        want: 400,
        detail: /name must NOT have more than 128/,
      },
    ],
    ["no name", { json: { strategy: "adfs" }, want: 400, detail: /required property 'name'/ }],
    [
      "options not an object",
      {
        json: { ...connectionBodies.adfs, name: "o", options: "x" },
        want: 400,
        detail: /options must be object/,
      },
    ],
    [
      "bad thumbprint",
      {
        json: {
          ...connectionBodies.adfs,
          name: "t",
          options: { ...connectionBodies.adfs.options, thumbprints: ["zz"] },
        },
        want: 400,
        detail: /options.thumbprints\[0\] must match pattern/,
      },
    ],
    ["a JSON array", { json: [connectionBodies.adfs], want: 400 }],
    [
      "5000 bad thumbprints",
      {
        json: {
          ...connectionBodies.adfs,
          name: "t2",
          options: { ...connectionBodies.adfs.options, thumbprints: Array(5000).fill("zz") },
        },
        want: 400,
        detail: /thumbprints\[8\] must match pattern .*; and 4991 more$/,
      },
    ],
    ["JSON null", { raw: "null", type: "application/json", want: 400 }],
    ["malformed JSON", { raw: '{"name": "x",', type: "application/json", want: 400 }],
    ["__proto__ key", { raw: '{"__proto__": {"x": 1}}', type: "application/json", want: 400 }],
    ["empty JSON body", { raw: "", type: "application/json", want: 400 }],
    ["no body", { want: 400 }],
    ["form-encoded", { raw: "name=x", type: "application/x-www-form-urlencoded", want: 415 }],
    ["text/plain", { raw: JSON.stringify(connectionBodies.adfs), type: "text/plain", want: 415 }],
    ["application/xml", { raw: "<connection/>", type: "application/xml", want: 415 }],
    [
      "over 1 MiB",
      {
        json: {
          ...connectionBodies.adfs,
          name: "big",
          options: { ...connectionBodies.adfs.options, pad: "x".repeat(1024 * 1024) },
        },
        want: 413,
      },
    ],
  ];
  it.each(invalidCreates)(
    "refuses a create with %s",
    async (_name, { json, raw, type, want, detail }) => {
      const res = await api("POST", "/api/connections", {
        ...(json !== undefined ? { json } : {}),
        ...(raw !== undefined ? { raw } : {}),
        ...(type ? { headers: { "content-type": type } } : {}),
      });
      expect(res.status).toBe(want);
      expectConformant(res, "/api/connections", "post");
      if (detail) expect(body(res).detail).toMatch(detail);
      if (want === 400)
        expect(typeof body(res).detail === "string" || body(res).message).toBeTruthy();
    },
  );

  it("refuses a replacement that is incomplete, renames, changes strategy, or targets nothing", async () => {
    await api("POST", "/api/connections", { json: connectionBodies.windowslive });
    const whole = { ...connectionBodies.windowslive, client_id: CLIENT_ID };
    const cases: Array<[unknown, string, number, RegExp]> = [
      [
        { ...whole, status: undefined },
        connectionBodies.windowslive.name,
        400,
        /required property 'status'/,
      ],
      [
        { ...whole, options: undefined },
        connectionBodies.windowslive.name,
        400,
        /required property 'options'/,
      ],
      [{ ...whole, name: "renamed" }, connectionBodies.windowslive.name, 400, /name must equal/],
      [
        { ...connectionBodies["google-oauth2"], client_id: CLIENT_ID, name: whole.name },
        connectionBodies.windowslive.name,
        400,
        /strategy must equal/,
      ],
      [{ ...whole, name: "nobody" }, "nobody", 404, /nobody/],
    ];
    for (const [json, name, status, pattern] of cases) {
      const res = await api("PUT", `/api/connections/${name}`, { json });
      expect(res.status).toBe(status);
      expectConformant(res, "/api/connections/{connectionName}", "put");
      expect(JSON.stringify(res.body)).toMatch(pattern);
    }
    const wrongType = await api("PUT", `/api/connections/${connectionBodies.windowslive.name}`, {
      raw: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(wrongType.status).toBe(415);
    expect(
      (await api("GET", `/api/connections/${connectionBodies.windowslive.name}`)).body,
    ).toMatchObject(connectionBodies.windowslive);
    await api("DELETE", `/api/connections/${connectionBodies.windowslive.name}`);
  });
});

describe("the bodies of the API's own era (spec quirk 16)", () => {
  it("creates from the smallest body, filling in status and the server-owned fields", async () => {
    const era = {
      name: "thesuperstore-connection",
      strategy: "office365",
      options: { tenant_domain: "bigcompany.com" },
    };
    const res = await api("POST", "/api/connections", { json: era });
    expect(res.status).toBe(201);
    expectConformant(res, "/api/connections", "post");
    const created = body<Record<string, unknown>>(res);
    expect(created).toMatchObject({ ...era, status: 1, client_id: CLIENT_ID });
    expect(created.provisioning_ticket_url).toMatch(/^http:\/\/localhost:80\/p\/office365\//);
    await api("DELETE", "/api/connections/thesuperstore-connection");
  });

  it("creates without options, and ignores unknown top-level properties", async () => {
    const res = await api("POST", "/api/connections", {
      json: { name: "bare", strategy: "windowslive", colour: "red" },
    });
    expect(res.status).toBe(201);
    const created = body<Record<string, unknown>>(res);
    expect(created).toMatchObject({ name: "bare", status: 1, options: {} });
    expect(created).not.toHaveProperty("colour");
    await api("DELETE", "/api/connections/bare");
  });

  it("replaces from a body built by hand, without the server-owned fields", async () => {
    await api("POST", "/api/connections", { json: connectionBodies.office365 });
    const { name } = connectionBodies.office365;
    const before = body<Record<string, unknown>>(await api("GET", `/api/connections/${name}`));
    const byHand = {
      name,
      strategy: "office365",
      status: 0,
      options: { tenant_domain: "x.example" },
    };
    const res = await api("PUT", `/api/connections/${name}`, { json: byHand });
    expect(res.status).toBe(200);
    expectConformant(res, "/api/connections/{connectionName}", "put");
    expect(body(res)).toEqual({ ...before, ...byHand });
    await api("DELETE", `/api/connections/${name}`);
  });
});

describe("users", () => {
  const allUsers = demoSeed.users ?? [];

  it("lists every user, with user_id of the form strategy|id", async () => {
    const res = await api("GET", "/api/users/", { headers: { accept: "application/xml" } });
    expect(res.status).toBe(200);
    expectConformant(res, "/api/users", "get");
    const users = body<Array<{ user_id: string }>>(res);
    expect(users.map((u) => u.user_id)).toEqual(allUsers.map((u) => u.user_id));
    expect(res.headers.get("link")).toBeNull();
    expect(users[0]).not.toHaveProperty("connection");
  });

  it.each((demoSeed.connections ?? []).map((c) => [c.name as string, c.strategy as string]))(
    "lists the users of %s",
    async (name, strategy) => {
      const res = await api("GET", `/api/connections/${name}/users/`);
      expect(res.status).toBe(200);
      expectConformant(res, "/api/connections/{connectionName}/users", "get");
      const ids = body<Array<{ user_id: string }>>(res).map((u) => u.user_id);
      expect(ids).toEqual(allUsers.filter((u) => u.connection === name).map((u) => u.user_id));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(id.startsWith(`${strategy}|`)).toBe(true);
    },
  );

  it("lists the users of social connections only", async () => {
    const res = await api("GET", "/api/socialconnections/users");
    expect(res.status).toBe(200);
    expectConformant(res, "/api/socialconnections/users", "get");
    const ids = body<Array<{ user_id: string }>>(res).map((u) => u.user_id);
    expect(ids).toEqual(
      allUsers
        .filter((u) => /^(google-oauth2|windowslive)\|/.test(u.user_id))
        .map((u) => u.user_id),
    );
  });

  it("leaves out the users of a disabled social connection (spec quirk 19)", async () => {
    const live = (demoSeed.connections ?? []).find((c) => c.strategy === "windowslive");
    const name = live?.name as string;
    const read = body<Record<string, unknown>>(await api("GET", `/api/connections/${name}`));
    const disable = await api("PUT", `/api/connections/${name}`, { json: { ...read, status: 0 } });
    expect(disable.status).toBe(200);
    try {
      const ids = body<Array<{ user_id: string }>>(
        await api("GET", "/api/socialconnections/users"),
      ).map((u) => u.user_id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => id.startsWith("windowslive|"))).toEqual([]);
      // The connection's own list still has them.
      const own = body<unknown[]>(await api("GET", `/api/connections/${name}/users`));
      expect(own.length).toBeGreaterThan(0);
    } finally {
      await api("PUT", `/api/connections/${name}`, { json: read });
    }
  });

  it("answers 404 for the users of an unknown connection", async () => {
    const res = await api("GET", "/api/connections/nobody/users");
    expect(res.status).toBe(404);
    expectConformant(res, "/api/connections/{connectionName}/users", "get");
  });

  it.each([
    ["/api/users"],
    ["/api/socialconnections/users"],
    ["/api/connections/fabrikam-adfs/users"],
  ])("pages %s with per_page and follows Link rel=next to the end", async (path) => {
    const whole = body<unknown[]>(await api("GET", path));
    const seen: unknown[] = [];
    let next: string | undefined = `${path}?per_page=1`;
    let pages = 0;
    while (next) {
      const res = await api("GET", next);
      expect(res.status).toBe(200);
      expect(body<unknown[]>(res).length).toBeLessThanOrEqual(1);
      seen.push(...body<unknown[]>(res));
      const link = res.headers.get("link");
      const url = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      if (url) expect(new URL(url).origin).toBe("http://localhost");
      next = url ? url.slice("http://localhost:80".length) : undefined;
      pages++;
      expect(pages).toBeLessThanOrEqual(whole.length + 1);
    }
    expect(seen).toEqual(whole);
  });

  it("answers an empty page past the end, and 400 for bad paging parameters", async () => {
    const past = await api("GET", "/api/users?per_page=100&page=5");
    expect(past.status).toBe(200);
    expect(past.body).toEqual([]);
    const invalid: Array<[string, RegExp]> = [
      ["per_page=0", /per_page must be >= 1/],
      ["per_page=101", /per_page must be <= 100/],
      ["per_page=abc", /per_page must be integer/],
      ["per_page=1.5", /per_page must be integer/],
      ["per_page=10&page=-1", /page must be >= 0/],
      ["per_page=1&per_page=2", /per_page must be given once/],
    ];
    for (const [query, detail] of invalid) {
      const res = await api("GET", `/api/users?${query}`);
      expect(res.status, query).toBe(400);
      expectConformant(res, "/api/users", "get");
      expect(body(res).detail).toMatch(detail);
    }
  });
});

describe("routing", () => {
  it.each([
    ["GET", "/"],
    ["GET", "/connections"],
    ["POST", "/connections"],
    ["GET", "/oauth/authorize"],
    ["GET", "/api/connections/a/b/c"],
  ])("answers 404 in JSON to %s %s", async (method, path) => {
    const res = await api(method, path, method === "POST" ? { json: {} } : {});
    expect(res.status).toBe(404);
    expect(body(res)).toMatchObject({ statusCode: 404, error: "Not Found" });
  });

  it.each([
    ["PATCH", "/api/connections", "GET, HEAD, POST"],
    ["DELETE", "/api/connections/", "GET, HEAD, POST"],
    ["POST", "/api/connections/fabrikam-adfs", "GET, HEAD, PUT, DELETE"],
    ["PUT", "/api/users", "GET, HEAD"],
    ["DELETE", "/api/connections/fabrikam-adfs/users", "GET, HEAD"],
    ["OPTIONS", "/api/socialconnections/users", "GET, HEAD"],
    ["PUT", "/oauth/token", "POST"],
  ])("answers 405 in JSON to %s %s", async (method, path, allow) => {
    const res = await api(method, path);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(body(res)).toMatchObject({ statusCode: 405, error: "Method Not Allowed" });
  });

  it("answers 400 in JSON to a malformed percent-encoding", async () => {
    const res = await api("GET", "/api/connections/%E0%A4%A");
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ statusCode: 400 });
  });

  it("answers HEAD like GET without a body", async () => {
    const res = await api("HEAD", "/api/connections");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });
});
