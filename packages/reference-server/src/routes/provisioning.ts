import { provisionedStrategies } from "@mgmtkit/spec/model";
import type { FastifyInstance } from "fastify";
import { provisioningUrl } from "../connections.js";
import { errors } from "../errors.js";
import type { RouteContext } from "./operation.js";

/**
 * `GET /p/{strategy}/{ticket}`, where a `provisioning_ticket_url` leads: what the identity
 * provider's administrator needs. Not an operation of the API, so it needs no token.
 */
export async function provisioningRoutes(
  app: FastifyInstance,
  { store, origin }: RouteContext,
): Promise<void> {
  app.get<{ Params: { strategy: string; ticket: string } }>(
    "/p/:strategy/:ticket",
    async (request) => {
      const { strategy, ticket } = request.params;
      const connection = provisionedStrategies.some((s) => s === strategy)
        ? (await store.listConnections()).records.find(
            (c) => c.strategy === strategy && c.provisioning_ticket === ticket,
          )
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
