import { describe, expect, it } from "vitest";
import {
  type ConnectionExample,
  connectionExamples,
  createSpecValidator,
  enterpriseStrategies,
  exampleConnections,
  getOperation,
  matchOperation,
  methodsAt,
  operations,
  provisionedStrategies,
  resolveRef,
  socialStrategies,
  specRef,
  strategies,
  variantRef,
} from "../src/model.js";

describe("operations", () => {
  it("lists the nine documented operations with their methods and paths", () => {
    expect(operations.map((op) => `${op.method} ${op.path} ${op.id}`)).toEqual([
      "POST /oauth/token getAccessToken",
      "GET /api/connections listConnections",
      "POST /api/connections createConnection",
      "GET /api/connections/{connectionName} getConnection",
      "PUT /api/connections/{connectionName} updateConnection",
      "DELETE /api/connections/{connectionName} deleteConnection",
      "GET /api/users listUsers",
      "GET /api/connections/{connectionName}/users listConnectionUsers",
      "GET /api/socialconnections/users listSocialConnectionUsers",
    ]);
  });

  it("knows which operations need a token", () => {
    expect(operations.filter((op) => !op.secured).map((op) => op.id)).toEqual(["getAccessToken"]);
  });

  it("resolves parameters, bodies and answers", () => {
    const listUsers = getOperation("listConnectionUsers");
    expect(listUsers.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      "path:connectionName:true",
      "query:per_page:false",
      "query:page:false",
    ]);
    expect(getOperation("getAccessToken").requestBody?.mediaTypes).toEqual([
      "application/x-www-form-urlencoded",
      "application/json",
    ]);
    const create = getOperation("createConnection");
    expect([...create.responses.keys()]).toEqual([
      "200",
      "201",
      "400",
      "401",
      "409",
      "413",
      "415",
      "5XX",
    ]);
    expect(create.responseFor(201)?.json?.schemaRef).toBe(
      "spec#/components/responses/ConnectionCreated/content/application~1json/schema",
    );
    expect(create.responseFor(503)?.key).toBe("5XX");
    expect(create.responseFor(404)).toBeUndefined();
    expect(listUsers.responseFor(200)?.headers).toEqual(["link"]);
  });

  const matches: Array<[string, { method: string; path: string; want?: string; params?: object }]> =
    [
      [
        "the list",
        { method: "GET", path: "/api/connections", want: "listConnections", params: {} },
      ],
      ["a trailing slash", { method: "get", path: "/api/connections/", want: "listConnections" }],
      [
        "an encoded name",
        {
          method: "GET",
          path: "/api/connections/a%20b/users",
          want: "listConnectionUsers",
          params: { connectionName: "a b" },
        },
      ],
      [
        "a name with a dot",
        { method: "DELETE", path: "/api/connections/a.b", params: { connectionName: "a.b" } },
      ],
      ["an unknown path", { method: "GET", path: "/api/clients" }],
      ["a method the path lacks", { method: "PATCH", path: "/api/connections/x" }],
      ["two segments for one parameter", { method: "GET", path: "/api/connections/a/b" }],
      ["a malformed escape", { method: "GET", path: "/api/connections/%E0%A4%A" }],
    ];
  it.each(matches)("matches %s", (_name, { method, path, want, params }) => {
    const found = matchOperation(method, path);
    if (want === undefined && params === undefined) expect(found).toBeUndefined();
    if (want) expect(found?.operation.id).toBe(want);
    if (params) expect(found?.params).toEqual(params);
  });

  it("tells the methods of a path, for 405 answers", () => {
    expect(methodsAt("/api/connections/x/")).toEqual(["GET", "PUT", "DELETE"]);
    expect(methodsAt("/api/nothing")).toEqual([]);
  });

  it("fills path templates with one encoded segment per parameter", () => {
    const op = getOperation("getConnection");
    expect(op.pathFor({ connectionName: "a/b ü" })).toBe("/api/connections/a%2Fb%20%C3%BC");
    expect(() => op.pathFor({})).toThrow(/connectionName/);
  });
});

describe("request open points (x-open-point)", () => {
  const at = (id: Parameters<typeof getOperation>[0]) =>
    getOperation(id).openPoints.map(({ point, at }) => `${at} ${point}`);

  it("are served per operation, with the place of the request they sit at", () => {
    expect(at("createConnection")).toEqual([
      " request.media-type",
      " create.unknown-fields",
      "/name connection.names",
      "/status create.status-omitted",
      "/status create.loose-values",
      "/options create.options-omitted",
      "/options create.option-keys",
      "/options create.option-values",
      "/options create.loose-values",
      "/id client-id.foreign",
      "/client_id client-id.foreign",
      "/provisioning_ticket client-id.foreign",
      "/provisioning_ticket_url client-id.foreign",
    ]);
    expect(at("updateConnection")).toEqual([
      "path:connectionName connection.names",
      "/name replace.fixed-fields",
      "/strategy replace.fixed-fields",
      "/options create.option-values",
      "/id client-id.foreign",
      "/client_id client-id.foreign",
      "/provisioning_ticket client-id.foreign",
      "/provisioning_ticket_url client-id.foreign",
    ]);
    expect(at("getAccessToken")).toEqual([
      " token.repeated-parameters",
      " token.request-variants",
      "/grant_type token.other-grant",
      "/type token.request-variants",
    ]);
    expect(at("listUsers")).toEqual([
      "query:per_page users.pagination",
      "query:page users.pagination",
    ]);
    expect(at("listConnections")).toEqual([]);
  });

  it("change no schema: a validator reads past them", () => {
    const body = getOperation("createConnection").requestBody?.content[0]?.schemaRef as string;
    const core = createSpecValidator();
    const create = { name: "a", strategy: "google-apps", options: { email: true } };
    expect(core.problems(body, create)).toEqual([]);
    expect(core.isValid(body, { ...create, options: { email: "yes" } })).toBe(false);
    expect(core.isValid(body, { ...create, status: true })).toBe(false);
  });
});

describe("strategies", () => {
  it("are the five of the document, split into social and enterprise", () => {
    expect(strategies).toEqual([
      "adfs",
      "google-apps",
      "google-oauth2",
      "office365",
      "windowslive",
    ]);
    expect(socialStrategies).toEqual(["google-oauth2", "windowslive"]);
    expect(enterpriseStrategies).toEqual(["adfs", "google-apps", "office365"]);
    expect(provisionedStrategies).toEqual(["adfs", "google-apps", "office365"]);
  });

  it("agree with every discriminated union of the spec", () => {
    for (const union of ["Connection", "ConnectionCreate", "ConnectionReplacement"]) {
      const schema = resolveRef(specRef("components", "schemas", union)) as {
        discriminator: { mapping: Record<string, string> };
      };
      expect(Object.keys(schema.discriminator.mapping), union).toEqual([...strategies]);
      for (const strategy of strategies) expect(variantRef(union, strategy)).toMatch(/^spec#\//);
    }
  });

  it("each have a complete create example that a server must accept", () => {
    const validator = createSpecValidator();
    const ref = getOperation("createConnection").requestBody?.content[0]?.schemaRef as string;
    for (const strategy of strategies) {
      const example: ConnectionExample = exampleConnections[strategy];
      expect(example.strategy).toBe(strategy);
      expect(example.status).toBeTypeOf("number");
      expect(validator.problems(ref, example)).toEqual([]);
    }
    // The smallest era body is among the examples too.
    expect(connectionExamples[0]).toEqual({
      name: "thesuperstore-connection",
      strategy: "office365",
      options: { tenant_domain: "bigcompany.com" },
    });
  });
});

describe("the validator", () => {
  const core = createSpecValidator();
  const strict = createSpecValidator({ profile: "strict" });
  const create = getOperation("createConnection").requestBody?.content[0]?.schemaRef as string;
  const list = getOperation("listConnections").responseFor(200)?.json?.schemaRef as string;

  const explanations: Array<
    [string, { ref: string; data: unknown; want: string[]; strict?: true }]
  > = [
    [
      "a create speaks about the strategy it names",
      {
        ref: create,
        data: { name: "a b", strategy: "office365", status: 2, options: { tenant_domain: 5 } },
        want: [
          'name must match pattern "^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$"',
          "status must be one of 0, 1",
          "options.tenant_domain must be string",
        ],
      },
    ],
    [
      "an unknown strategy lists the known ones",
      {
        ref: create,
        data: { name: "a", strategy: "facebook" },
        want: [
          'strategy must be one of "adfs", "google-apps", "google-oauth2", "office365", "windowslive"',
        ],
      },
    ],
    [
      "a missing strategy",
      {
        ref: create,
        data: { name: "a" },
        want: ["the body must have required property 'strategy'"],
      },
    ],
    ["a body that is no object", { ref: create, data: [], want: ["the body must be an object"] }],
    [
      "a list names the element at fault",
      {
        ref: list,
        data: [
          { name: "a", client_id: "c", status: 1, strategy: "windowslive", options: {} },
          { name: "b", client_id: "c", status: 1, strategy: "adfs", options: {} },
        ],
        want: [
          "[1] must have required property 'provisioning_ticket'",
          "[1] must have required property 'provisioning_ticket_url'",
        ],
      },
    ],
    [
      "strict applies the description's own choices",
      {
        ref: list,
        data: [
          {
            name: "a",
            client_id: "c",
            status: 1,
            strategy: "google-oauth2",
            options: {},
            provisioning_ticket: "t",
          },
        ],
        want: [
          "[0] must have required property 'id'",
          "[0].provisioning_ticket must not be present",
        ],
        strict: true,
      },
    ],
  ];
  it.each(explanations)("explains: %s", (_name, { ref, data, want, strict: isStrict }) => {
    expect((isStrict ? strict : core).problems(ref, data)).toEqual(want);
  });

  it("says nothing of a valid value and bounds what it says of a bad one", () => {
    expect(core.problems(create, exampleConnections.adfs)).toEqual([]);
    const many = Array.from({ length: 30 }, () => ({ name: 1 }));
    const lines = core.problems(list, many, { limit: 5 });
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^and \d+ more$/);
  });

  it("checks query parameters with their types", () => {
    const op = getOperation("listUsers");
    expect(core.checkQuery(op, { per_page: "5", other: "x" })).toEqual({
      ok: true,
      values: { per_page: 5 },
    });
    expect(core.checkQuery(op, { per_page: ["1", "2"] })).toEqual({
      ok: false,
      problems: ["per_page must be given once"],
    });
    for (const page of ["1e19", "9223372036854775807", "-1", "x", "1.5"]) {
      expect(core.checkQuery(op, { page }).ok, page).toBe(false);
    }
  });

  it("refuses an unknown profile", () => {
    expect(() => createSpecValidator({ profile: "loose" as "core" })).toThrow(/core.*strict/);
  });
});
