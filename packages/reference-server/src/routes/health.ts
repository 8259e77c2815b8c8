import type { FastifyInstance } from "fastify";
import { errors } from "../errors.js";
import { sendApiError } from "../plugins/errors.js";
import { StoreUnavailableError } from "../storage.js";
import type { RouteContext } from "./operation.js";

/**
 * `GET /healthz` for load balancers and orchestrators: 200 `{"status":"ok"}` when the store answers
 * a trivial query now, else 503 with the JSON error saying why. It needs no token and, like
 * every answer, is never cached.
 */
export async function healthRoutes(app: FastifyInstance, { store }: RouteContext): Promise<void> {
  app.get("/healthz", async (_request, reply) => {
    try {
      await store.check();
    } catch (error) {
      const message =
        error instanceof StoreUnavailableError
          ? error.message
          : "The store did not answer a trivial query.";
      return sendApiError(reply, new errors.MGMT_ERR_STORE_UNAVAILABLE(message));
    }
    return { status: "ok" };
  });
}
