// A Management API v1 server written from the reference document alone, on node:http with an
// in-memory store; app.js holds the API. `strict: true` starts its stricter twin.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createApi } from "./app.js";

/**
 * @typedef {object} EraOptions
 * @property {string} [host] interface to listen on (default 127.0.0.1)
 * @property {number} [port] port to listen on (default 0, a free one)
 * @property {string} [clientId] the client that may obtain tokens (default: generated)
 * @property {string} [clientSecret] its secret (default: generated)
 * @property {boolean} [strict] the stricter twin (default false)
 *
 * @typedef {object} EraServer
 * @property {string} url
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {() => Promise<void>} close
 */

/**
 * @param {EraOptions} [options]
 * @returns {Promise<EraServer>}
 */
export async function startEraServer(options = {}) {
  const clientId = options.clientId ?? `era-${randomBytes(6).toString("hex")}`;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString("base64url");
  let origin = "";
  const server = createServer(
    createApi({ clientId, clientSecret, strict: options.strict === true, origin: () => origin }),
  );
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  return {
    url: origin,
    clientId,
    clientSecret,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
