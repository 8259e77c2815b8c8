import { connectionExamples, propertyDefaults, variantRef } from "@mgmtkit/spec/model";
import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange } from "../exchange.js";
import { point } from "../open-points.js";
import type { RequestSpec } from "../transport.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove, unknownName } from "./support.js";

/** A create body, changed by `patch` (undefined values remove a field). */
function createWith(ctx: CheckContext, label: string, patch: Record<string, unknown>): RequestSpec {
  const body: Record<string, unknown> = { ...createBody(ctx.uniqueName(label)), ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete body[key];
  return { method: "POST", path: "/api/connections", json: body };
}

/** Deep nesting that a naive recursive parser or validator overflows on. */
function nested(depth: number): unknown {
  let value: unknown = true;
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
}

/** The client_id a created connection shows must be the token's client: "client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections). */
function ownClientId(clientId: string) {
  return (json: unknown) =>
    isRecord(json) && json.client_id === clientId
      ? undefined
      : `client_id is ${JSON.stringify(isRecord(json) ? json.client_id : json)}, not ${JSON.stringify(clientId)}`;
}

/** What strict takes of a PUT that renames or changes the strategy (open point replace.fixed-fields). */
const fixedFields = () => [...(point("replace.fixed-fields").under("strict").refusals ?? ["4xx"])];

export const connectionChecks: Check[] = [
  {
    id: "connections.unknown-name",
    profile: "core",
    title: "Unknown connection name: 404",
    requirement: "GET, PUT and DELETE of a connection name that does not exist answer 404.",
    source:
      '"A GET on connections with a specified {connectionName} in the path will return the matching connection object only." (List all Connections); "The parameter for this operation is the name of the connection to delete." (Delete a connection); "A PUT works on a specific connection, therefore the connection name must be specified." (Updating a Connection); RFC 9110 section 15.5.5 (404: no current representation)',
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
                    client_id: ctx.clientId ?? "mgmtkit-contract",
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
    source:
      "spec quirk 15, updateConnection (the name is the resource's address; Updating a Connection does not say)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "rename");
      try {
        const other = ctx.uniqueName("renamed");
        const exchange = await ctx.call({
          method: "PUT",
          path: encodeName(name),
          json: { ...createBody(other), client_id: body.client_id },
        });
        ctx.expectStatus(
          exchange,
          fixedFields(),
          "A PUT with a different name in the body answers 400.",
        );
      } finally {
        await remove(ctx, name);
      }
    },
  },
  {
    id: "connections.server-fields-ignored",
    profile: "strict",
    title: "Server-assigned fields sent on create are ignored",
    requirement:
      "id, provisioning_ticket and provisioning_ticket_url sent in a create are ignored: the server assigns its own.",
    source: "spec createConnection (server-owned fields are ignored; the document does not say)",
    async run(ctx) {
      const name = ctx.uniqueName("assigned");
      const sentId = `con_mgmtkit_contract_${ctx.runId}`;
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
      ctx.expectThat(
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
      await remove(ctx, name);
    },
  },
  {
    id: "connections.client-id",
    profile: "core",
    title: "client_id is the token's client",
    requirement:
      "A create without client_id stores the client the token was issued to; a create naming another client_id is refused with a 4xx or stores the token's client all the same.",
    source:
      '"client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections)',
    async run(ctx) {
      const { clientId } = ctx.needCredentials();
      await ctx.step(async () => {
        const { name, exchange } = await createConnection(ctx, "client-id");
        try {
          ctx.expectThat(
            exchange,
            `The created connection's client_id is the client the token was issued to — "client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections).`,
            ownClientId(clientId),
          );
        } finally {
          await remove(ctx, name);
        }
      });
      await ctx.step(async () => {
        const request = createWith(ctx, "foreign-client", {
          client_id: `mgmtkit-contract-foreign-${ctx.runId}`,
        });
        const exchange = await ctx.call(request);
        ctx.expectStatus(
          exchange,
          [200, 201, "4xx"],
          'A create naming another client_id is refused with a 4xx or succeeds — "client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections).',
        );
        if (exchange.status === 200 || exchange.status === 201) {
          ctx.expectThat(
            exchange,
            `A create naming another client_id stores the token's client, never the one sent — "client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections).`,
            ownClientId(clientId),
          );
          await remove(ctx, String((request.json as { name: string }).name));
        }
      });
    },
  },
  {
    id: "connections.odd-inputs",
    profile: "core",
    title: "Odd but plausible inputs are answered, never with a 5xx",
    requirement:
      "Creates with odd names (spaces, non-ASCII, astral and zero-width characters, 300 characters), odd values (status true or null, options null, an array or 200 levels deep, a huge number, an unknown top-level field) are accepted or refused with a 4xx; the response validators hold every answer.",
    source: `"The body of the response is a connection object formatted as follows" (List all Connections), and its parameters' descriptions; RFC 9110 section 15.6 (a 5xx is the server's failure)`,
    async run(ctx) {
      const cases: Array<[string, Record<string, unknown>]> = [
        ["a name with a space", { name: `${ctx.uniqueName("odd")} space` }],
        ["a non-ASCII name", { name: `${ctx.uniqueName("odd")}-café-ünïcödé` }],
        ["a name with an astral character", { name: `${ctx.uniqueName("odd")}-\u{1F600}` }],
        ["a name with a zero-width space", { name: `${ctx.uniqueName("odd")}\u200b` }],
        ["a 300-character name", { name: ctx.uniqueName("odd").padEnd(300, "x") }],
        ["status true", { status: true }],
        ["status null", { status: null }],
        ["options null", { options: null }],
        ["options an array", { options: [] }],
        ["options 200 levels deep", { options: nested(200) }],
        [
          "an option that is a huge number",
          { options: { ...createBody("x").options, big: 1e308 } },
        ],
        ["an unknown top-level field", { favourite_colour: "teal" }],
      ];
      for (const [what, patch] of cases) {
        await ctx.step(async () => {
          const request = patch.name
            ? {
                method: "POST" as const,
                path: "/api/connections",
                json: { ...createBody("x"), ...patch },
              }
            : createWith(ctx, "odd", patch);
          const exchange: Exchange = await ctx.call(request);
          ctx.expectStatus(
            exchange,
            [200, 201, "4xx"],
            `A create with ${what} is accepted or refused with a 4xx, never a 5xx.`,
          );
          // What was accepted goes at once, so the checks after this one see the usual tenant.
          if (exchange.status === 200 || exchange.status === 201) {
            await remove(ctx, String((request.json as { name: unknown }).name));
          }
        });
      }
    },
  },
  {
    id: "connections.client-secret-shown",
    profile: "strict",
    title: "A shown client_secret is the one sent",
    requirement:
      "A create or GET answer that shows options.client_secret shows the one it was sent.",
    source:
      'spec quirk 10, createConnection ("will typically contain the same information that was entered on the connections screen" (List all Connections))',
    async run(ctx) {
      const { name, exchange } = await createConnection(ctx, "secret-shown");
      try {
        const sent = createBody(name).options.client_secret;
        const got = await ctx.call({ method: "GET", path: encodeName(name) });
        for (const answer of [exchange, got]) {
          ctx.expectThat(answer, "options.client_secret, where shown, is the one sent.", (json) => {
            const options = isRecord(json) && isRecord(json.options) ? json.options : {};
            return options.client_secret === undefined || options.client_secret === sent
              ? undefined
              : `options.client_secret is ${JSON.stringify(options.client_secret)}`;
          });
        }
      } finally {
        await remove(ctx, name);
      }
    },
  },
  {
    id: "connections.liberal-create",
    profile: "strict",
    title: "The era's smallest create body is accepted, with the spec's defaults",
    requirement:
      "A create with only name, strategy and part of the options, plus a client_id of another client and an unknown top-level property, is accepted: status takes the spec's default, client_id is the token's client, and the unknown property is ignored, not stored.",
    source:
      "spec quirk 16 (the API's own Node client of the time created connections without status or client credentials); the document never says such a create is refused",
    async run(ctx) {
      const { clientId } = ctx.needCredentials();
      const [era] = connectionExamples;
      if (!era) throw new Error("the spec has no create example");
      const { status } = propertyDefaults(variantRef("ConnectionCreate", era.strategy));
      const name = ctx.uniqueName("era");
      const created = await ctx.call({
        method: "POST",
        path: "/api/connections",
        json: {
          ...structuredClone(era),
          name,
          client_id: `mgmtkit-contract-foreign-${ctx.runId}`,
          favourite_colour: "teal",
        },
      });
      try {
        ctx.expectStatus(
          created,
          [200, 201],
          `A create with only name, strategy and options ${JSON.stringify(Object.keys(era.options ?? {}))} is accepted (spec quirk 16).`,
        );
        ctx.expectThat(
          created,
          `A create without status answers the spec's default status ${JSON.stringify(status)} (spec quirk 16).`,
          (json) =>
            isRecord(json) && json.status === status
              ? undefined
              : `status is ${JSON.stringify(isRecord(json) ? json.status : json)}`,
        );
        ctx.expectThat(
          created,
          "A client_id naming another client is ignored: the connection is the token's client's (spec quirk 16).",
          ownClientId(clientId),
        );
        ctx.expectThat(
          created,
          "An unknown top-level property of a create is ignored, not stored (spec quirk 16).",
          (json) =>
            isRecord(json) && "favourite_colour" in json
              ? "the answer carries favourite_colour"
              : undefined,
        );
      } finally {
        await remove(ctx, name);
      }
    },
  },
  {
    id: "connections.put-strategy-fixed",
    profile: "strict",
    title: "A PUT cannot change the strategy",
    requirement:
      "A PUT whose strategy differs from the connection's current strategy is refused with 400, and the connection keeps its strategy.",
    source:
      "spec quirk 15, updateConnection (users carry the strategy in user_id; Updating a Connection does not say)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "strategy", "adfs");
      try {
        const clientId = typeof body.client_id === "string" ? body.client_id : ctx.clientId;
        const other = { ...createBody(name, "google-oauth2"), client_id: clientId };
        const put = await ctx.call({ method: "PUT", path: encodeName(name), json: other });
        ctx.expectStatus(put, fixedFields(), "A PUT that changes the strategy answers 400.");
        const after = await ctx.call({ method: "GET", path: encodeName(name) });
        ctx.expectLike(
          after,
          { name, strategy: "adfs" },
          "The refused PUT leaves the connection's strategy as it was.",
        );
      } finally {
        await remove(ctx, name);
      }
    },
  },
  {
    id: "connections.put-round-trip",
    profile: "strict",
    title: "A GET body can be sent back with PUT",
    requirement:
      "The connection object a GET returned, server-assigned id and provisioning fields included, sent back with PUT is accepted and keeps the id.",
    source:
      "spec updateConnection (id and the provisioning fields are kept; Updating a Connection does not say)",
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
        ctx.expectLike(put, { id: body.id, status: 1 }, "The PUT keeps the connection's id.");
      } finally {
        await remove(ctx, name);
      }
    },
  },
];
