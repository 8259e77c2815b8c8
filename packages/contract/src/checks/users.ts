import type { CheckContext } from "../context.js";
import type { Exchange } from "../exchange.js";
import { enterpriseStrategies } from "../spec-model.js";
import type { Check } from "./check.js";
import { encodeName, isRecord, readUserList, unknownName, userStrategy } from "./support.js";

/** Reads a whole user list (the response validators hold every page to the User schema). */
async function usersOf(
  ctx: CheckContext,
  path: string,
  what: string,
): Promise<{ users: unknown[]; last: Exchange }> {
  const { users, pages } = await readUserList(ctx, path, {}, what);
  return { users, last: pages.at(-1) as Exchange };
}

/** Up to two connections of each strategy, so that tenants with many connections stay quick. */
async function sampleConnections(
  ctx: CheckContext,
): Promise<Array<{ name: string; strategy: string }>> {
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(list, [200], "GET /api/connections answers 200 (line 43).");
  const json = ctx.jsonBody(list, "GET /api/connections answers JSON (line 27).");
  if (!Array.isArray(json))
    ctx.fail(
      "GET /api/connections answers a JSON array (lines 41-49).",
      "The body is not an array.",
      list,
    );
  const perStrategy = new Map<string, number>();
  const sample: Array<{ name: string; strategy: string }> = [];
  for (const item of json) {
    if (!isRecord(item) || typeof item.name !== "string" || typeof item.strategy !== "string")
      continue;
    const seen = perStrategy.get(item.strategy) ?? 0;
    if (seen >= 2) continue;
    perStrategy.set(item.strategy, seen + 1);
    sample.push({ name: item.name, strategy: item.strategy });
  }
  return sample;
}

const describeUsers = (users: unknown[]) =>
  users
    .slice(0, 5)
    .map((user) => JSON.stringify(isRecord(user) ? user.user_id : user))
    .join(", ") + (users.length > 5 ? `, and ${users.length - 5} more` : "");

export const userChecks: Check[] = [
  {
    id: "users.list",
    profile: "core",
    title: "GET /api/users: an array of valid users",
    requirement:
      "GET /api/users answers a JSON array of user objects, each with a user_id of the form <strategy>|<id>.",
    source: "lines 156, 160-170 (The User Object)",
    async run(ctx) {
      await usersOf(ctx, "/api/users", "GET /api/users");
    },
  },
  {
    id: "users.connection-strategy",
    profile: "core",
    title: "Users of a connection carry its strategy",
    requirement:
      "GET /api/connections/{name}/users answers a JSON array of valid users whose user_id all start with that connection's strategy.",
    source: 'lines 157, 170 ("composed of the strategy plus a unique identifier")',
    async run(ctx) {
      for (const connection of await sampleConnections(ctx)) {
        await ctx.step(async () => {
          const what = `GET /api/connections/${connection.name}/users`;
          const { users, last } = await usersOf(ctx, `${encodeName(connection.name)}/users`, what);
          const wrong = users.filter((user) => userStrategy(user) !== connection.strategy);
          if (wrong.length > 0) {
            ctx.fail(
              `Every user of the ${connection.strategy} connection "${connection.name}" has a user_id starting with "${connection.strategy}|" (lines 157, 170).`,
              `The server listed ${describeUsers(wrong)}.`,
              last,
            );
          }
        });
      }
    },
  },
  {
    id: "users.social-only",
    profile: "core",
    title: "Social users are social",
    requirement:
      "GET /api/socialconnections/users answers a JSON array of valid users, none of them from an enterprise strategy (adfs, google-apps, office365).",
    source: "line 158; lines 60-65; spec listSocialConnectionUsers",
    async run(ctx) {
      const { users, last } = await usersOf(
        ctx,
        "/api/socialconnections/users",
        "GET /api/socialconnections/users",
      );
      const enterprise = users.filter((user) =>
        enterpriseStrategies.includes(userStrategy(user) ?? ""),
      );
      if (enterprise.length > 0) {
        ctx.fail(
          "The social list holds only users of social connections, never of adfs, google-apps or office365 (line 158).",
          `The server listed ${describeUsers(enterprise)}.`,
          last,
        );
      }
    },
  },
  {
    id: "users.unknown-connection",
    profile: "core",
    title: "Users of an unknown connection: 404",
    requirement: "GET /api/connections/{name}/users for a name no connection has answers 404.",
    source: "line 157; spec listConnectionUsers 404",
    async run(ctx) {
      const exchange = await ctx.call({
        method: "GET",
        path: `${encodeName(unknownName(ctx))}/users`,
      });
      ctx.expectStatus(
        exchange,
        [404],
        "The users of a connection that does not exist answer 404.",
      );
      ctx.expectJsonType(exchange, "The 404 carries a JSON error body (line 27).");
    },
  },
  {
    id: "users.pagination",
    profile: "core",
    title: "Link pages lead through the whole list",
    requirement:
      'With per_page, a server that paginates answers Link rel="next" pages that together hold exactly the users of the whole list; a server that ignores per_page answers the whole list.',
    source: "lines 155-158; spec quirk 14 (per_page, page, Link)",
    async run(ctx) {
      const lists = ["/api/users", "/api/socialconnections/users"];
      const [first] = await sampleConnections(ctx);
      if (first) lists.push(`${encodeName(first.name)}/users`);
      for (const path of lists) {
        await ctx.step(async () => {
          const whole = await readUserList(ctx, path, {}, `GET ${path}`);
          const paged = await readUserList(ctx, path, { per_page: "2" }, `GET ${path}?per_page=2`);
          const ids = (users: unknown[]) =>
            users
              .map((user) => (isRecord(user) ? String(user.user_id) : JSON.stringify(user)))
              .sort();
          const expected = ids(whole.users);
          const actual = ids(paged.users);
          if (expected.join("\n") !== actual.join("\n")) {
            const missing = expected.filter((id) => !actual.includes(id));
            const repeated = actual.filter((id, index) => actual.indexOf(id) !== index);
            ctx.fail(
              `The pages of GET ${path}?per_page=2, followed through Link rel="next", hold every user of the list exactly once (spec quirk 14).`,
              `The server's ${paged.pages.length} page(s) held ${actual.length} users against ${expected.length} in the whole list` +
                `${missing.length ? `; missing ${missing.slice(0, 3).join(", ")}` : ""}` +
                `${repeated.length ? `; repeated ${repeated.slice(0, 3).join(", ")}` : ""}.`,
              paged.pages.at(-1),
            );
          }
        });
      }
    },
  },
];
