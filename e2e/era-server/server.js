// A Management API v1 server written from the reference document alone, on node:http with an
// in-memory store. It reads the document's open points as a document-store server of the time
// would: options are stored as sent and a token parameter given twice takes its first value.
// Its stricter twin (`strict: true`) refuses option values of another type than the document
// shows and a token request that repeats a parameter.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Store } from "./store.js";
import { mistypedOption, provisioned, strategies } from "./strategies.js";

/**
 * @typedef {import("node:http").IncomingMessage} Request
 * @typedef {import("node:http").ServerResponse} Response
 * @typedef {import("./store.js").Connection} Connection
 * @typedef {import("./store.js").ConnectionInput} ConnectionInput
 *
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

/** Bodies larger than this are refused with 413 before they are read whole. */
const MAX_BODY_BYTES = 1024 * 1024;

/** An answer that ends the handling of a request: an HTTP status and its JSON body. */
class HttpError extends Error {
  /**
   * @param {number} status
   * @param {Record<string, unknown>} body
   * @param {Record<string, string>} [headers]
   */
  constructor(status, body, headers = {}) {
    super(String(body.error));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** @param {string} message */
const badRequest = (message) => new HttpError(400, { error: "bad_request", message });

/** @param {string} value */
const digest = (value) => createHash("sha256").update(value).digest();

/**
 * @param {EraOptions} [options]
 * @returns {Promise<EraServer>}
 */
export async function startEraServer(options = {}) {
  const clientId = options.clientId ?? `era-${randomBytes(6).toString("hex")}`;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString("base64url");
  const secretDigest = digest(clientSecret);
  const strict = options.strict === true;
  const store = new Store();
  /** Tokens issued by this server; they last as long as it runs. */
  const tokens = new Set();
  let origin = "";

  /** @param {Request} req */
  async function issueToken(req) {
    const type = mediaType(req);
    if (type !== "application/x-www-form-urlencoded") {
      throw new HttpError(415, {
        error: "invalid_request",
        error_description: "Send the parameters as application/x-www-form-urlencoded.",
      });
    }
    const params = new URLSearchParams((await readBody(req)).toString("utf8"));
    if (strict) {
      const names = [...params.keys()];
      const repeated = names.find((name, index) => names.indexOf(name) !== index);
      if (repeated !== undefined) {
        throw oauthError(400, "invalid_request", `The parameter ${repeated} is given twice.`);
      }
    }
    const grantType = params.get("grant_type");
    const id = params.get("client_id");
    const secret = params.get("client_secret");
    if (grantType === null || id === null || secret === null) {
      throw oauthError(
        400,
        "invalid_request",
        "grant_type, client_id and client_secret are required.",
      );
    }
    if (grantType !== "client_credentials") {
      throw oauthError(400, "unsupported_grant_type", "Only client_credentials is supported.");
    }
    if (id !== clientId || !timingSafeEqual(digest(secret), secretDigest)) {
      throw oauthError(401, "invalid_client", "The client credentials are not valid.");
    }
    const token = randomBytes(32).toString("hex");
    tokens.add(token);
    return { status: 200, body: { access_token: token, token_type: "bearer" } };
  }

  /**
   * Every token the request presents, in the header and the query alike, must be one this
   * server issued; at least one must be there.
   * @param {Request} req
   * @param {URLSearchParams} query
   */
  function authenticate(req, query) {
    const presented = query.getAll("access_token");
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^bearer +(\S+) *$/i.exec(header);
      if (match === null) {
        throw new HttpError(
          401,
          { error: "invalid_token", message: "Use Authorization: bearer {ACCESS-TOKEN}." },
          { "www-authenticate": 'Bearer error="invalid_request"' },
        );
      }
      presented.push(/** @type {string} */ (match[1]));
    }
    if (presented.length === 0) {
      throw new HttpError(
        401,
        { error: "unauthorized", message: "An access token is required." },
        { "www-authenticate": "Bearer" },
      );
    }
    if (!presented.every((token) => tokens.has(token))) {
      throw new HttpError(
        401,
        { error: "invalid_token", message: "The access token is not valid." },
        { "www-authenticate": 'Bearer error="invalid_token"' },
      );
    }
  }

  /**
   * A connection as the API shows it.
   * @param {Connection} connection
   */
  function view(connection) {
    const { id, name, strategy, status, options, provisioning_ticket } = connection;
    const shown = { id, client_id: clientId, name, options, status, strategy };
    if (!provisioned.has(strategy)) return shown;
    return {
      ...shown,
      provisioning_ticket,
      provisioning_ticket_url: `${origin}/p/${strategy}/${provisioning_ticket}`,
    };
  }

  /**
   * The connection object of a create or a replace, checked against what the document fixes.
   * @param {Request} req
   * @param {string} [pathName] the name in the path of a replace
   * @returns {Promise<ConnectionInput>}
   */
  async function connectionBody(req, pathName) {
    if (mediaType(req) !== "application/json") {
      throw new HttpError(415, {
        error: "unsupported_media_type",
        message: "Send the connection object as application/json.",
      });
    }
    /** @type {unknown} */
    let body;
    try {
      body = JSON.parse((await readBody(req)).toString("utf8"));
    } catch {
      throw badRequest("The body is not valid JSON.");
    }
    if (!isObject(body)) throw badRequest("The body must be a connection object.");
    // "All object parameters must be included" in a replace; a create may leave out its status
    // and options, as the clients of the time did.
    const missing = ["name", "strategy", ...(pathName === undefined ? [] : ["status", "options"])];
    const absent = missing.find((field) => body[field] === undefined);
    if (absent !== undefined) throw badRequest(`${absent} is required.`);
    const { name } = body;
    if (typeof name !== "string" || name === "") {
      throw badRequest("name must be a non-empty string.");
    }
    if (pathName !== undefined && name !== pathName) {
      throw badRequest("name must be the name in the path; a connection cannot be renamed.");
    }
    const { strategy } = body;
    if (typeof strategy !== "string" || !strategies.has(strategy)) {
      throw badRequest(`strategy must be one of ${[...strategies].join(", ")}.`);
    }
    const status = body.status ?? 0;
    if (status !== 0 && status !== 1) throw badRequest("status must be 0 or 1.");
    const options = body.options ?? {};
    if (!isObject(options)) throw badRequest("options must be an object.");
    if (strict) {
      const mistyped = mistypedOption(strategy, options);
      if (mistyped !== undefined) {
        throw badRequest(
          `options.${mistyped} does not have the type the ${strategy} strategy uses.`,
        );
      }
    }
    return { name, strategy, status, options };
  }

  /**
   * @param {Request} req
   * @returns {Promise<{ status: number, body: unknown }>}
   */
  async function route(req) {
    const url = new URL(req.url ?? "/", "http://era.invalid");
    const segments = pathSegments(url.pathname);
    const method = req.method ?? "GET";
    const path = segments.join("/");
    if (path === "oauth/token") {
      allow(method, ["POST"]);
      return issueToken(req);
    }
    if (segments[0] !== "api") throw notFound();
    authenticate(req, url.searchParams);

    if (path === "api/connections") {
      allow(method, ["GET", "POST"]);
      if (method === "GET") return ok(store.list().map(view));
      const created = store.create(await connectionBody(req));
      if (created === undefined) {
        throw new HttpError(409, {
          error: "conflict",
          message: "A connection with this name exists.",
        });
      }
      return ok(view(created));
    }
    if (path === "api/users") {
      allow(method, ["GET"]);
      return ok(store.users());
    }
    if (path === "api/socialconnections/users") {
      allow(method, ["GET"]);
      return ok(store.socialUsers());
    }
    if (segments[1] !== "connections" || segments.length < 3 || segments.length > 4) {
      throw notFound();
    }
    const name = /** @type {string} */ (segments[2]);
    if (segments.length === 4) {
      if (segments[3] !== "users") throw notFound();
      allow(method, ["GET"]);
      if (store.get(name) === undefined) throw noConnection(name);
      return ok(store.usersOf(name));
    }
    allow(method, ["GET", "PUT", "DELETE"]);
    const current = store.get(name);
    if (method === "PUT") {
      const input = await connectionBody(req, name);
      if (current === undefined) throw noConnection(name);
      return ok(view(store.replace(current, input)));
    }
    if (current === undefined) throw noConnection(name);
    if (method === "GET") return ok(view(current));
    store.remove(current);
    return ok({ removed: current.id });
  }

  const server = createServer((req, res) => {
    route(req).then(
      ({ status, body }) => send(res, status, body),
      (error) => {
        if (error instanceof HttpError) {
          send(res, error.status, error.body, error.headers);
          return;
        }
        process.stderr.write(`era-server: ${req.method} failed: ${error?.stack ?? error}\n`);
        send(res, 500, { error: "server_error", message: "The request could not be handled." });
      },
    );
  });
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

/** @param {unknown} body */
const ok = (body) => ({ status: 200, body });

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

const notFound = () => new HttpError(404, { error: "not_found", message: "No such resource." });

/** @param {string} name */
const noConnection = (name) =>
  new HttpError(404, { error: "not_found", message: `No connection is named ${name}.` });

/**
 * @param {number} status
 * @param {string} error
 * @param {string} description
 */
const oauthError = (status, error, description) =>
  new HttpError(status, { error, error_description: description });

/**
 * @param {string} method
 * @param {string[]} methods
 */
function allow(method, methods) {
  if (!methods.includes(method)) {
    throw new HttpError(
      405,
      { error: "method_not_allowed", message: `Use ${methods.join(" or ")}.` },
      { allow: methods.join(", ") },
    );
  }
}

/**
 * The path's segments, decoded one by one (so that a name may hold an encoded slash), without
 * the empty one a trailing slash leaves.
 * @param {string} pathname
 */
function pathSegments(pathname) {
  const raw = pathname.split("/").slice(1);
  if (raw.length > 1 && raw.at(-1) === "") raw.pop();
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    throw badRequest("The path is not valid percent-encoding.");
  }
}

/** The media type of the request's body, lower-cased and without its parameters. @param {Request} req */
function mediaType(req) {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
}

/**
 * The whole body, or a 413 as soon as it is too large.
 * @param {Request} req
 * @returns {Promise<Buffer>}
 */
async function readBody(req) {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// The rest of a body that large is not worth reading: the connection closes after the answer.
const tooLarge = () =>
  new HttpError(
    413,
    { error: "payload_too_large", message: "The body exceeds 1 MiB." },
    { connection: "close" },
  );

/**
 * @param {Response} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}
