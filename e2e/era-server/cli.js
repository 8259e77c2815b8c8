#!/usr/bin/env node
// `node e2e/era-server/cli.js`: the era server on the command line, configured as
// `mgmtkit-server` is: each option also from its environment variable. It prints
// "era-server listening on <url>" once it accepts requests, and stops on SIGTERM or SIGINT.
import { parseArgs } from "node:util";
import { startEraServer } from "./server.js";

const NAME = "era-server";
const usage = `Usage: ${NAME} [--host <host>] [--port <port>] [--client-id <id>] [--client-secret <secret>] [--strict]
  --host           interface to listen on (MGMTKIT_HOST, default 127.0.0.1)
  --port           port to listen on, 0 for a free one (MGMTKIT_PORT, default 3000)
  --client-id      client id that may obtain tokens (MGMTKIT_CLIENT_ID, default: generated)
  --client-secret  its secret (MGMTKIT_CLIENT_SECRET, default: generated)
  --strict         the stricter twin: refuse mistyped options and repeated token parameters
                   (MGMTKIT_ERA_STRICT=1)`;

/** @param {string} message */
function fail(message) {
  process.stderr.write(`${NAME}: ${message} (see --help).\n`);
  process.exit(2);
}

/** @type {ReturnType<typeof parseArgs>["values"]} */
let values = {};
try {
  ({ values } = parseArgs({
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail(/** @type {Error} */ (error).message.replace(/\.$/, ""));
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const env = process.env;
const portText = String(values.port ?? env.MGMTKIT_PORT ?? "3000");
if (!/^\d+$/.test(portText) || Number(portText) > 65_535) {
  fail(`the port must be an integer from 0 to 65535, not "${portText}"`);
}
const clientId = /** @type {string | undefined} */ (values["client-id"] ?? env.MGMTKIT_CLIENT_ID);
const clientSecret = /** @type {string | undefined} */ (
  values["client-secret"] ?? env.MGMTKIT_CLIENT_SECRET
);
if ((clientId === undefined) !== (clientSecret === undefined)) {
  fail("give both --client-id and --client-secret, or neither");
}

/** @type {import("./server.js").EraServer} */
let server;
try {
  server = await startEraServer({
    host: /** @type {string} */ (values.host ?? env.MGMTKIT_HOST ?? "127.0.0.1"),
    port: Number(portText),
    strict: values.strict === true || ["1", "true"].includes(env.MGMTKIT_ERA_STRICT ?? ""),
    ...(clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : {}),
  });
} catch (error) {
  process.stderr.write(`${NAME}: cannot listen: ${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}
if (clientId === undefined) {
  // Printed once, so that whoever started the server can obtain tokens.
  process.stdout.write(
    `${NAME}: generated client credentials\n  client_id: ${server.clientId}\n  client_secret: ${server.clientSecret}\n`,
  );
}
process.stdout.write(`${NAME} listening on ${server.url}\n`);
for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) {
  process.once(signal, () => server.close().then(() => process.exit(0)));
}
