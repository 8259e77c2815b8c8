// The API of the era server: every request of the document, answered from an in-memory store.
// It reads the document's open points as a document-store server of the time would: options are
// stored as sent and a token parameter given twice takes its first value. Its stricter twin
// (`strict: true`) refuses option values of another type than the document shows and a token
// request that repeats a parameter. Every error it answers is an entry of errors.json.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { Store } from "./store.js";
import { mistypedOption, provisioned, strategies } from "./strategies.js";

/**
 * @typedef {import("node:http").IncomingMessage} Request
 * @typedef {import("node:http").ServerResponse} Response
 * @typedef {import("./store.js").Connection} Connection
 * @typedef {import("./store.js").ConnectionInput} ConnectionInput
 *
 * @typedef {object} ApiConfig
 * @property {string} clientId the client that may obtain tokens
 * @property {string} clientSecret its secret
 * @property {boolean} strict the stricter twin
 * @property {() => string} origin the server's origin, for the provisioning ticket URLs
 *
 * @typedef {{ status: number, body: Record<string, unknown>, headers?: Record<string, string> }} ErrorEntry
 */

/** @type {Record<string, ErrorEntry>} */
const errors = JSON.parse(readFileSync(new URL("./errors.json", import.meta.url), "utf8"));

/** Bodies larger than this are refused with 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** An answer that ends the handling of a request: an entry of errors.json. */
class ApiError extends Error {
  /**
   * @param {string} name the entry of errors.json
   * @param {Record<string, unknown>} [detail] added to the body
   * @param {Record<string, string>} [headers] added to the entry's
   */
  constructor(name, detail = {}, headers = {}) {
    const entry = errors[name];
    if (entry === undefined) throw new Error(`errors.json has no ${name}`);
    super(name);
    this.status = entry.status;
    this.body = { ...entry.body, ...detail };
    this.headers = { ...entry.headers, ...headers };
  }
}

/** @param {string} value */
const digest = (value) => createHash("sha256").update(value).digest();

/**
 * The request listener of one server, with its own store and tokens.
 * @param {ApiConfig} config
 * @returns {(req: Request, res: Response) => void}
 */
export function createApi({ clientId, clientSecret, strict, origin }) {
  const secretDigest = digest(clientSecret);
  const store = new Store();
  /** Tokens issued by this server; they last as long as it runs. */
  const tokens = new Set();

  /** @param {Request} req */
  async function issueToken(req) {
    if (mediaType(req) !== "application/x-www-form-urlencoded") {
      throw new ApiError("token_media_type");
    }
    const params = new URLSearchParams((await readBody(req)).toString("utf8"));
    const names = [...params.keys()];
    if (strict && new Set(names).size !== names.length) {
      throw new ApiError("token_parameter_repeated");
    }
    const grantType = params.get("grant_type");
    const id = params.get("client_id");
    const secret = params.get("client_secret");
    if (grantType === null || id === null || secret === null) {
      throw new ApiError("token_parameter_missing");
    }
    if (grantType !== "client_credentials") throw new ApiError("unsupported_grant_type");
    if (id !== clientId || !timingSafeEqual(digest(secret), secretDigest)) {
      throw new ApiError("invalid_client");
    }
    const token = randomBytes(32).toString("hex");
    tokens.add(token);
    return { access_token: token, token_type: "bearer" };
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
      if (match === null) throw new ApiError("authorization_malformed");
      presented.push(String(match[1]));
    }
    if (presented.length === 0) throw new ApiError("token_missing");
    if (!presented.every((token) => tokens.has(token))) throw new ApiError("token_invalid");
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
      provisioning_ticket_url: `${origin()}/p/${strategy}/${provisioning_ticket}`,
    };
  }

  /**
   * The connection object of a create or a replace, checked against what the document fixes.
   * @param {Request} req
   * @param {string} [pathName] the name in the path of a replace
   * @returns {Promise<ConnectionInput>}
   */
  async function connectionBody(req, pathName) {
    if (mediaType(req) !== "application/json") throw new ApiError("media_type");
    /** @type {unknown} */
    let body;
    try {
      body = JSON.parse((await readBody(req)).toString("utf8"));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError("json_invalid");
    }
    if (!isObject(body)) throw new ApiError("body_not_object");
    // "All object parameters must be included" in a replace; a create may leave out its status
    // and options, as the clients of the time did.
    const required = pathName === undefined ? REQUIRED_ON_CREATE : REQUIRED_ON_REPLACE;
    const missing = required.find((field) => body[field] === undefined);
    if (missing !== undefined) throw new ApiError("field_missing", { field: missing });
    const { name, strategy } = body;
    if (typeof name !== "string" || name === "") throw new ApiError("name_invalid");
    if (pathName !== undefined && name !== pathName) throw new ApiError("name_differs");
    if (typeof strategy !== "string" || !strategies.has(strategy)) {
      throw new ApiError("strategy_invalid");
    }
    const status = body.status ?? 0;
    if (status !== 0 && status !== 1) throw new ApiError("status_invalid");
    const options = body.options ?? {};
    if (!isObject(options)) throw new ApiError("options_invalid");
    const mistyped = strict ? mistypedOption(strategy, options) : undefined;
    if (mistyped !== undefined) throw new ApiError("option_mistyped", { option: mistyped });
    return { name, strategy, status, options };
  }

  /**
   * @param {Request} req
   * @returns {Promise<unknown>} the body of a 200
   */
  async function route(req) {
    const url = new URL(String(req.url), "http://era.invalid");
    const segments = pathSegments(url.pathname);
    const method = String(req.method);
    const path = segments.join("/");
    if (path === "oauth/token") {
      allow(method, ["POST"]);
      return issueToken(req);
    }
    if (segments[0] !== "api") throw new ApiError("not_found");
    authenticate(req, url.searchParams);

    if (path === "api/connections") {
      allow(method, ["GET", "POST"]);
      if (method === "GET") return store.list().map(view);
      const created = store.create(await connectionBody(req));
      if (created === undefined) throw new ApiError("name_taken");
      return view(created);
    }
    if (path === "api/users") {
      allow(method, ["GET"]);
      return store.users();
    }
    if (path === "api/socialconnections/users") {
      allow(method, ["GET"]);
      return store.socialUsers();
    }
    const [, collection, name, below, ...rest] = segments;
    if (collection !== "connections" || name === undefined || rest.length > 0) {
      throw new ApiError("not_found");
    }
    if (below !== undefined) {
      if (below !== "users") throw new ApiError("not_found");
      allow(method, ["GET"]);
      if (store.get(name) === undefined) throw new ApiError("connection_not_found");
      return store.usersOf(name);
    }
    allow(method, ["GET", "PUT", "DELETE"]);
    const current = store.get(name);
    if (method === "PUT") {
      const input = await connectionBody(req, name);
      if (current === undefined) throw new ApiError("connection_not_found");
      return view(store.replace(current, input));
    }
    if (current === undefined) throw new ApiError("connection_not_found");
    if (method === "GET") return view(current);
    store.remove(current);
    return { removed: current.id };
  }

  return (req, res) => {
    route(req).then(
      (body) => send(res, 200, body),
      (error) => {
        if (error instanceof ApiError) {
          send(res, error.status, error.body, error.headers);
          return;
        }
        console.error(error);
        const failure = /** @type {ErrorEntry} */ (errors.server_error);
        send(res, failure.status, failure.body);
      },
    );
  };
}

const REQUIRED_ON_CREATE = ["name", "strategy"];
const REQUIRED_ON_REPLACE = ["name", "strategy", "status", "options"];

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * @param {string} method
 * @param {string[]} methods
 */
function allow(method, methods) {
  if (!methods.includes(method)) {
    throw new ApiError("method_not_allowed", {}, { allow: methods.join(", ") });
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
    throw new ApiError("path_invalid");
  }
}

/** The media type of the request's body, lower-cased and without its parameters. @param {Request} req */
function mediaType(req) {
  return String(String(req.headers["content-type"]).split(";")[0]).trim().toLowerCase();
}

/**
 * The whole body, or a 413 as soon as it is too large.
 * @param {Request} req
 * @returns {Promise<Buffer>}
 */
async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError("body_too_large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
