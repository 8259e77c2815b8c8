import type { FastifyInstance } from "fastify";
import { sendError } from "./errors.js";
import { type Store, StoreUnavailableError } from "./storage.js";

/**
 * `GET /healthz` for load balancers and orchestrators: 200 `{"status":"ok"}` when the store answers
 * a trivial query now, else 503 with the JSON error saying why. It needs no token and is never
 * cached.
 */
export async function healthRoutes(app: FastifyInstance, options: { store: Store }): Promise<void> {
  app.get("/healthz", async (_request, reply) => {
    reply.header("cache-control", "no-store");
    try {
      await options.store.check();
    } catch (error) {
      const message =
        error instanceof StoreUnavailableError
          ? error.message
          : "The store did not answer a trivial query.";
      return sendError(reply, 503, message);
    }
    return { status: "ok" };
  });
}
