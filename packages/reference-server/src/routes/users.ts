import { getOperation, type OperationId, socialStrategies } from "@mgmtkit/spec/model";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors, withDetail } from "../errors.js";
import { pathOf } from "../request-paths.js";
import type { UserFilter } from "../storage.js";
import { checkPaging } from "../validation.js";
import {
  connectionNotFound,
  operationRoute,
  type QueryValues,
  type RouteContext,
} from "./operation.js";

/**
 * The three user lists. With `per_page` a list is paged, and `Link: <…>; rel="next"` leads to the
 * next page while there is one (without the `access_token` the request may have carried).
 */
export async function userRoutes(
  app: FastifyInstance,
  { store, origin }: RouteContext,
): Promise<void> {
  async function listUsers(
    request: FastifyRequest<{ Querystring: QueryValues }>,
    reply: FastifyReply,
    id: OperationId,
    filter: UserFilter,
  ): Promise<unknown[]> {
    const paging = checkPaging(getOperation(id), request.query);
    if (!paging.ok) {
      throw withDetail(
        new errors.MGMT_ERR_INVALID_QUERY(paging.problems[0]),
        paging.problems.join("; "),
      );
    }
    const { perPage, page } = paging;
    if (perPage === undefined) return (await store.listUsers(filter)).users.map((u) => u.user);
    const { users, total } = await store.listUsers(filter, {
      limit: perPage,
      offset: perPage * page,
    });
    if (perPage * (page + 1) < total) {
      const path = pathOf(request).replace(/\/+$/, "");
      reply.header(
        "link",
        `<${origin(request)}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"`,
      );
    }
    return users.map((u) => u.user);
  }

  operationRoute(app, "listUsers", (request, reply) => listUsers(request, reply, "listUsers", {}));

  operationRoute(app, "listConnectionUsers", async (request, reply) => {
    const { connectionName } = request.params;
    const connection = await store.getConnection(connectionName);
    if (!connection) throw connectionNotFound(connectionName);
    return listUsers(request, reply, "listConnectionUsers", { connectionId: connection.id });
  });

  operationRoute(app, "listSocialConnectionUsers", (request, reply) =>
    listUsers(request, reply, "listSocialConnectionUsers", {
      strategies: socialStrategies,
      enabledOnly: true,
    }),
  );
}
