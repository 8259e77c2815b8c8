import { enterpriseStrategies, type Strategy, socialStrategies } from "@mgmtkit/spec/model";
import type { CheckContext } from "../context.js";
import type { Exchange } from "../exchange.js";
import { point } from "../open-points.js";
import type { Check } from "./check.js";
import { encodeName, isOwn, isRecord, readUserList, unknownName, userStrategy } from "./support.js";

/**
 * Reads a whole user list (the response validators hold every page to the User schema): that of
 * the `foreign` connection may have vanished since it was listed (see readUserList).
 */
async function usersOf(
  ctx: CheckContext,
  path: string,
  what: string,
  foreign?: string,
): Promise<{ users: unknown[]; last: Exchange; vanished?: boolean }> {
  const { users, pages, vanished } = await readUserList(ctx, path, {}, what, foreign);
  return { users, last: pages.at(-1) as Exchange, ...(vanished ? { vanished } : {}) };
}

interface Listed {
  name: string;
  strategy: string;
  /** The connection's status, when the list shows a valid one. */
  status?: 0 | 1;
}

/**
 * Every connection of the list, as far as it shows name and strategy, but those this run
 * created: other checks change them while this one reads. Those of others (another run's, a
 * person's) may vanish before their users are read; the checks pass them by when they do.
 */
async function listConnections(ctx: CheckContext): Promise<Listed[]> {
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(
    list,
    [200],
    'GET /api/connections answers 200 — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
  );
  const json = ctx.jsonBody(
    list,
    'GET /api/connections answers JSON — "All content is returned in JSON." (API endpoint).',
  );
  if (!Array.isArray(json))
    ctx.fail(
      'GET /api/connections answers a JSON array — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
      "The body is not an array.",
      list,
    );
  return json.flatMap((item) =>
    isRecord(item) &&
    typeof item.name === "string" &&
    typeof item.strategy === "string" &&
    !isOwn(ctx, item.name)
      ? [
          {
            name: item.name,
            strategy: item.strategy,
            ...(item.status === 0 || item.status === 1 ? { status: item.status } : {}),
          },
        ]
      : [],
  );
}

/** Up to `each` connections of each strategy, so that tenants with many connections stay quick. */
function sample(connections: Listed[], each = 2): Listed[] {
  const perStrategy = new Map<string, number>();
  return connections.filter((c) => {
    const seen = perStrategy.get(c.strategy) ?? 0;
    perStrategy.set(c.strategy, seen + 1);
    return seen < each;
  });
}

const idOf = (user: unknown) => (isRecord(user) ? String(user.user_id) : JSON.stringify(user));

/** The user_ids listed under some of the connections, at most `limit` of them. */
async function usersUnder(ctx: CheckContext, connections: Listed[], limit = 10) {
  const ids = new Map<string, Listed>();
  for (const connection of connections.slice(0, limit)) {
    const { users } = await readUserList(
      ctx,
      `${encodeName(connection.name)}/users`,
      {},
      `GET /api/connections/${connection.name}/users`,
      connection.name,
    );
    for (const user of users) ids.set(idOf(user), connection);
  }
  return ids;
}

/** The strategies "an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain" (Users) names. */
const DOCUMENTED_ENTERPRISE = ["google-apps", "office365"];

const describeUsers = (users: unknown[]) =>
  users
    .slice(0, 5)
    .map((user) => JSON.stringify(isRecord(user) ? user.user_id : user))
    .join(", ") + (users.length > 5 ? `, and ${users.length - 5} more` : "");

/** Connections whose users the cross-endpoint check reads at most (a tenant may have thousands). */
const MAX_CONNECTIONS_READ = 50;

export const userChecks: Check[] = [
  {
    id: "users.list",
    profile: "core",
    title: "GET /api/users: an array of valid users",
    requirement:
      "GET /api/users answers a JSON array of user objects, each with a user_id of the form <strategy>|<id>.",
    source:
      '"Gets all users who have logged in through any of your connections." (Users); "Most attributes in the user object are self-explanatory." (The User Object)',
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
    source:
      '"Gets all users from an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain." (Users); "unique identifier composed of the strategy plus a unique identifier from the issuer" (The User Object)',
    async run(ctx) {
      const connections = sample(await listConnections(ctx));
      if (connections.length === 0) {
        ctx.skip(
          "the server lists no connection (but those of this run) whose users could be read",
        );
      }
      for (const connection of connections) {
        await ctx.step(async () => {
          const what = `GET /api/connections/${connection.name}/users`;
          const { users, last, vanished } = await usersOf(
            ctx,
            `${encodeName(connection.name)}/users`,
            what,
            connection.name,
          );
          if (vanished) return;
          const wrong = users.filter((user) => userStrategy(user) !== connection.strategy);
          if (wrong.length > 0) {
            ctx.fail(
              `Every user of the ${connection.strategy} connection "${connection.name}" has a user_id starting with "${connection.strategy}|" — "composed of the strategy plus a unique identifier from the issuer" (The User Object).`,
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
    title: "The social list holds only users of enabled social connections",
    requirement:
      "GET /api/socialconnections/users answers a JSON array of users, none of a google-apps or office365 connection and none of a disabled (status 0) connection.",
    source:
      '"Gets all users who have logged in through any of the enabled social connections." (Users); "Gets all users from an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain." (Users); "status Defines whether the connection is active 1 or not 0." (List all Connections)',
    async run(ctx) {
      const { users, last } = await usersOf(
        ctx,
        "/api/socialconnections/users",
        "GET /api/socialconnections/users",
      );
      const enterprise = users.filter((user) =>
        DOCUMENTED_ENTERPRISE.includes(userStrategy(user) ?? ""),
      );
      if (enterprise.length > 0) {
        ctx.fail(
          'The social list holds no user of a google-apps or office365 connection — "an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain" (Users).',
          `The server listed ${describeUsers(enterprise)}.`,
          last,
        );
      }
      const listed = new Set(users.map(idOf));
      const connections = await listConnections(ctx);
      const disabled = await usersUnder(
        ctx,
        connections.filter((c) => c.status === 0),
      );
      const suspects = [...disabled.keys()].filter((id) => listed.has(id));
      if (suspects.length === 0) return;
      // A user of a disabled connection may also have signed in through an enabled one.
      const strategiesOfSuspects = new Set(suspects.map((id) => disabled.get(id)?.strategy));
      const enabled = await usersUnder(
        ctx,
        connections.filter((c) => c.status === 1 && strategiesOfSuspects.has(c.strategy)),
      );
      const wrong = suspects.filter((id) => !enabled.has(id));
      if (wrong.length > 0) {
        ctx.fail(
          'The social list holds only users of enabled (status 1) connections — "Gets all users who have logged in through any of the enabled social connections." (Users)',
          `The server listed ${wrong
            .slice(0, 5)
            .map(
              (id) =>
                `${JSON.stringify(id)} of the disabled connection ${JSON.stringify(disabled.get(id)?.name)}`,
            )
            .join(", ")}.`,
          last,
        );
      }
    },
  },
  {
    id: "users.social-split",
    profile: "strict",
    title:
      "The social list is exactly the users of enabled google-oauth2 and windowslive connections",
    requirement:
      "GET /api/socialconnections/users holds no user of an enterprise strategy (adfs, google-apps, office365), and every user of an enabled google-oauth2 or windowslive connection.",
    source: "spec listSocialConnectionUsers (social: google-oauth2 and windowslive)",
    async run(ctx) {
      const { users, last } = await usersOf(
        ctx,
        "/api/socialconnections/users",
        "GET /api/socialconnections/users",
      );
      const enterprise = users.filter((user) =>
        enterpriseStrategies.includes((userStrategy(user) ?? "") as Strategy),
      );
      if (enterprise.length > 0) {
        ctx.fail(
          "The social list holds no user of adfs, google-apps or office365.",
          `The server listed ${describeUsers(enterprise)}.`,
          last,
        );
      }
      const enabled = await usersUnder(
        ctx,
        sample(
          (await listConnections(ctx)).filter(
            (c) => c.status === 1 && socialStrategies.includes(c.strategy as Strategy),
          ),
        ),
      );
      const listed = new Set(users.map(idOf));
      if (users.length === 0 && enabled.size === 0) {
        ctx.skip(
          "the social list is empty and no enabled google-oauth2 or windowslive connection has a user: there is nothing to compare",
        );
      }
      const missing = [...enabled.keys()].filter((id) => !listed.has(id));
      if (missing.length > 0) {
        ctx.fail(
          "The social list holds every user of an enabled google-oauth2 or windowslive connection.",
          `The server left out ${missing
            .slice(0, 5)
            .map((id) => JSON.stringify(id))
            .join(", ")}.`,
          last,
        );
      }
    },
  },
  {
    id: "users.cross-endpoint",
    profile: "core",
    title: "The user lists agree with each other",
    requirement:
      "Every user listed under any connection also appears in GET /api/users; GET /api/socialconnections/users holds every user of every enabled (status 1) google-oauth2 or windowslive connection, and only users of enabled connections of those strategies (core also takes users of enabled ADFS connections, open point users.social), each of them in /api/users too.",
    source:
      '"Gets all users who have logged in through any of your connections." (Users); "Gets all users who have logged in through any of the enabled social connections." (Users); "status Defines whether the connection is active 1 or not 0." (List all Connections); spec quirk 19, listSocialConnectionUsers',
    async run(ctx) {
      const connections = await listConnections(ctx);
      const read = connections.slice(0, MAX_CONNECTIONS_READ);
      const complete = read.length === connections.length;
      const underConnections = new Map<string, Listed[]>();
      for (const connection of read) {
        const { users } = await readUserList(
          ctx,
          `${encodeName(connection.name)}/users`,
          {},
          `GET /api/connections/${connection.name}/users`,
          connection.name,
        );
        for (const user of users) {
          const id = idOf(user);
          underConnections.set(id, [...(underConnections.get(id) ?? []), connection]);
        }
      }
      const all = await usersOf(ctx, "/api/users", "GET /api/users");
      const everyone = new Set(all.users.map(idOf));
      await ctx.step(async () => {
        const missing = [...underConnections.keys()].filter((id) => !everyone.has(id));
        if (missing.length > 0) {
          ctx.fail(
            'Every user listed under a connection also appears in GET /api/users — "Gets all users who have logged in through any of your connections." (Users)',
            `GET /api/users left out ${missing
              .slice(0, 5)
              .map((id) => `${JSON.stringify(id)} (of ${underConnections.get(id)?.[0]?.name})`)
              .join(", ")}.`,
            all.last,
          );
        }
      });
      const social = await usersOf(
        ctx,
        "/api/socialconnections/users",
        "GET /api/socialconnections/users",
      );
      const listed = new Set(social.users.map(idOf));
      if (underConnections.size === 0 && everyone.size === 0 && listed.size === 0) {
        ctx.skip("no list holds a user, and no connection has one: there is nothing to compare");
      }
      const enabledOf = (id: string, allowed: readonly string[]) =>
        (underConnections.get(id) ?? []).some(
          (c) => c.status === 1 && allowed.includes(c.strategy),
        );
      const socialNames: readonly string[] = socialStrategies;
      await ctx.step(async () => {
        const left = [...underConnections.keys()].filter(
          (id) => enabledOf(id, socialNames) && !listed.has(id),
        );
        if (left.length > 0) {
          ctx.fail(
            'GET /api/socialconnections/users holds every user of an enabled google-oauth2 or windowslive connection — "Gets all users who have logged in through any of the enabled social connections." (Users); spec quirk 19, listSocialConnectionUsers.',
            `The social list left out ${left
              .slice(0, 5)
              .map((id) => JSON.stringify(id))
              .join(", ")}.`,
            social.last,
          );
        }
      });
      await ctx.step(async () => {
        // Core also takes the reading that ADFS users are social (open point users.social).
        const allowed = [...socialNames, ...point("users.social").under(ctx.profile).alsoSocial];
        const strangers = [...listed].filter((id) =>
          !everyone.has(id)
            ? true
            : complete && underConnections.has(id)
              ? !enabledOf(id, allowed)
              : !allowed.includes(userStrategy({ user_id: id }) ?? ""),
        );
        if (strangers.length > 0) {
          ctx.fail(
            `GET /api/socialconnections/users holds only users of enabled ${allowed.join(", ")} connections, each also in GET /api/users — "Gets all users who have logged in through any of the enabled social connections." (Users); spec quirk 19, listSocialConnectionUsers.`,
            `The social list holds ${strangers
              .slice(0, 5)
              .map((id) => {
                const of = underConnections.get(id) ?? [];
                return `${JSON.stringify(id)} (${
                  !everyone.has(id)
                    ? "not in /api/users"
                    : of.length > 0
                      ? `of ${of.map((c) => `${c.name}, ${c.strategy}, status ${c.status ?? "?"}`).join("; ")}`
                      : "of no connection"
                })`;
              })
              .join(", ")}.`,
            social.last,
          );
        }
      });
    },
  },
  {
    id: "users.unknown-connection",
    profile: "core",
    title: "Users of an unknown connection: 404 or none",
    requirement:
      "GET /api/connections/{name}/users for a name no connection has answers 404, or an empty list.",
    source:
      '"GET https://YOUR_NAMESPACE/api/connections/{connection}/users" (Users); open point users.unknown-connection; RFC 9110 section 15.5.5',
    async run(ctx) {
      const exchange = await ctx.call({
        method: "GET",
        path: `${encodeName(unknownName(ctx))}/users`,
      });
      const reading = point("users.unknown-connection").under("core");
      ctx.expectStatus(
        exchange,
        [...reading.statuses, ...(reading.emptyList ? [200] : [])],
        "The users of a connection that does not exist answer 404 or an empty list.",
      );
      if (exchange.status === 200) {
        ctx.expectThat(
          exchange,
          "The users of a connection that does not exist answer 404 or an empty list.",
          (json) => (Array.isArray(json) && json.length === 0 ? undefined : "the body is not []"),
        );
      }
    },
  },
  {
    id: "users.unknown-connection-404",
    profile: "strict",
    title: "Users of an unknown connection: 404",
    requirement: "GET /api/connections/{name}/users for a name no connection has answers 404.",
    source: "spec listConnectionUsers 404",
    async run(ctx) {
      const exchange = await ctx.call({
        method: "GET",
        path: `${encodeName(unknownName(ctx))}/users`,
      });
      ctx.expectStatus(
        exchange,
        [...point("users.unknown-connection").under("strict").statuses],
        "The users of a connection that does not exist answer 404.",
      );
    },
  },
  {
    id: "users.pagination",
    profile: "strict",
    title: "Link pages lead through the whole list",
    requirement:
      'With per_page, a server that paginates answers Link rel="next" pages that together hold exactly the users of the whole list; a server that ignores per_page answers the whole list.',
    source: "spec quirk 14 (per_page, page, Link; the document describes no pagination)",
    // The whole list and its pages are read at different times: nothing may change in between.
    runsAlone: true,
    async run(ctx) {
      const lists = ["/api/users", "/api/socialconnections/users"];
      const [first] = sample(await listConnections(ctx));
      const foreign = new Map<string, string>();
      if (first) {
        lists.push(`${encodeName(first.name)}/users`);
        foreign.set(`${encodeName(first.name)}/users`, first.name);
      }
      let longest = 0;
      for (const path of lists) {
        await ctx.step(async () => {
          const of = foreign.get(path);
          const whole = await readUserList(ctx, path, {}, `GET ${path}`, of);
          const paged = await readUserList(
            ctx,
            path,
            { per_page: "2" },
            `GET ${path}?per_page=2`,
            of,
          );
          if (whole.vanished || paged.vanished) return;
          longest = Math.max(longest, whole.users.length);
          const expected = whole.users.map(idOf).sort();
          const actual = paged.users.map(idOf).sort();
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
      if (longest <= 2) ctx.skip("no list holds more than 2 users, so none has a second page");
    },
  },
];
