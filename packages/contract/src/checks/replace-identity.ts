import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange } from "../exchange.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove } from "./support.js";

const SERVER_FIELDS = ["id", "provisioning_ticket", "provisioning_ticket_url"] as const;

/** The JSON object of a 200, or the failure of the step. */
function objectOf(ctx: CheckContext, exchange: Exchange, requirement: string) {
  ctx.expectStatus(exchange, [200], requirement);
  const json = ctx.jsonBody(exchange, requirement);
  if (!isRecord(json)) ctx.fail(requirement, `The server ${describeAnswer(exchange)}.`, exchange);
  return json;
}

export const replaceIdentityChecks: Check[] = [
  {
    id: "connections.put-other-name",
    profile: "core",
    title: "A PUT naming another connection leaves one connection",
    requirement:
      "A PUT to /api/connections/{a} whose body names b is refused with a 4xx (a unchanged, no b), or accepted as a rename (b holds it, a is gone) or as a replace of a that keeps its name; never two connections, never a 5xx.",
    source:
      '"A PUT works on a specific connection, therefore the connection name must be specified." (Updating a Connection); spec quirk 15, updateConnection (what a PUT may change is not said)',
    async run(ctx) {
      // Found by mutation testing: an era server without its name check stored the replacement
      // under the new name and kept the old connection too (e2e/mutation, era-server/app.js).
      const { name, body } = await createConnection(ctx, "put-a");
      const other = ctx.uniqueName("put-b");
      try {
        const put = await ctx.call({
          method: "PUT",
          path: encodeName(name),
          json: { ...createBody(other), status: 0 },
        });
        ctx.expectStatus(
          put,
          ["2xx", "4xx"],
          "A PUT whose body names another connection is answered with a 2xx or a 4xx, never a 5xx.",
        );
        const a = await ctx.call({ method: "GET", path: encodeName(name) });
        const b = await ctx.call({ method: "GET", path: encodeName(other) });
        const found = [a, b].filter((exchange) => exchange.status === 200);
        if (found.length !== 1) {
          ctx.fail(
            "After a PUT whose body names another connection, exactly one of the two names holds the connection.",
            `GET of the path's name answered ${a.status}, GET of the body's name ${b.status}.`,
            b,
          );
        }
        const shown = objectOf(ctx, found[0] as Exchange, "The connection is read back.");
        // A server may show the id only in the create's answer (an open point).
        if (shown.id !== undefined && body.id !== undefined && shown.id !== body.id) {
          ctx.fail(
            "The connection left after a PUT is the one the PUT addressed (the same id).",
            `The id is ${JSON.stringify(shown.id)}, was ${JSON.stringify(body.id)}.`,
            found[0],
          );
        }
      } finally {
        await remove(ctx, name);
        await remove(ctx, other);
      }
    },
  },
  {
    id: "connections.server-fields-kept",
    profile: "core",
    title: "Server-owned fields stay, and stay the same between reads",
    requirement:
      "A connection of a strategy with provisioning shows provisioning_ticket and provisioning_ticket_url after a create, on every read and after a replace (one that makes it adfs too); its id, ticket and URL are the same from one read to the next.",
    source:
      '"When implementing the office365, google-apps or adfs strategies, the following properties are added to the connection object" (List all Connections); "This will include additional fields (e.g. the entity id, etc.)." (Create a new Connection)',
    async run(ctx) {
      // Found by mutation testing: an era server whose replace dropped the ticket answered a PUT
      // of an adfs connection without provisioning fields (e2e/mutation, era-server/store.js).
      for (const strategy of ["adfs", "office365", "google-apps"]) {
        await ctx.step(async () => {
          const { name, body } = await createConnection(ctx, `fields-${strategy}`, strategy);
          try {
            const reads = [body];
            for (let i = 0; i < 2; i++) {
              const get = await ctx.call({ method: "GET", path: encodeName(name) });
              reads.push(objectOf(ctx, get, `GET of a new ${strategy} connection answers it.`));
            }
            const put = await ctx.call({
              method: "PUT",
              path: encodeName(name),
              json: { ...createBody(name, strategy), status: 0 },
            });
            const replaced = objectOf(ctx, put, `A replace of a ${strategy} connection succeeds.`);
            const after = await ctx.call({ method: "GET", path: encodeName(name) });
            const reread = objectOf(
              ctx,
              after,
              `GET of a replaced ${strategy} connection answers it.`,
            );
            for (const [when, json] of [
              ["the create's answer", body],
              ["the replace's answer", replaced],
              ["a read after the replace", reread],
            ] as const) {
              for (const field of ["provisioning_ticket", "provisioning_ticket_url"]) {
                if (typeof json[field] !== "string" || json[field] === "") {
                  ctx.fail(
                    `A ${strategy} connection shows ${field}, in ${when} too — "the following properties are added to the connection object" (List all Connections).`,
                    `${field} is ${JSON.stringify(json[field] ?? null)} in ${when}.`,
                    when === "the replace's answer" ? put : after,
                  );
                }
              }
            }
            for (const field of SERVER_FIELDS) {
              // A server may show the id only in the create's answer (an open point).
              const shown = reads.filter((json) => json[field] !== undefined);
              const values = new Set(shown.map((json) => JSON.stringify(json[field])));
              if (values.size > 1) {
                ctx.fail(
                  `A ${strategy} connection's ${field} is the same in its create's answer and the reads that follow.`,
                  `${field} took ${values.size} values: ${[...values].join(", ")}.`,
                  after,
                );
              }
            }
          } finally {
            await remove(ctx, name);
          }
        });
      }
      // A replace may refuse another strategy (spec quirk 15); one that takes it makes an adfs
      // connection, which shows the provisioning fields like any other. Found by mutation
      // testing: an era server without its strategy check kept the fields of the old strategy.
      await ctx.step(async () => {
        const { name } = await createConnection(ctx, "fields-becomes-adfs", "google-oauth2");
        try {
          const put = await ctx.call({
            method: "PUT",
            path: encodeName(name),
            json: createBody(name, "adfs"),
          });
          ctx.expectStatus(
            put,
            ["2xx", "4xx"],
            "A replace with another strategy is answered with a 2xx or a 4xx.",
          );
          if (put.status !== undefined && put.status >= 400) return;
          const after = await ctx.call({ method: "GET", path: encodeName(name) });
          const json = objectOf(ctx, after, "GET of a connection replaced as adfs answers it.");
          for (const field of ["provisioning_ticket", "provisioning_ticket_url"]) {
            if (typeof json[field] !== "string" || json[field] === "") {
              ctx.fail(
                `A connection a replace made adfs shows ${field} — "the following properties are added to the connection object" (List all Connections).`,
                `${field} is ${JSON.stringify(json[field] ?? null)}.`,
                after,
              );
            }
          }
        } finally {
          await remove(ctx, name);
        }
      });
    },
  },
  {
    id: "token.parameter-omitted",
    profile: "core",
    title: "A token request without one of its parameters: no token",
    requirement:
      "A token request that leaves out grant_type, client_id or client_secret (the others right) is refused with 400 or 401, never a token and never a 5xx.",
    source:
      '"A token is obtained using the POST method" (API endpoint) with client_id, client_secret and grant_type=client_credentials; RFC 6749 sections 4.4.2 and 5.2',
    needsToken: false,
    async run(ctx) {
      // Found by mutation testing: an era server that hashed a missing client_secret answered
      // 500 (e2e/mutation, era-server/app.js `issueToken`).
      const { clientId, clientSecret } = ctx.needCredentials();
      const full: Record<string, string> = {
        client_id: clientId,
        client_secret: clientSecret,
        grant_type: "client_credentials",
      };
      for (const left of Object.keys(full)) {
        await ctx.step(async () => {
          const form = Object.fromEntries(Object.entries(full).filter(([key]) => key !== left));
          const exchange = await ctx.call({
            method: "POST",
            path: "/oauth/token",
            auth: { kind: "none" },
            form,
          });
          ctx.expectStatus(
            exchange,
            [400, 401],
            `A token request without ${left} is refused with 400 or 401 (RFC 6749 section 5.2).`,
          );
        });
      }
    },
  },
];
