import { provisionedStrategies, type Strategy, strategies } from "@mgmtkit/spec/model";
import type { CheckContext } from "../context.js";
import type { Exchange } from "../exchange.js";
import { point } from "../open-points.js";
import { createBody, replacementOptions } from "./bodies.js";
import type { Check } from "./check.js";
import {
  createConnection,
  encodeName,
  isRecord,
  remove,
  sameId,
  unlikeShown,
  userStrategy,
} from "./support.js";

/** What the create answer must hold: the connection object of List all Connections and "the entity id" (Create a new Connection). */
const CREATED_FIELDS = ["id", "client_id", "name", "status", "strategy", "options"];

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

/** The connection as sent (options judged as open point connection.client-secret says), and its id where shown. */
function showsConnection(
  expected: { name: string; status: number; strategy: string; options: Record<string, unknown> },
  id: unknown,
) {
  return (json: unknown): string | undefined => {
    if (!isRecord(json)) return "the body is not a JSON object";
    const problem = unlikeShown(json, expected);
    if (problem) return problem;
    // Only the create answer must carry the id (open point connection.id-shown).
    if (json.id !== undefined && !sameId(json.id, id))
      return `id is ${JSON.stringify(json.id)}, not the created ${JSON.stringify(id)}`;
    return undefined;
  };
}

/** A name that no longer exists answers 404 or 410 (open point delete.gone-status). */
const GONE = [...point("delete.gone-status").under("core").statuses];

async function lifecycle(ctx: CheckContext, strategy: string): Promise<void> {
  const provisioned = provisionedStrategies.includes(strategy as Strategy);
  const changed = replacementOptions(strategy);

  // Create.
  const created = await createConnection(ctx, strategy, strategy);
  const { name, exchange: createExchange } = created;
  ctx.expectThat(
    createExchange,
    `A create answers the complete connection object, with the server-assigned id: ${CREATED_FIELDS.join(", ")} — "This will include additional fields (e.g. the entity id, etc.)." (Create a new Connection)`,
    (json) => missingFields(json, CREATED_FIELDS),
  );
  const sent = createBody(name, strategy);
  ctx.expectThat(
    createExchange,
    'A create answers the name, status, strategy and options it was given — "If successful, the response body will contain a complete connection object." (Create a new Connection)',
    showsConnection(sent, created.body.id),
  );
  if (provisioned) {
    ctx.expectThat(
      createExchange,
      `An ${strategy} connection carries provisioning_ticket and a provisioning_ticket_url — "the following properties are added to the connection object" (List all Connections).`,
      provisioningProblem,
    );
  }
  const id = created.body.id;

  // Get and list show it.
  const got = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(
    got,
    [200],
    'GET /api/connections/{name} of a connection just created answers 200 — "will return the matching connection object only" (List all Connections).',
  );
  ctx.expectThat(
    got,
    'GET /api/connections/{name} returns that connection, as created — "will return the matching connection object only" (List all Connections).',
    showsConnection(sent, id),
  );
  if (provisioned) {
    ctx.expectThat(
      got,
      `A stored ${strategy} connection keeps its provisioning fields — "the following properties are added to the connection object" (List all Connections).`,
      provisioningProblem,
    );
  }
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(
    list,
    [200],
    'GET /api/connections answers 200 — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
  );
  ctx.expectThat(
    list,
    'GET /api/connections lists the connection just created — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
    (json) =>
      !Array.isArray(json)
        ? "the body is not an array"
        : json.some(
              (item) =>
                isRecord(item) &&
                item.name === name &&
                (item.id === undefined || sameId(item.id, id)),
            )
          ? undefined
          : `no element has name ${JSON.stringify(name)} (and the created id, where shown)`,
  );
  await changeThenDelete(ctx, { created, sent, id, strategy, changed });
}

/** The second half of a lifecycle: a duplicate create, a partial and a full PUT, the delete. */
async function changeThenDelete(
  ctx: CheckContext,
  {
    created,
    sent,
    id,
    strategy,
    changed,
  }: {
    created: Awaited<ReturnType<typeof createConnection>>;
    sent: ReturnType<typeof createBody>;
    id: unknown;
    strategy: string;
    changed: ReturnType<typeof replacementOptions>;
  },
): Promise<void> {
  const { name } = created;

  // Duplicate name.
  const duplicate = await ctx.call({ method: "POST", path: "/api/connections", json: sent });
  ctx.expectStatus(
    duplicate,
    ["4xx"],
    'A second create with the same name is refused with a 4xx — "name The unique name you gave to the connection." (List all Connections)',
  );

  // Partial PUT.
  const partial = await ctx.call({ method: "PUT", path: encodeName(name), json: { status: 1 } });
  ctx.expectStatus(
    partial,
    ["4xx"],
    'A PUT carrying only the changed field is refused with a 4xx — "All object parameters must be included, not only those which have changed." (Updating a Connection)',
  );
  const afterPartial = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectLike(
    afterPartial,
    { name, status: sent.status },
    'A refused PUT changes nothing: the connection keeps its status — "All object parameters must be included, not only those which have changed." (Updating a Connection)',
  );

  // Full PUT.
  const replacement = replacementOf(ctx, created.body, name, strategy, changed);
  const put = await ctx.call({ method: "PUT", path: encodeName(name), json: replacement });
  ctx.expectStatus(
    put,
    [200],
    'A PUT with every field succeeds with 200 — "All object parameters must be included, not only those which have changed." (Updating a Connection)',
  );
  const afterPut = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(
    afterPut,
    [200],
    'GET after a PUT answers 200 — "will return the matching connection object only" (List all Connections).',
  );
  ctx.expectThat(
    afterPut,
    'A full PUT persists: GET returns the new status and options, and the same id where it shows one — "A PUT works on a specific connection, therefore the connection name must be specified." (Updating a Connection)',
    showsConnection({ name, status: replacement.status, strategy, options: changed }, id),
  );

  // Delete.
  const removed = await ctx.call({ method: "DELETE", path: encodeName(name) });
  ctx.expectStatus(
    removed,
    [200],
    'DELETE /api/connections/{name} answers 200 — "A Delete operation on the connections object will eliminate the connection definition permanently." (Delete a connection)',
  );
  ctx.expectThat(
    removed,
    'DELETE answers the confirmation object { "removed": <the id the create answered> } — "If successful, the response body will contain a confirmation object" (Delete a connection).',
    (json) =>
      isRecord(json) && sameId(json.removed, id)
        ? undefined
        : `removed is ${JSON.stringify(isRecord(json) ? json.removed : json)}, not ${JSON.stringify(id)}`,
  );
  const gone = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(
    gone,
    GONE,
    'After a DELETE the connection is gone: GET answers 404 or 410 — "A Delete operation on the connections object will eliminate the connection definition permanently." (Delete a connection)',
  );
}

/** A PUT body with every field of the connection object: what a strict server may require ("All object parameters must be included, not only those which have changed." (Updating a Connection)). */
function replacementOf(
  ctx: CheckContext,
  created: Record<string, unknown>,
  name: string,
  strategy: string,
  options: Record<string, unknown>,
) {
  const clientId = typeof created.client_id === "string" ? created.client_id : ctx.clientId;
  // The other status than the create's, so that the replace shows.
  const status: 0 | 1 = created.status === 1 ? 0 : 1;
  return { client_id: clientId, name, status, strategy, options: structuredClone(options) };
}

/** The connection's answers to the strict statuses of the spec. */
async function specStatuses(ctx: CheckContext): Promise<void> {
  const { name } = await createConnection(ctx, "statuses");
  const refused = async (what: string, exchange: Exchange, status: number) =>
    ctx.step(async () => ctx.expectStatus(exchange, [status], `${what} answers ${status}.`));
  try {
    await refused(
      "A second create with the same name",
      await ctx.call({ method: "POST", path: "/api/connections", json: createBody(name) }),
      409,
    );
    await refused(
      "A PUT carrying only the changed field",
      await ctx.call({ method: "PUT", path: encodeName(name), json: { status: 1 } }),
      400,
    );
  } finally {
    await remove(ctx, name);
  }
  await refused(
    "GET of a connection after its DELETE",
    await ctx.call({ method: "GET", path: encodeName(name) }),
    point("delete.gone-status").under("strict").statuses[0] as number,
  );
}

export const lifecycleChecks: Check[] = [
  ...strategies.map<Check>((strategy) => ({
    id: `lifecycle.${strategy}`,
    profile: "core",
    title: `Create, read, replace and delete a ${strategy} connection`,
    requirement:
      `A ${strategy} connection: create answers the complete object with its id, echoing name, status and options (client_secret may be withheld or masked)` +
      `${provisionedStrategies.includes(strategy as Strategy) ? " with provisioning_ticket and provisioning_ticket_url" : ""}` +
      "; GET and the list show it (with the same id where they show one); a duplicate name and a partial PUT are refused with a 4xx; a full PUT answers 200 and persists; DELETE answers { removed: <id> }; GET then answers 404 or 410.",
    source:
      "the verbs and URLs of Connection Methods; List all Connections (the connection object, its strategies and provisioning fields); the five strategies' options; Get a specific Connection; Delete a connection; Create a new Connection; Updating a Connection",
    async run(ctx) {
      await lifecycle(ctx, strategy);
    },
  })),
  {
    id: "lifecycle.new-connection-users",
    profile: "strict",
    title: "A new connection's users answer",
    requirement:
      "GET /api/connections/{name}/users of a connection just created, of every strategy, answers 200 with a JSON array whose user_ids all start with its strategy.",
    source:
      'spec listConnectionUsers ("Gets all users from an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain." (Users); the spec answers them for every connection)',
    async run(ctx) {
      for (const strategy of strategies) {
        await ctx.step(async () => {
          const { name } = await createConnection(ctx, `users-${strategy}`, strategy);
          try {
            const users = await ctx.call({ method: "GET", path: `${encodeName(name)}/users` });
            ctx.expectStatus(
              users,
              [200],
              `GET /api/connections/{name}/users of a ${strategy} connection just created answers 200.`,
            );
            ctx.expectThat(
              users,
              `The users of a ${strategy} connection are a JSON array whose user_ids start with "${strategy}|".`,
              (json) => {
                if (!Array.isArray(json)) return "the body is not an array";
                const wrong = json.filter((user) => userStrategy(user) !== strategy);
                return wrong.length > 0 ? `${wrong.length} user(s) of another strategy` : undefined;
              },
            );
          } finally {
            await remove(ctx, name);
          }
        });
      }
    },
  },
  {
    id: "lifecycle.spec-statuses",
    profile: "strict",
    title: "The spec's statuses for refusals and deleted names",
    requirement:
      "A duplicate name answers 409, a partial PUT 400, and the name of a deleted connection 404.",
    source: "spec createConnection 409, updateConnection 400, getConnection 404",
    async run(ctx) {
      await specStatuses(ctx);
    },
  },
  {
    id: "lifecycle.put-answer",
    profile: "strict",
    title: "A PUT answers the connection as replaced",
    requirement: "A full PUT answers 200 with the connection as replaced, id included.",
    source: "spec updateConnection 200 (the document does not say what a PUT answers)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "put-answer", "google-oauth2");
      try {
        const options = replacementOptions("google-oauth2");
        const replacement = replacementOf(ctx, body, name, "google-oauth2", options);
        const put = await ctx.call({ method: "PUT", path: encodeName(name), json: replacement });
        ctx.expectStatus(put, [200], "A full PUT answers 200.");
        ctx.expectThat(
          put,
          "A full PUT answers the connection as replaced, with its id.",
          (json) =>
            showsConnection(
              { name, status: replacement.status, strategy: "google-oauth2", options },
              body.id,
            )(json) ??
            (isRecord(json) && json.id !== undefined ? undefined : "the answer has no id"),
        );
      } finally {
        await remove(ctx, name);
      }
    },
  },
];
