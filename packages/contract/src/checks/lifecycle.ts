import { type CheckContext, describeAnswer } from "../context.js";
import { createBody, fixtures } from "../fixtures.js";
import { provisionedStrategies, strategies } from "../spec-model.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, unknownName, userStrategy } from "./support.js";

const REQUIRED_FIELDS = ["id", "client_id", "name", "status", "strategy", "options"];

function missingFields(json: unknown, fields: string[]): string | undefined {
  if (!isRecord(json)) return "the body is not a JSON object";
  const missing = fields.filter((field) => json[field] === undefined || json[field] === null);
  return missing.length > 0 ? `missing ${missing.join(", ")}` : undefined;
}

function provisioningProblem(json: unknown): string | undefined {
  if (!isRecord(json)) return "the body is not a JSON object";
  const problems: string[] = [];
  if (typeof json.provisioning_ticket !== "string" || json.provisioning_ticket === "") {
    problems.push(`provisioning_ticket is ${JSON.stringify(json.provisioning_ticket)}`);
  }
  const url = json.provisioning_ticket_url;
  if (typeof url !== "string" || !URL.canParse(url)) {
    problems.push(`provisioning_ticket_url is ${JSON.stringify(url)}`);
  }
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/**
 * The options a server must show back. A server may withhold `client_secret` from its answers
 * (options "typically" contain what was entered, line 88; spec quirk 10); when it does show it,
 * `secretShown` holds it to the value sent.
 */
function shown(options: Record<string, unknown>): Record<string, unknown> {
  const { client_secret: _, ...rest } = options;
  return rest;
}

function secretShown(sent: Record<string, unknown>) {
  return (json: unknown): string | undefined => {
    const options = isRecord(json) && isRecord(json.options) ? json.options : undefined;
    if (!options || options.client_secret === undefined || sent.client_secret === undefined)
      return undefined;
    return options.client_secret === sent.client_secret
      ? undefined
      : `options.client_secret is ${JSON.stringify(options.client_secret)}, not the value sent`;
  };
}

async function lifecycle(ctx: CheckContext, strategy: string): Promise<void> {
  const fixture = fixtures[strategy];
  if (!fixture) throw new Error(`no fixture for ${strategy}`);
  const provisioned = provisionedStrategies.includes(strategy);

  // Create.
  const created = await createConnection(ctx, strategy, strategy);
  const { name, exchange: createExchange } = created;
  await ctx.expectThat(
    createExchange,
    `A create answers the complete connection object, with the server-assigned id (lines 148, 132): ${REQUIRED_FIELDS.join(", ")}.`,
    (json) => missingFields(json, REQUIRED_FIELDS),
  );
  const sent = createBody(name, strategy);
  await ctx.expect(
    createExchange,
    "A create echoes the name, status, strategy and options it was given (line 148, a complete connection object).",
    (have) => have.jsonLike({ name, status: sent.status, strategy, options: shown(sent.options) }),
  );
  await ctx.expectThat(
    createExchange,
    "A create that shows options.client_secret shows the one it was given (line 148).",
    secretShown(sent.options),
  );
  if (provisioned) {
    await ctx.expectThat(
      createExchange,
      `An ${strategy} connection carries provisioning_ticket and a provisioning_ticket_url (lines 67-73).`,
      provisioningProblem,
    );
  }
  const id = created.body.id;

  // Get and list show it.
  const got = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(
    got,
    [200],
    "GET /api/connections/{name} of a connection just created answers 200 (line 75).",
  );
  await ctx.expect(
    got,
    "GET /api/connections/{name} returns that connection, as created (line 75: the matching connection object only).",
    (have) => have.jsonLike({ name, status: sent.status, strategy, options: shown(sent.options) }),
  );
  await ctx.expectThat(
    got,
    "A GET that shows the connection's id shows the one the create answered (line 148; the document's get object has no id, spec quirk 9).",
    (json) => idMismatch(json, id),
  );
  if (provisioned) {
    await ctx.expectThat(
      got,
      `A stored ${strategy} connection keeps its provisioning fields (lines 67-71).`,
      provisioningProblem,
    );
  }
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(list, [200], "GET /api/connections answers 200 (line 43).");
  await ctx.expectThat(
    list,
    "GET /api/connections lists the connection just created (lines 41-49).",
    (json) =>
      !Array.isArray(json)
        ? "the body is not an array"
        : json.some(
              (item) => isRecord(item) && item.name === name && (!("id" in item) || item.id === id),
            )
          ? undefined
          : `no element has name ${JSON.stringify(name)} (and id ${JSON.stringify(id)}, where ids are shown)`,
  );

  // Duplicate name.
  const duplicate = await ctx.call({ method: "POST", path: "/api/connections", json: sent });
  ctx.expectStatus(
    duplicate,
    [400, 409],
    'A second create with the same name is refused (line 54, "the unique name"; spec: 409 Conflict).',
  );

  // Partial PUT.
  const partial = await ctx.call({ method: "PUT", path: encodeName(name), json: { status: 1 } });
  ctx.expectStatus(
    partial,
    [400],
    'A PUT carrying only the changed field is refused with 400 (line 152, "All object parameters must be included").',
  );
  const afterPartial = await ctx.call({ method: "GET", path: encodeName(name) });
  await ctx.expect(
    afterPartial,
    "A refused PUT changes nothing: the connection keeps its status (line 152).",
    (have) => have.jsonLike({ name, status: sent.status }),
  );

  // Full PUT.
  const clientId =
    typeof created.body.client_id === "string" ? created.body.client_id : ctx.credentials.clientId;
  const replacement = {
    client_id: clientId,
    name,
    status: 1,
    strategy,
    options: structuredClone(fixture.changed),
  };
  const put = await ctx.call({ method: "PUT", path: encodeName(name), json: replacement });
  ctx.expectStatus(put, [200], "A PUT with every field answers 200 (line 152).");
  await ctx.expect(put, "A PUT answers the connection as replaced (line 152).", (have) =>
    have.jsonLike({ name, status: 1, strategy, options: shown(fixture.changed) }),
  );
  const afterPut = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(afterPut, [200], "GET after a PUT answers 200 (line 75).");
  await ctx.expect(
    afterPut,
    "A full PUT persists: GET returns the new status and options (line 152).",
    (have) => have.jsonLike({ name, status: 1, strategy, options: shown(fixture.changed) }),
  );
  await ctx.expectThat(
    afterPut,
    "A full PUT keeps the connection's id, where GET shows it (line 152; spec quirk 9).",
    (json) => idMismatch(json, id),
  );
  await ctx.expectThat(
    afterPut,
    "A full PUT persists options.client_secret too, where the server shows it (line 152).",
    secretShown(fixture.changed),
  );

  // Its users.
  const users = await ctx.call({ method: "GET", path: `${encodeName(name)}/users` });
  ctx.expectStatus(
    users,
    [200],
    "GET /api/connections/{name}/users of an existing connection answers 200 (line 157).",
  );
  await ctx.expectThat(
    users,
    "The users of a connection are a JSON array whose user_id start with its strategy (lines 157, 170).",
    (json) => {
      if (!Array.isArray(json)) return "the body is not an array";
      const wrong = json.filter((user) => userStrategy(user) !== strategy);
      return wrong.length > 0 ? `${wrong.length} user(s) of another strategy` : undefined;
    },
  );

  // Delete.
  const removed = await ctx.call({ method: "DELETE", path: encodeName(name) });
  ctx.expectStatus(removed, [200], "DELETE /api/connections/{name} answers 200 (lines 126-132).");
  await ctx.expect(
    removed,
    'DELETE answers the confirmation object { "removed": <the connection\'s id> } (line 132).',
    (have) => have.jsonLike({ removed: id }),
  );
  const gone = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(
    gone,
    [404],
    'After a DELETE the connection is gone: GET answers 404 (line 126, "permanently").',
  );
}

export const lifecycleChecks: Check[] = [
  ...strategies.map<Check>((strategy) => ({
    id: `lifecycle.${strategy}`,
    profile: "core",
    title: `Create, read, replace and delete a ${strategy} connection`,
    requirement:
      `A ${strategy} connection: create answers the complete object echoing name, status and options (client_secret may be withheld)` +
      `${provisionedStrategies.includes(strategy) ? " with provisioning_ticket and provisioning_ticket_url" : ""}` +
      "; GET and the list show it; a duplicate name and a partial PUT are refused; a full PUT persists; its users answer; DELETE answers { removed: <id> }; GET then answers 404.",
    source: "lines 37-40, 60-75, 90-118, 124-152",
    async run(ctx) {
      await lifecycle(ctx, strategy);
    },
  })),
  {
    id: "lifecycle.duplicate-conflict",
    profile: "strict",
    title: "Duplicate name answers 409",
    requirement: "A create with a name that already exists answers 409 Conflict.",
    source: 'line 54 ("The unique name you gave to the connection"); spec createConnection 409',
    async run(ctx) {
      const { name } = await createConnection(ctx, "duplicate");
      const again = await ctx.call({
        method: "POST",
        path: "/api/connections",
        json: createBody(name),
      });
      ctx.expectStatus(
        again,
        [409],
        "A second create with the same name answers 409 (spec: Conflict).",
      );
      await ctx.send({ method: "DELETE", path: encodeName(name) });
    },
  },
];

export const connectionChecks: Check[] = [
  {
    id: "connections.unknown-name",
    profile: "core",
    title: "Unknown connection name: 404",
    requirement: "GET, PUT and DELETE of a connection name that does not exist answer 404.",
    source: "lines 75, 124-128, 152; spec getConnection/updateConnection/deleteConnection 404",
    async run(ctx) {
      const name = unknownName(ctx);
      for (const method of ["GET", "PUT", "DELETE"] as const) {
        await ctx.step(async () => {
          const exchange = await ctx.call({
            method,
            path: encodeName(name),
            ...(method === "PUT"
              ? {
                  json: {
                    ...createBody(name),
                    client_id: ctx.credentials.clientId ?? "mgmtkit-contract",
                  },
                }
              : {}),
          });
          ctx.expectStatus(
            exchange,
            [404],
            `${method} /api/connections/{name} of a name no connection has answers 404.`,
          );
        });
      }
    },
  },
  {
    id: "connections.put-name-mismatch",
    profile: "strict",
    title: "PUT cannot rename",
    requirement: "A PUT whose body names another connection than the path is refused with 400.",
    source: "line 152; spec updateConnection (name must equal the name in the path)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "rename");
      try {
        const other = ctx.run.uniqueName("renamed");
        const exchange = await ctx.call({
          method: "PUT",
          path: encodeName(name),
          json: { ...createBody(other), client_id: body.client_id },
        });
        ctx.expectStatus(exchange, [400], "A PUT with a different name in the body answers 400.");
      } finally {
        await ctx.send({ method: "DELETE", path: encodeName(name) });
      }
    },
  },
  {
    id: "connections.server-fields-ignored",
    profile: "strict",
    title: "Server-assigned fields sent on create are ignored",
    requirement:
      "id, provisioning_ticket and provisioning_ticket_url sent in a create are ignored: the server assigns its own.",
    source: "line 148 (additional fields, e.g. the entity id); spec createConnection",
    async run(ctx) {
      const name = ctx.run.uniqueName("assigned");
      const sentId = `con_mgmtkit_contract_${ctx.run.runId}`;
      const exchange = await ctx.call({
        method: "POST",
        path: "/api/connections",
        json: {
          ...createBody(name, "adfs"),
          id: sentId,
          provisioning_ticket: "mgmtkit-contract-sent-ticket",
          provisioning_ticket_url: "https://mgmtkit-contract.invalid/sent",
        },
      });
      ctx.expectStatus(
        exchange,
        [200, 201],
        "A create that also sends the server-assigned fields succeeds (they are ignored).",
      );
      await ctx.expectThat(
        exchange,
        "The server assigns id and the provisioning fields itself.",
        (json) => {
          if (!isRecord(json)) return "the body is not a JSON object";
          if (json.id === sentId) return "the answer's id is the one the client sent";
          if (json.provisioning_ticket === "mgmtkit-contract-sent-ticket")
            return "the answer's provisioning_ticket is the one the client sent";
          return undefined;
        },
      );
      await ctx.send({ method: "DELETE", path: encodeName(name) });
    },
  },
  {
    id: "connections.default-client-id",
    profile: "strict",
    title: "client_id defaults to the token's client",
    requirement: "A create without client_id stores the client the token was issued to.",
    source: "line 53 (client_id: your client_id, used to obtain the token); spec createConnection",
    async run(ctx) {
      const { clientId } = ctx.needCredentials();
      const { name, exchange } = await createConnection(ctx, "client-id");
      await ctx.expect(
        exchange,
        "The created connection's client_id is the client the token was issued to (line 53).",
        (have) => have.jsonLike({ client_id: clientId }),
      );
      await ctx.send({ method: "DELETE", path: encodeName(name) });
    },
  },
  {
    id: "connections.put-strategy-fixed",
    profile: "strict",
    title: "A PUT cannot change the strategy",
    requirement:
      "A PUT whose strategy differs from the connection's current strategy is refused with 400, and the connection keeps its strategy.",
    source:
      "line 152; spec updateConnection (users carry the strategy in user_id, so it cannot change)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "strategy", "adfs");
      try {
        const clientId =
          typeof body.client_id === "string" ? body.client_id : ctx.credentials.clientId;
        const other = { ...createBody(name, "google-oauth2"), client_id: clientId };
        const put = await ctx.call({ method: "PUT", path: encodeName(name), json: other });
        ctx.expectStatus(put, [400], "A PUT that changes the strategy answers 400.");
        const after = await ctx.call({ method: "GET", path: encodeName(name) });
        await ctx.expect(
          after,
          "The refused PUT leaves the connection's strategy as it was.",
          (have) => have.jsonLike({ name, strategy: "adfs" }),
        );
      } finally {
        await ctx.send({ method: "DELETE", path: encodeName(name) });
      }
    },
  },
  {
    id: "connections.put-round-trip",
    profile: "strict",
    title: "A GET body can be sent back with PUT",
    requirement:
      "The connection object a GET returned, server-assigned id and provisioning fields included, sent back with PUT is accepted and keeps the id.",
    source: "line 152; spec updateConnection (id and the provisioning fields are kept)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "round-trip", "office365");
      try {
        const got = await ctx.call({ method: "GET", path: encodeName(name) });
        const current = ctx.jsonBody(got, "GET answers the connection as JSON.");
        if (!isRecord(current)) {
          return ctx.fail(
            "GET answers a connection object.",
            `The server ${describeAnswer(got)}.`,
            got,
          );
        }
        // Only the documented fields go back: a server may add others to its answers (spec
        // Connection) that a replacement refuses (spec ConnectionReplacement), and may withhold
        // the client_secret (spec quirk 10), which a replacement needs.
        const documented = [
          "id",
          "client_id",
          "name",
          "status",
          "strategy",
          "options",
          "provisioning_ticket",
          "provisioning_ticket_url",
        ];
        const sentOptions = createBody(name, "office365").options;
        const options = isRecord(current.options) ? current.options : {};
        const replacement = Object.fromEntries(
          Object.entries({
            ...current,
            status: 1,
            options: { client_secret: sentOptions.client_secret, ...options },
          }).filter(([key]) => documented.includes(key)),
        );
        const put = await ctx.call({ method: "PUT", path: encodeName(name), json: replacement });
        ctx.expectStatus(put, [200], "A PUT of the GET body (status changed) answers 200.");
        await ctx.expect(put, "The PUT answers the new status.", (have) =>
          have.jsonLike({ status: 1 }),
        );
        await ctx.expectThat(put, "The PUT keeps the connection's id, where it shows it.", (json) =>
          idMismatch(json, body.id),
        );
      } finally {
        await ctx.send({ method: "DELETE", path: encodeName(name) });
      }
    },
  },
];

/** What is wrong with an answer's id, which may be left out but must match when shown. */
function idMismatch(json: unknown, id: unknown): string | undefined {
  if (!isRecord(json) || !("id" in json) || json.id === id) return undefined;
  return `id is ${JSON.stringify(json.id)}, not ${JSON.stringify(id)}`;
}
