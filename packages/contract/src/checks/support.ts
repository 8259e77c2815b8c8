import { findLink } from "@mgmtkit/spec/link";
import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange, headerValue, statusIn } from "../exchange.js";
import { unlike } from "../like.js";
import { point } from "../open-points.js";
import type { AuthMode, RequestSpec } from "../transport.js";
import { createBody } from "./bodies.js";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const encodeName = (name: string) => `/api/connections/${encodeURIComponent(name)}`;

/** Creates a uniquely named connection and returns its name and the server's answer. */
export async function createConnection(
  ctx: CheckContext,
  label: string,
  strategy = "google-oauth2",
  auth?: AuthMode,
): Promise<{ name: string; body: Record<string, unknown>; exchange: Exchange }> {
  const name = ctx.uniqueName(label);
  const exchange = await ctx.call({
    method: "POST",
    path: "/api/connections",
    json: createBody(name, strategy),
    ...(auth ? { auth } : {}),
  });
  ctx.expectStatus(
    exchange,
    [200, 201],
    `Creating a valid ${strategy} connection succeeds with 200 or 201 — "POST a connection object to the connections resource" (Create a new Connection).`,
  );
  const body = ctx.jsonBody(
    exchange,
    'A create answers the complete connection object as JSON — "If successful, the response body will contain a complete connection object." (Create a new Connection)',
  );
  if (!isRecord(body)) {
    ctx.fail(
      'A create answers the complete connection object — "If successful, the response body will contain a complete connection object." (Create a new Connection)',
      `The server ${describeAnswer(exchange)}.`,
      exchange,
    );
  }
  return { name, body, exchange };
}

/** Deletes a connection a check created, whatever the answer (the run's clean-up is the backstop). */
export async function remove(ctx: CheckContext, name: string): Promise<void> {
  await ctx.send({ method: "DELETE", path: encodeName(name) });
}

/**
 * Deletes at once the connection a create made when the server took it, whatever the case
 * expected: a body taken under an invalid or open case is not left for other checks (or other
 * runs) to list until the clean-up.
 */
export async function removeIfCreated(
  ctx: CheckContext,
  request: RequestSpec,
  exchange: Exchange,
): Promise<void> {
  const created = (exchange.status ?? 0) >= 200 && (exchange.status ?? 0) < 300;
  let body = request.json;
  try {
    if (body === undefined && request.raw !== undefined) body = JSON.parse(request.raw);
  } catch {
    return;
  }
  const name = isRecord(body) ? body.name : undefined;
  if (created && request.method === "POST" && typeof name === "string") await remove(ctx, name);
}

const MAX_PAGES = 200;

/**
 * Reads a user list and, when the server paginates (a `Link` header with `rel="next"`), every
 * following page. Fails on a page that is not a JSON array, and on a chain of pages that loops
 * or never ends. The list of a `foreign` connection, one no check of this run made (another
 * run's, a person's), may have vanished since the connection was listed: when its first page
 * and the connection itself both answer that the name is gone, the list is `vanished`.
 */
export async function readUserList(
  ctx: CheckContext,
  path: string,
  query: Record<string, string> = {},
  what = "The list",
  foreign?: string,
): Promise<{ users: unknown[]; pages: Exchange[]; vanished?: boolean }> {
  const users: unknown[] = [];
  const pages: Exchange[] = [];
  const seen = new Set<string>();
  const gone = [...point("delete.gone-status").under("core").statuses];
  let target: { path: string; query: Record<string, string> } | undefined = { path, query };
  while (target) {
    const exchange = await ctx.call({ method: "GET", path: target.path, query: target.query });
    pages.push(exchange);
    if (foreign !== undefined && pages.length === 1 && statusIn(exchange.status, gone)) {
      const connection = await ctx.call({ method: "GET", path: encodeName(foreign) });
      if (statusIn(connection.status, gone)) return { users, pages, vanished: true };
    }
    ctx.expectStatus(
      exchange,
      [200],
      `${what} answers 200 — "GET https://YOUR_NAMESPACE/api/users" (Users).`,
    );
    const body = ctx.jsonBody(
      exchange,
      `${what} is JSON — "All content is returned in JSON." (API endpoint).`,
    );
    if (!Array.isArray(body)) {
      ctx.fail(
        `${what} is a JSON array of user objects — "Gets all users who have logged in through any of your connections." (Users).`,
        `The server ${describeAnswer(exchange)}, which is not an array.`,
        exchange,
      );
    }
    users.push(...body);
    const next = findLink(headerValue(exchange.headers.link));
    if (!next) break;
    const link = ctx.followLink(next, exchange);
    if (seen.has(link.url) || pages.length >= MAX_PAGES) {
      ctx.fail(
        'Following `Link` rel="next" pages ends at a last page without one (spec: PerPage, Link).',
        `The server kept answering a next page (${pages.length} pages, back to ${link.path}).`,
        exchange,
      );
    }
    seen.add(link.url);
    target = link;
  }
  return { users, pages };
}

/** The strategy part of a `user_id` (`adfs|john@fabrikam.com` → `adfs`). */
export function userStrategy(user: unknown): string | undefined {
  if (!isRecord(user) || typeof user.user_id !== "string") return undefined;
  const bar = user.user_id.indexOf("|");
  return bar > 0 ? user.user_id.slice(0, bar) : undefined;
}

/**
 * Whether a connection is one this run created. Checks that read what other connections hold
 * leave those out: other checks create and delete them while the check runs (`--concurrency`),
 * and they have no users of their own.
 */
export function isOwn(ctx: CheckContext, name: string): boolean {
  return name.startsWith(`mgmtkit-contract-${ctx.runId}-`);
}

/** A path of a name that no connection has. */
export function unknownName(ctx: CheckContext): string {
  return ctx.uniqueName("absent");
}

/**
 * Whether two connection ids are the same id: the document gives no type, so `42` and `"42"`
 * are (open points connection.id-shown and delete.removed).
 */
export function sameId(a: unknown, b: unknown): boolean {
  const plain = (v: unknown) => (typeof v === "number" ? String(v) : v);
  return (typeof a === "string" || typeof a === "number") && plain(a) === plain(b);
}

/**
 * How a connection answer differs from what was sent: name, status (when sent) and strategy exactly, and
 * every option sent except client_secret, which a server may show as sent, mask or leave out
 * (open point connection.client-secret). Other fields and options may be added.
 */
export function unlikeShown(
  actual: unknown,
  sent: { name: string; status?: number; strategy: string; options: Record<string, unknown> },
): string | undefined {
  const { client_secret: _, ...options } = sent.options;
  // A create without status leaves it to the server (open point create.status-omitted).
  const status = sent.status === undefined ? {} : { status: sent.status };
  return unlike(actual, { name: sent.name, ...status, strategy: sent.strategy, options });
}
