import fp from "fastify-plugin";
import { errors } from "../errors.js";

/**
 * A bounded shutdown. When the app closes, the server stops accepting connections and closes the
 * idle ones (fastify's `forceCloseConnections: "idle"`); requests still arriving on open
 * connections are answered 503; requests in flight, bodies still arriving included, get
 * `graceMs` to finish, after which every connection left is closed.
 */
export const shutdown = fp<{ graceMs: number }>(
  async (app, { graceMs }) => {
    let closing = false;
    app.addHook("preClose", async () => {
      closing = true;
      const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
      timer.unref();
      app.server.once("close", () => clearTimeout(timer));
    });
    app.addHook("onRequest", async (_request, reply) => {
      if (!closing) return;
      reply.header("connection", "close");
      throw new errors.MGMT_ERR_SHUTTING_DOWN();
    });
  },
  { name: "shutdown" },
);
