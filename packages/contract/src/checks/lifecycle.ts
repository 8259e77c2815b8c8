import type { CheckContext } from "../context.js";
import { createBody, fixtures } from "../fixtures.js";
import { provisionedStrategies, strategies } from "../spec-model.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove, userStrategy } from "./support.js";

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
  ctx.expectThat(
    createExchange,
    `A create answers the complete connection object, with the server-assigned id (lines 148, 132): ${REQUIRED_FIELDS.join(", ")}.`,
    (json) => missingFields(json, REQUIRED_FIELDS),
  );
  const sent = createBody(name, strategy);
  ctx.expectLike(
    createExchange,
    { name, status: sent.status, strategy, options: shown(sent.options) },
    "A create echoes the name, status, strategy and options it was given (line 148, a complete connection object).",
  );
  ctx.expectThat(
    createExchange,
    "A create that shows options.client_secret shows the one it was given (line 148).",
    secretShown(sent.options),
  );
  if (provisioned) {
    ctx.expectThat(
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
  ctx.expectLike(
    got,
    { id, name, status: sent.status, strategy, options: shown(sent.options) },
    "GET /api/connections/{name} returns that connection, as created (line 75: the matching connection object only).",
  );
  if (provisioned) {
    ctx.expectThat(
      got,
      `A stored ${strategy} connection keeps its provisioning fields (lines 67-71).`,
      provisioningProblem,
    );
  }
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(list, [200], "GET /api/connections answers 200 (line 43).");
  ctx.expectThat(
    list,
    "GET /api/connections lists the connection just created (lines 41-49).",
    (json) =>
      !Array.isArray(json)
        ? "the body is not an array"
        : json.some((item) => isRecord(item) && item.name === name && item.id === id)
          ? undefined
          : `no element has name ${JSON.stringify(name)} and id ${JSON.stringify(id)}`,
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
  ctx.expectLike(
    afterPartial,
    { name, status: sent.status },
    "A refused PUT changes nothing: the connection keeps its status (line 152).",
  );

  // Full PUT.
  const clientId =
    typeof created.body.client_id === "string" ? created.body.client_id : ctx.clientId;
  const replacement = {
    client_id: clientId,
    name,
    status: 1,
    strategy,
    options: structuredClone(fixture.changed),
  };
  const put = await ctx.call({ method: "PUT", path: encodeName(name), json: replacement });
  ctx.expectStatus(put, [200], "A PUT with every field answers 200 (line 152).");
  ctx.expectLike(
    put,
    { name, status: 1, strategy, options: shown(fixture.changed) },
    "A PUT answers the connection as replaced (line 152).",
  );
  const afterPut = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(afterPut, [200], "GET after a PUT answers 200 (line 75).");
  ctx.expectLike(
    afterPut,
    { id, name, status: 1, strategy, options: shown(fixture.changed) },
    "A full PUT persists: GET returns the new status and options, and the same id (line 152).",
  );
  ctx.expectThat(
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
  ctx.expectThat(
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
  ctx.expectLike(
    removed,
    { removed: id },
    'DELETE answers the confirmation object { "removed": <the connection\'s id> } (line 132).',
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
      await remove(ctx, name);
    },
  },
];
