// Serves the built site on this machine: `pnpm --filter docs run serve [-- --port 8080]`. The
// browser test serves dist/ through the same code.
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Starts a static file server for `root`; answers its URL and a function that stops it.
 * @param {{ root: string, host?: string, port?: number }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, host = "127.0.0.1", port = 0 }) {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    const send = (/** @type {number} */ status, /** @type {string} */ text) => {
      response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      response.end(`${text}\n`);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("allow", "GET, HEAD");
      return send(405, "Method not allowed.");
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    } catch {
      return send(400, "Malformed URL.");
    }
    let file = resolve(base, `.${pathname}`);
    if (file !== base && !file.startsWith(base + sep)) return send(404, "Not found.");
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const info = await stat(file);
      response.writeHead(200, {
        "content-type":
          contentTypes[/** @type {keyof typeof contentTypes} */ (extname(file))] ??
          "application/octet-stream",
        "content-length": info.size,
        "cache-control": "no-cache",
      });
      if (request.method === "HEAD") return response.end();
      createReadStream(file).pipe(response);
    } catch {
      send(404, "Not found.");
    }
  });
  await new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolvePromise(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("The server has no TCP address.");
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

async function main() {
  const usage = "Usage: node scripts/serve.mjs [--host 127.0.0.1] [--port 4173] [--dir dist]";
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: process.env.PORT ?? "4173" },
        dir: { type: "string", default: fileURLToPath(new URL("../dist", import.meta.url)) },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}. ${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number from 0 to 65535, not "${values.port}".`);
    process.exit(2);
  }
  if (!existsSync(join(values.dir, "index.html"))) {
    console.error(`${values.dir} holds no built site: run \`pnpm --filter docs build\` first.`);
    process.exit(2);
  }
  try {
    const { url, close } = await startStaticServer({ root: values.dir, host: values.host, port });
    console.log(`docs served on ${url}/`);
    for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
      process.once(signal, () => void close().then(() => process.exit(0)));
    }
  } catch (error) {
    console.error(
      `Cannot serve on ${values.host}:${port} (${/** @type {NodeJS.ErrnoException} */ (error).code ?? /** @type {Error} */ (error).message}).`,
    );
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
