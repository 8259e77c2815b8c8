import { provisionedStrategies, type Strategy } from "@mgmtkit/spec/model";
import type { CheckContext } from "../context.js";
import type { Exchange } from "../exchange.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import {
  createConnection,
  encodeName,
  isOwn,
  isRecord,
  readUserList,
  remove,
  sameId,
} from "./support.js";

/**
 * Properties that hold between answers rather than in one: a user list names each user once,
 * and what a server shows of a connection it made (its id, its provisioning ticket and URL) is
 * what it shows on every later read.
 */

/** Connections whose users are read, at most, besides the two whole-tenant lists. */
const CONNECTIONS_READ = 6;

/** The user_ids a list names more than once. */
function repeatedIds(users: unknown[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const user of users) {
    if (!isRecord(user) || typeof user.user_id !== "string") continue;
    if (seen.has(user.user_id)) repeated.add(user.user_id);
    seen.add(user.user_id);
  }
  return [...repeated];
}

/** Names of connections this run did not create, a few of each strategy, from the list. */
async function someConnections(ctx: CheckContext): Promise<string[]> {
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(list, [200], "GET /api/connections answers 200.");
  const json = ctx.jsonBody(list, "GET /api/connections answers JSON.");
  if (!Array.isArray(json)) return [];
  const perStrategy = new Map<unknown, number>();
  return json
    .filter((item): item is Record<string, unknown> => isRecord(item))
    .filter((item) => typeof item.name === "string" && !isOwn(ctx, item.name))
    .filter((item) => {
      const seen = perStrategy.get(item.strategy) ?? 0;
      perStrategy.set(item.strategy, seen + 1);
      return seen < 2;
    })
    .slice(0, CONNECTIONS_READ)
    .map((item) => item.name as string);
}

/** Reads one user list whole, and in pages of two where the server takes per_page. */
async function eachUserOnce(ctx: CheckContext, path: string): Promise<void> {
  const whole = await readUserList(ctx, path, {}, `GET ${path}`);
  const repeated = repeatedIds(whole.users);
  if (repeated.length > 0) {
    ctx.fail(
      `GET ${path} names each user once: user_id is "a unique identifier".`,
      `The list of ${whole.users.length} users names ${repeated
        .slice(0, 3)
        .map((id) => JSON.stringify(id))
        .join(", ")} more than once.`,
      whole.pages.at(-1),
    );
  }
  if (whole.users.length < 3) return;
  // per_page is no part of the document: a server may refuse it or ignore it, but the pages
  // of one that honours it still name each user once.
  const first = await ctx.call({ method: "GET", path, query: { per_page: "2" } });
  if (first.status !== 200) return;
  const paged = await readUserList(ctx, path, { per_page: "2" }, `GET ${path}?per_page=2`);
  const again = repeatedIds(paged.users);
  if (again.length > 0) {
    ctx.fail(
      `The pages of GET ${path}?per_page=2, followed through Link rel="next", name each user once: user_id is "a unique identifier".`,
      `Over ${paged.pages.length} pages the server named ${again
        .slice(0, 3)
        .map((id) => JSON.stringify(id))
        .join(", ")} more than once.`,
      paged.pages.at(-1),
    );
  }
}

/** What a read shows of the fields that must not change: undefined where it does not show one. */
interface Shown {
  what: string;
  exchange: Exchange;
  id?: unknown;
  provisioning_ticket?: unknown;
  provisioning_ticket_url?: unknown;
}

function shownBy(what: string, exchange: Exchange, json: unknown): Shown {
  const shown: Shown = { what, exchange };
  if (!isRecord(json)) return shown;
  for (const field of ["id", "provisioning_ticket", "provisioning_ticket_url"] as const) {
    if (json[field] !== undefined && json[field] !== null) shown[field] = json[field];
  }
  return shown;
}

/** The first difference in `fields` between what one read showed and what a later one shows. */
function changed(
  earlier: Shown,
  later: Shown,
  fields: ReadonlyArray<"id" | "provisioning_ticket" | "provisioning_ticket_url">,
): string | undefined {
  for (const field of fields) {
    const [a, b] = [earlier[field], later[field]];
    if (a === undefined || b === undefined) continue;
    const same = field === "id" ? sameId(a, b) : JSON.stringify(a) === JSON.stringify(b);
    if (!same) {
      return `${earlier.what} showed ${field} ${JSON.stringify(a)}, ${later.what} shows ${JSON.stringify(b)}`;
    }
  }
  return undefined;
}

const STABLE = ["id", "provisioning_ticket", "provisioning_ticket_url"] as const;

/**
 * One connection read every way the document offers, with nothing written in between: each read
 * shows the id, ticket and URL the create answered (where it shows them); after a replace, the id.
 */
async function readsAgree(
  ctx: CheckContext,
  strategy: string,
  created: Awaited<ReturnType<typeof createConnection>>,
): Promise<void> {
  const { name } = created;
  const reads: Shown[] = [shownBy("the create answer", created.exchange, created.body)];
  for (const what of ["a GET", "a second GET"]) {
    const got = await ctx.call({ method: "GET", path: encodeName(name) });
    ctx.expectStatus(
      got,
      [200],
      `GET /api/connections/{name} of a connection just created answers 200.`,
    );
    reads.push(shownBy(what, got, got.json));
  }
  const list = await ctx.call({ method: "GET", path: "/api/connections" });
  ctx.expectStatus(list, [200], "GET /api/connections answers 200.");
  const listed = Array.isArray(list.json)
    ? list.json.find((item) => isRecord(item) && item.name === name)
    : undefined;
  if (listed) reads.push(shownBy("the list", list, listed));
  for (const later of reads.slice(1)) {
    for (const earlier of reads.slice(0, reads.indexOf(later))) {
      const difference = changed(earlier, later, STABLE);
      if (difference) {
        ctx.fail(
          `What a server shows of a connection stays the same from one read to the next, nothing written in between: its id ("the entity id") and, for ${provisionedStrategies.join(", ")}, the provisioning_ticket and the provisioning_ticket_url "sent to the identity provider administrator".`,
          `For the ${strategy} connection "${name}", ${difference}.`,
          later.exchange,
        );
      }
    }
  }
  // A replace may renew what the server derives from the options (a ticket), never the id.
  const sent = createBody(name, strategy);
  const replacement = { ...sent, status: sent.status === 1 ? 0 : 1 };
  const put = await ctx.call({ method: "PUT", path: encodeName(name), json: replacement });
  ctx.expectStatus(put, [200], "A PUT with every field succeeds with 200.");
  const after = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(after, [200], "GET after a PUT answers 200.");
  const replaced = shownBy("a GET after a PUT that changed only status", after, after.json);
  for (const earlier of reads) {
    const difference = changed(earlier, replaced, ["id"]);
    if (difference) {
      ctx.fail(
        "A PUT replaces the connection of that name: it keeps its id (the entity id of the create answer).",
        `For the ${strategy} connection "${name}", ${difference}.`,
        after,
      );
    }
  }
}

export const consistencyChecks: Check[] = [
  {
    id: "consistency.users-once",
    profile: "core",
    title: "A user list names each user once",
    requirement:
      "GET /api/users, GET /api/socialconnections/users and GET /api/connections/{name}/users each name every user_id at most once, whole and, where the server honours per_page, over all its pages.",
    source:
      'The User Object: user_id is "A “friendly” unique identifier composed of the strategy plus a unique identifier from the issuer"; spec User',
    // Pages are read one after the other: users added meanwhile would shift them.
    runsAlone: true,
    async run(ctx) {
      const paths = [
        "/api/users",
        "/api/socialconnections/users",
        ...(await someConnections(ctx)).map((name) => `${encodeName(name)}/users`),
      ];
      for (const path of paths) await ctx.step(() => eachUserOnce(ctx, path));
    },
  },
  {
    id: "consistency.connection-fields",
    profile: "core",
    title: "A connection shows the same id and provisioning ticket on every read",
    requirement:
      "A connection's id, provisioning_ticket and provisioning_ticket_url, where an answer shows them, are the same in the create answer, in two GETs and in the list; after a PUT that changes only status the id is still the same; two connections never share an id.",
    source:
      'Create: "a complete connection object … additional fields (e.g. the entity id)"; the provisioning_ticket_url "is sent to the identity provider administrator"; Delete: { "removed": {id} }; spec Connection',
    async run(ctx) {
      // Every connection lives until the end: a server may give a deleted connection's id again.
      const created: Array<{ strategy: string } & Awaited<ReturnType<typeof createConnection>>> =
        [];
      try {
        for (const strategy of [...provisionedStrategies, "google-oauth2"] as Strategy[]) {
          created.push({
            strategy,
            ...(await createConnection(ctx, `stable-${strategy}`, strategy)),
          });
        }
        for (const connection of created) {
          await ctx.step(() => readsAgree(ctx, connection.strategy, connection));
        }
        const ids = created.filter((c) => c.body.id !== undefined && c.body.id !== null);
        const shared = ids.filter((a, i) =>
          ids.some((b, j) => j < i && sameId(a.body.id, b.body.id)),
        );
        if (shared.length > 0) {
          ctx.fail(
            "Two connections never share an id: a DELETE answers the id of the one it removed.",
            `The ${shared[0]?.strategy} connection was given the id ${JSON.stringify(shared[0]?.body.id)}, which another live connection of this check has.`,
            shared[0]?.exchange,
          );
        }
      } finally {
        for (const { name } of created) await remove(ctx, name);
      }
    },
  },
];
