import type { Exchange } from "./exchange.js";
import type { RequestSpec } from "./request.js";

/** A connection body the run sent: a create's or a replacement's. */
export type SentConnection = Record<string, unknown>;

/**
 * Every connection body the run sent, by the name it addresses: the connections of this run are
 * judged by what it sent them (open point create.option-values), and those of others, another
 * run's or a person's, by the schema. A body is registered as it is sent, before any answer, so
 * that a list read meanwhile already knows it; a name keeps every body it was sent, as a list
 * read while a replace is under way may show either.
 */
export class SentConnections {
  private readonly bodies = new Map<string, SentConnection[]>();

  /**
   * Registers the body a request to create or replace a connection carries, if it is one;
   * answers the name a create asks for, if it asks for one.
   */
  register(req: Pick<RequestSpec, "method" | "path" | "json" | "raw">): string | undefined {
    const path = req.path.replace(/\/+$/, "");
    const replaced = /^\/api\/connections\/([^/]+)$/.exec(path);
    const isCreate = req.method === "POST" && path === "/api/connections";
    if (!isCreate && !(req.method === "PUT" && replaced)) return undefined;
    let body = req.json;
    if (body === undefined && req.raw !== undefined) {
      try {
        body = JSON.parse(req.raw);
      } catch {
        return undefined;
      }
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
    const sent = body as SentConnection;
    const names = new Set<string>();
    if (typeof sent.name === "string") names.add(sent.name);
    if (replaced?.[1]) {
      try {
        names.add(decodeURIComponent(replaced[1]));
      } catch {
        // A path no name decodes to addresses no connection.
      }
    }
    for (const name of names) {
      const list = this.bodies.get(name) ?? [];
      list.push(sent);
      this.bodies.set(name, list);
    }
    return isCreate && typeof sent.name === "string" ? sent.name : undefined;
  }

  /** The bodies the run sent to the connection of this name, oldest first; none for another's. */
  of(name: string): readonly SentConnection[] {
    return this.bodies.get(name) ?? [];
  }
}

/** Whether the request carried `token` (a delete with another one proves nothing). */
function presents(exchange: Exchange, token: string | undefined): boolean {
  if (!token) return false;
  const header = exchange.requestHeaders.Authorization;
  if (header !== undefined) return header.replace(/^\S+\s+/, "") === token;
  return new URL(exchange.url).searchParams.get("access_token") === token;
}

/**
 * The connections a run may have created and not deleted yet: all are deleted at the end,
 * whatever happened. The call that sends a create registers its name; a delete with the run's
 * token that answered 200 or 404 forgets it.
 */
export class Created {
  private readonly names = new Set<string>();

  /**
   * Registers what one answered request did: `creates` is the name a create asked for (as
   * `SentConnections.register` answered it), kept when the create succeeded or its answer never
   * came; a delete is judged by the exchange itself.
   */
  settle(creates: string | undefined, exchange: Exchange, runToken: string | undefined): void {
    if (exchange.unsent) return;
    const status = exchange.status;
    if (creates !== undefined) {
      if (status === undefined || (status >= 200 && status < 300)) this.names.add(creates);
      return;
    }
    if (exchange.method !== "DELETE" || (status !== 200 && status !== 404)) return;
    if (!presents(exchange, runToken)) return;
    const match = /^\/api\/connections\/([^/]+)$/.exec(exchange.path.replace(/\/+$/, ""));
    if (!match?.[1]) return;
    try {
      this.names.delete(decodeURIComponent(match[1]));
    } catch {
      // A path no name decodes to deleted no connection of the run's.
    }
  }

  /** The names still to delete. */
  get pending(): string[] {
    return [...this.names];
  }
}
