// What a hostile or sloppy client sends, through inject(): every odd input gets a precise 4xx,
// and nothing it sends is stored in a form that cannot be read back.
import { MAX_JSON_DEPTH } from "@mgmtkit/reference-server";
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

let server: TestApp;
let token: string;
const api = (method: string, path: string, options: CallOptions = {}) =>
  call(server.app, method, path, { token, ...options });
beforeAll(async () => {
  server = await injectApp({ clientId: "c", clientSecret: "s" });
  token = await getToken(server.app, "c", "s");
});
afterAll(() => server.close());

const codeOf = (res: Answer) => (res.body as { code?: string }).code;

describe("numbers in query parameters", () => {
  const paths = [
    "/api/users",
    "/api/socialconnections/users",
    "/api/connections/fabrikam-adfs/users",
  ];
  const queries: Array<[string, RegExp]> = [
    ["per_page=1&page=1e19", /page must be <= \d+/],
    ["per_page=1&page=9223372036854775807", /page must be <= \d+/],
    ["per_page=1&page=18446744073709551616", /page must be <= \d+/],
    ["per_page=1&page=1e400", /page must be <= \d+/],
    ["per_page=1e400", /per_page must be <= 100/],
    ["per_page=9223372036854775807", /per_page must be <= 100/],
    ["per_page=-1", /per_page must be >= 1/],
    ["per_page=1&page=-1", /page must be >= 0/],
    ["per_page=1&page=-1e400", /page must be >= 0/],
    ["per_page=1.5", /per_page must be integer/],
    ["per_page=1&page=0.5", /page must be integer/],
    ["per_page=NaN", /per_page must be integer/],
    ["per_page=Infinity", /per_page must be <= 100/],
    ["per_page=1&page=1&page=2", /page must be given once/],
    ["per_page=1&per_page=1", /per_page must be given once/],
  ];
  for (const path of paths) {
    it.each(queries)(`${path}?%s answers 400`, async (query, detail) => {
      const res = await api("GET", `${path}?${query}`);
      expect(res.status).toBe(400);
      expectConformant(res, path.replace("fabrikam-adfs", "{connectionName}"), "get");
      expect(codeOf(res)).toBe("MGMT_ERR_INVALID_QUERY");
      expect((res.body as { detail: string }).detail).toMatch(detail);
    });
  }

  it("answers the last page allowed, empty", async () => {
    const res = await api("GET", "/api/users?per_page=100&page=2147483647");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });
});

describe("nesting", () => {
  const withOptions = (name: string, options: string) =>
    `{"name":"${name}","strategy":"windowslive","options":${options}}`;
  const deep = (depth: number) => `{"x":${"[".repeat(depth)}${"]".repeat(depth)}}`;

  it(`stores and reads back a body ${MAX_JSON_DEPTH} levels deep`, async () => {
    // The body, its options and the value make three levels around the arrays.
    const created = await api("POST", "/api/connections", {
      raw: withOptions("deep-ok", deep(MAX_JSON_DEPTH - 2)),
      headers: { "content-type": "application/json" },
    });
    expect(created.status).toBe(201);
    const read = await api("GET", "/api/connections/deep-ok");
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect((await api("GET", "/api/connections")).status).toBe(200);
  });

  it.each([MAX_JSON_DEPTH - 1, 4111, 10_000, 200_000])(
    "refuses %i levels of arrays in options with 400, storing nothing",
    async (depth) => {
      const name = `deep-${depth}`;
      const res = await api("POST", "/api/connections", {
        raw: withOptions(name, deep(depth)),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
      expectConformant(res, "/api/connections", "post");
      expect(codeOf(res)).toBe("MGMT_ERR_JSON_TOO_DEEP");
      expect((await api("GET", `/api/connections/${name}`)).status).toBe(404);
      expect((await api("GET", "/api/connections")).status).toBe(200);
    },
  );

  it("refuses a deep replacement, keeping the connection as it was", async () => {
    const { name } = connectionBodies.windowslive;
    await api("POST", "/api/connections", { json: connectionBodies.windowslive });
    const before = (await api("GET", `/api/connections/${name}`)).body;
    const res = await api("PUT", `/api/connections/${name}`, {
      raw: `{"name":"${name}","strategy":"windowslive","status":1,"options":${deep(5000)}}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe("MGMT_ERR_JSON_TOO_DEEP");
    expect((await api("GET", `/api/connections/${name}`)).body).toEqual(before);
    await api("DELETE", `/api/connections/${name}`);
  });
});

describe("odd bodies", () => {
  const json = { "content-type": "application/json" };
  const creates: Array<[string, { raw: string; headers?: Record<string, string>; code: string }]> =
    [
      [
        "1e400 in options",
        {
          raw: '{"name":"n1","strategy":"windowslive","options":{"x":1e400}}',
          code: "MGMT_ERR_JSON_NUMBER",
        },
      ],
      [
        "an integer past 2^53",
        {
          raw: '{"name":"n2","strategy":"windowslive","options":{"id":12345678901234567890}}',
          code: "MGMT_ERR_JSON_NUMBER",
        },
      ],
      [
        "the name twice",
        {
          raw: '{"name":"n3","name":"n4","strategy":"windowslive"}',
          code: "MGMT_ERR_JSON_DUPLICATE_KEY",
        },
      ],
      [
        "an option twice",
        {
          raw: '{"name":"n5","strategy":"windowslive","options":{"scope":[],"scope":["email"]}}',
          code: "MGMT_ERR_JSON_DUPLICATE_KEY",
        },
      ],
      [
        "__proto__ without a name",
        { raw: '{"__proto__": {"name": "n6"}}', code: "MGMT_ERR_INVALID_BODY" },
      ],
      [
        "charset=utf-16",
        {
          raw: '{"name":"n7","strategy":"windowslive"}',
          headers: { "content-type": "application/json; charset=utf-16" },
          code: "MGMT_ERR_UNSUPPORTED_CHARSET",
        },
      ],
    ];
  it.each(creates)("refuses a create with %s, storing nothing", async (_name, given) => {
    const res = await api("POST", "/api/connections", {
      raw: given.raw,
      headers: given.headers ?? json,
    });
    expect(res.status).toBe(given.code === "MGMT_ERR_UNSUPPORTED_CHARSET" ? 415 : 400);
    expectConformant(res, "/api/connections", "post");
    expect(codeOf(res)).toBe(given.code);
    for (const name of ["n1", "n2", "n3", "n4", "n5", "n6", "n7"]) {
      expect((await api("GET", `/api/connections/${name}`)).status).toBe(404);
    }
  });

  it("refuses a UTF-16 token request with 415", async () => {
    const res = await call(server.app, "POST", "/oauth/token", {
      raw: "client_id=c&client_secret=s&grant_type=client_credentials",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-16" },
    });
    expect(res.status).toBe(415);
    expect(codeOf(res)).toBe("MGMT_ERR_UNSUPPORTED_CHARSET");
  });

  it("stores __proto__ and constructor in options as plain data, and pollutes nothing", async () => {
    const options = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    const res = await api("POST", "/api/connections", {
      raw: `{"name":"proto","strategy":"windowslive","options":${options},"__proto__":{"status":0}}`,
      headers: json,
    });
    expect(res.status).toBe(201);
    const read = await api("GET", "/api/connections/proto");
    expect(read.text).toContain(`"options":${options}`);
    expect((read.body as { status: number }).status).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    await api("DELETE", "/api/connections/proto");
  });

  const form = "client_id=c&client_secret=s&grant_type=client_credentials";
  const tokenRequests: Array<[string, { raw: string; status: number; error?: string }]> = [
    ["constructor=x", { raw: `${form}&constructor=x`, status: 200 }],
    ["toString=x", { raw: `${form}&toString=x`, status: 200 }],
    ["__proto__=x", { raw: `${form}&__proto__=x`, status: 200 }],
    ["hasOwnProperty=x", { raw: `hasOwnProperty=x&${form}`, status: 200 }],
    ["client_id twice", { raw: `${form}&client_id=c`, status: 400, error: "invalid_request" }],
    ["an unknown name twice", { raw: `${form}&x=1&x=2`, status: 400, error: "invalid_request" }],
  ];
  it.each(tokenRequests)(
    "answers a token request with %s",
    async (_name, { raw, status, error }) => {
      const res = await call(server.app, "POST", "/oauth/token", {
        raw,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(res.status).toBe(status);
      expectConformant(res, "/oauth/token", "post");
      if (error) {
        expect(res.body).toMatchObject({
          error,
          error_description: expect.stringMatching(/given once/),
        });
      }
    },
  );

  it("refuses a JSON token request with a key twice, as a form with a parameter twice", async () => {
    const res = await call(server.app, "POST", "/oauth/token", {
      raw: '{"client_id":"c","client_secret":"s","grant_type":"client_credentials","client_id":"x"}',
      headers: json,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request" });
  });
});
