import { provisionedStrategies } from "@mgmtkit/spec/model";
import type { FastifyInstance } from "fastify";
import { provisioningUrl } from "../connections.js";
import { errors } from "../errors.js";
import { type ConnectionRecord, type Store, StoreUnavailableError } from "../storage.js";
import type { RouteContext } from "./operation.js";

/** Lookups of the page that may use the store at once; the rest of the pool stays for /api. */
const LOOKUPS_AT_ONCE = 2;
/** Requests that may wait for a lookup; more are answered 503 at once. */
const WAITING_AT_MOST = 256;

/**
 * The page answers anyone, so what it costs must not depend on the caller's patience: one indexed
 * lookup per ticket (`Store.findByTicket`, else the store's cached list), the same ticket asked
 * for by many at once looked up once, and at most `LOOKUPS_AT_ONCE` lookups using the store while
 * authenticated requests use the rest.
 */
function ticketFinder(store: Store) {
  const inFlight = new Map<string, Promise<ConnectionRecord | undefined>>();
  const waiting: (() => void)[] = [];
  let running = 0;

  const lookup = (strategy: string, ticket: string) =>
    store.findByTicket
      ? store.findByTicket(strategy, ticket)
      : store
          .listConnections()
          .then(({ records }) =>
            records.find((c) => c.strategy === strategy && c.provisioning_ticket === ticket),
          );

  const limited = async (strategy: string, ticket: string) => {
    if (running >= LOOKUPS_AT_ONCE) {
      if (waiting.length >= WAITING_AT_MOST) {
        throw new StoreUnavailableError(
          "Too many provisioning pages asked for at once; retry shortly.",
        );
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await lookup(strategy, ticket);
    } finally {
      // The slot passes to the next waiting request, or is freed.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };

  return (strategy: string, ticket: string) => {
    const key = `${strategy}/${ticket}`;
    let found = inFlight.get(key);
    if (!found) {
      found = limited(strategy, ticket).finally(() => inFlight.delete(key));
      inFlight.set(key, found);
    }
    return found;
  };
}

/**
 * `GET /p/{strategy}/{ticket}`, where a `provisioning_ticket_url` leads: what the identity
 * provider's administrator needs. Not an operation of the API, so it needs no token.
 */
export async function provisioningRoutes(
  app: FastifyInstance,
  { store, origin }: RouteContext,
): Promise<void> {
  const find = ticketFinder(store);
  app.get<{ Params: { strategy: string; ticket: string } }>(
    "/p/:strategy/:ticket",
    async (request) => {
      const { strategy, ticket } = request.params;
      // Tickets are 20 hexadecimal digits; anything else is not looked up at all.
      const connection =
        provisionedStrategies.some((s) => s === strategy) && /^[0-9a-f]{1,64}$/.test(ticket)
          ? await find(strategy, ticket)
          : undefined;
      if (!connection?.provisioning_ticket) throw new errors.MGMT_ERR_TICKET_NOT_FOUND();
      return {
        connection: connection.name,
        strategy: connection.strategy,
        provisioning_ticket: connection.provisioning_ticket,
        provisioning_ticket_url: provisioningUrl(
          origin(request),
          connection.strategy,
          connection.provisioning_ticket,
        ),
        instructions: `Configure your ${connection.strategy} identity provider to trust this tenant, then give this ticket to the tenant's administrator to activate the connection "${connection.name}".`,
      };
    },
  );
}
