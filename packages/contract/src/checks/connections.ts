import { describeAnswer } from "../exchange.js";
import { createBody } from "../fixtures.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove, unknownName } from "./support.js";

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
    source: "line 152; spec updateConnection (name must equal the name in the path)",
    async run(ctx) {
      const { name, body } = await createConnection(ctx, "rename");
      try {
        const other = ctx.uniqueName("renamed");
        const exchange = await ctx.call({
          method: "PUT",
          path: encodeName(name),
          json: { ...createBody(other), client_id: body.client_id },
        });
        ctx.expectStatus(exchange, [400], "A PUT with a different name in the body answers 400.");
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
    source: "line 148 (additional fields, e.g. the entity id); spec createConnection",
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
    id: "connections.default-client-id",
    profile: "strict",
    title: "client_id defaults to the token's client",
    requirement: "A create without client_id stores the client the token was issued to.",
    source: "line 53 (client_id: your client_id, used to obtain the token); spec createConnection",
    async run(ctx) {
      const { clientId } = ctx.needCredentials();
      const { name, exchange } = await createConnection(ctx, "client-id");
      ctx.expectLike(
        exchange,
        { client_id: clientId },
        "The created connection's client_id is the client the token was issued to (line 53).",
      );
      await remove(ctx, name);
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
        const clientId = typeof body.client_id === "string" ? body.client_id : ctx.clientId;
        const other = { ...createBody(name, "google-oauth2"), client_id: clientId };
        const put = await ctx.call({ method: "PUT", path: encodeName(name), json: other });
        ctx.expectStatus(put, [400], "A PUT that changes the strategy answers 400.");
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
        ctx.expectLike(put, { id: body.id, status: 1 }, "The PUT keeps the connection's id.");
      } finally {
        await remove(ctx, name);
      }
    },
  },
];
