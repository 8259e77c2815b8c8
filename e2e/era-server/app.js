// The API of the era server: every request of the document, answered from an in-memory store.
// It reads the document's open points as a document-store server of the time would: options are
// stored as sent and a token parameter given twice takes its first value. Its stricter twin
// (`strict: true`) refuses option values of another type than the document shows and a token
// request that repeats a parameter. Every error it answers is an entry of errors.json.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import { Store } from "./store.js";
import { mistypedOption, strategies } from "./strategies.js";

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
const errors = createRequire(import.meta.url)("./errors.json");

/** Bodies larger than this are refused with 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** An answer that ends the handling of a request: an entry of errors.json. */
class ApiError extends Error {
  /**
   * @param {string} name the entry of errors.json
   * @param {Record<string, string>} [headers] added to the entry's
   */
  constructor(name, headers = {}) {
    const entry = /** @type {ErrorEntry} */ (errors[name]);
    super(name);
    this.status = entry.status;
    this.body = entry.body;
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
    // The document's form encoding, whatever the Content-Type says: a client of the time that
    // leaves the header out still gets its token.
    const params = new URLSearchParams(String(await readBody(req)));
    const names = [...params.keys()];
    if (strict && new Set(names).size !== names.length) {
      throw new ApiError("token_parameter_repeated");
    }
    // A missing grant type is not client_credentials, and missing credentials are not the
    // client's (RFC 6749 section 5.2: "no client authentication included" is invalid_client).
    if (params.get("grant_type") !== "client_credentials") {
      throw new ApiError("unsupported_grant_type");
    }
    const secret = params.get("client_secret");
    const secretMatches = secret !== null && timingSafeEqual(digest(secret), secretDigest);
    if (params.get("client_id") !== clientId || !secretMatches)
      throw new ApiError("invalid_client");
    const token = randomBytes(32).toString("hex");
    tokens.add(token);
    return { access_token: token, token_type: "bearer" };
  }

  /**
   * The request's token must be one this server issued. The Authorization header "is used in
   * place of the query string": when it is there, the query's access_token is not read.
   * @param {Request} req
   * @param {URLSearchParams} query
   */
  function authenticate(req, query) {
    const header = req.headers.authorization;
    let token = query.get("access_token");
    if (header !== undefined) {
      // "Authorization: bearer {ACCESS-TOKEN}", the scheme in any case (RFC 7235).
      if (header.slice(0, BEARER.length).toLowerCase() !== BEARER) {
        throw new ApiError("authorization_malformed");
      }
      token = header.slice(BEARER.length);
    }
    // No token is no token this server issued.
    if (!tokens.has(token)) throw new ApiError("token_invalid");
  }

  /**
   * A connection as the API shows it.
   * @param {Connection} connection
   */
  function view(connection) {
    return { ...connection, client_id: clientId };
  }

  /**
   * The connection object of a create or a replace, checked against what the document fixes.
   * @param {Request} req
   * @param {string} [pathName] the name in the path of a replace
   * @returns {Promise<ConnectionInput>}
   */
  async function connectionBody(req, pathName) {
    // The body is read as JSON whatever its Content-Type, as the document's clients send it.
    const body = parseJson(String(await readBody(req)));
    if (!isObject(body)) throw new ApiError("body_not_object");
    // "All object parameters must be included" in a replace; a create may leave out its status
    // and options, as the clients of the time did.
    if (pathName !== undefined && (body.status === undefined || body.options === undefined)) {
      throw new ApiError("field_missing");
    }
    const { name, strategy } = body;
    if (typeof name !== "string" || name === "") throw new ApiError("name_invalid");
    if (pathName !== undefined && name !== pathName) throw new ApiError("name_differs");
    if (!strategies.has(/** @type {string} */ (strategy))) throw new ApiError("strategy_invalid");
    const status = body.status ?? 0;
    if (status !== 0 && status !== 1) throw new ApiError("status_invalid");
    const options = body.options ?? {};
    if (!isObject(options)) throw new ApiError("options_invalid");
    if (strict && mistypedOption(/** @type {string} */ (strategy), options)) {
      throw new ApiError("option_mistyped");
    }
    return { name, strategy: /** @type {string} */ (strategy), status, options };
  }

  /**
   * Each path of the document, `*` standing for a connection's name, and what each of its
   * methods does; `name` is the path's connection name.
   * @type {Array<[string, Record<string, (req: Request, name: string) => unknown>]>}
   */
  const routes = [
    ["oauth/token", { POST: issueToken }],
    [
      "api/connections",
      {
        GET: () => store.list().map(view),
        POST: async (req) => {
          const created = store.create(await connectionBody(req), origin());
          if (created === undefined) throw new ApiError("name_taken");
          return view(created);
        },
      },
    ],
    [
      "api/connections/*",
      {
        GET: (_req, name) => view(existing(name)),
        PUT: async (req, name) => {
          const input = await connectionBody(req, name);
          const current = existing(name);
          if (input.strategy !== current.strategy) throw new ApiError("strategy_differs");
          return view(store.replace(current, input));
        },
        DELETE: (_req, name) => {
          const connection = existing(name);
          store.remove(connection);
          return { removed: connection.id };
        },
      },
    ],
    ["api/connections/*/users", { GET: (_req, name) => store.usersOf(existing(name).name) }],
    ["api/users", { GET: () => store.users() }],
    ["api/socialconnections/users", { GET: () => store.socialUsers() }],
  ];

  /** @param {string} name */
  function existing(name) {
    const connection = store.get(name);
    if (connection === undefined) throw new ApiError("connection_not_found");
    return connection;
  }

  /**
   * @param {Request} req
   * @returns {Promise<unknown>} the body of a 200
   */
  async function route(req) {
    const url = new URL(String(req.url), "http://era.invalid");
    const segments = pathSegments(url.pathname);
    const found = routes.find(([pattern]) => matches(pattern, segments));
    if (found === undefined) throw new ApiError("not_found");
    const [pattern, methods] = found;
    if (pattern !== "oauth/token") authenticate(req, url.searchParams);
    const handler = methods[String(req.method)];
    if (handler === undefined) {
      throw new ApiError("method_not_allowed", { allow: Object.keys(methods).join(", ") });
    }
    return handler(req, String(segments[2]));
  }

  return (req, res) => {
    route(req).then(
      (body) => send(res, 200, body),
      (error) => {
        const answer = error instanceof ApiError ? error : internalError(error);
        send(res, answer.status, answer.body, answer.headers);
      },
    );
  };
}

const BEARER = "bearer ";

/**
 * A fault of this server's (or a client gone mid-request): logged, and answered 500.
 * @param {unknown} error
 */
function internalError(error) {
  console.error(error);
  return new ApiError("server_error");
}

/**
 * The JSON value of the text, or undefined when it is not JSON.
 * @param {string} text
 * @returns {unknown}
 */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: no value, which is not a connection object either.
  }
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Whether the path's segments are those of the pattern, `*` matching any one segment.
 * @param {string} pattern
 * @param {string[]} segments
 */
function matches(pattern, segments) {
  const parts = pattern.split("/");
  return (
    parts.length === segments.length &&
    parts.every((part, index) => part === "*" || part === segments[index])
  );
}

/**
 * The path's segments, decoded one by one (so that a name may hold an encoded slash), without
 * the empty one a trailing slash leaves.
 * @param {string} pathname
 */
function pathSegments(pathname) {
  const raw = pathname.split("/").slice(1);
  if (raw.at(-1) === "") raw.pop();
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new ApiError("path_invalid");
  }
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
