import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import {
  createSpecValidator,
  getOperation,
  methodsAt,
  type OperationId,
  type OperationModel,
  operations,
  provisionedStrategies,
  type Strategy,
  socialStrategies,
} from "@mgmtkit/spec/model";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from "fastify";
import {
  connectionBody,
  connectionInput,
  newConnection,
  provisioningPath,
  replacedConnection,
} from "./connections.js";
import { errorBody, HttpError, OAuthError, sendError } from "./errors.js";
import { healthRoutes } from "./health.js";
import {
  NameTakenError,
  type Store,
  StoreFullError,
  StoreUnavailableError,
  type UserFilter,
} from "./storage.js";
import type { TokenService } from "./tokens.js";

/** The largest request body accepted, in bytes. */
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  store: Store;
  tokens: TokenService;
  /** The client id stored on connections created without one. */
  clientId: string;
  /** The host (and port) answered in URLs when a request carries no usable Host header. */
  fallbackHost: () => string;
  /** Called with every error that became a 500 answer; the answer itself says nothing about it. */
  onInternalError: (error: unknown, request: FastifyRequest) => void;
  https?: { cert: string | Buffer; key: string | Buffer };
  logger?: FastifyServerOptions["logger"];
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The methods a path answers, as an `Allow` header (`GET` implies `HEAD`); empty for an unknown path. */
function allowedAt(pathname: string): string {
  return methodsAt(pathname)
    .flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m]))
    .join(", ");
}

/** The body of a request whose media type has no parser. */
const UNPARSED = Symbol("unparsed body");

const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function pathOf(request: FastifyRequest): string {
  const url = request.raw.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The path as the router understands it: repeated slashes collapsed and percent-escapes decoded,
 * so that `//api/x` or `/%61pi/x` is recognised as the `/api/x` it routes to.
 */
function canonicalPath(request: FastifyRequest): string {
  const path = pathOf(request).replace(/\/{2,}/g, "/");
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Whether the request reaches, or would reach, something under /api. */
function needsToken(request: FastifyRequest): boolean {
  const route = request.is404 ? undefined : request.routeOptions.url;
  return (route !== undefined && isApiPath(route)) || isApiPath(canonicalPath(request));
}

function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

function isTokenRequest(request: FastifyRequest): boolean {
  return canonicalPath(request).replace(/\/+$/, "") === "/oauth/token";
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === "string") {
    const match = /^bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    if (match) return match[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.access_token;
  return typeof fromQuery === "string" ? fromQuery : undefined;
}

function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

const validator = createSpecValidator();

/** The schema of an operation's request body in one media type. */
function bodyRef(id: OperationId, mediaType: string): string {
  const media = getOperation(id).requestBody?.content.find((c) => c.mediaType === mediaType);
  if (!media) throw new Error(`${id} takes no ${mediaType} body in the spec.`);
  return media.schemaRef;
}

const createRef = bodyRef("createConnection", "application/json");
const replaceRef = bodyRef("updateConnection", "application/json");
const tokenRequestRef = bodyRef("getAccessToken", "application/x-www-form-urlencoded");

/** Checks a request body against the spec; the detail names each failing field. */
function checkBody(ref: string, data: unknown): { ok: true } | { ok: false; detail: string } {
  const problems = validator.problems(ref, data);
  return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join("; ") };
}

function requireJsonObject(request: FastifyRequest, what: string): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) {
    throw new HttpError(
      400,
      `The request body is required: send ${what} as JSON.`,
      "body is missing",
    );
  }
  return body as Record<string, unknown>;
}

function describeInvalid(what: string, detail: string): string {
  const first = detail.split("; ")[0] ?? detail;
  return `Invalid ${what}: ${first}.`;
}

/** Builds the fastify application serving the API over `store`. */
export function buildApp(options: AppOptions): FastifyInstance {
  const { store, tokens } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    bodyLimit: BODY_LIMIT,
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      // Connection names are at most 128 characters; longer path segments simply match nothing.
      maxParamLength: 2048,
    },
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply) => {
      if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
        return sendError(reply, 414, "The URL is longer than this server accepts.");
      }
      return sendError(reply, 400, "The URL is not valid (it holds a malformed percent-encoding).");
    },
  }) as unknown as FastifyInstance;

  // Bodies in other media types are not parsed: an operation that takes a body refuses them with
  // 415 (from the media types the spec lists for it), and one that takes none ignores them.
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, _body, done) => {
    done(null, UNPARSED);
  });

  const baseUrl = (request: FastifyRequest): string => {
    const host = request.host;
    const usable =
      typeof host === "string" && HOST_PATTERN.test(host) ? host : options.fallbackHost();
    return `${request.protocol}://${usable}`;
  };

  app.addHook("onRequest", async (request, reply) => {
    if (!needsToken(request)) return;
    const token = bearerToken(request);
    if (token === undefined) {
      reply.header("www-authenticate", 'Bearer realm="api"');
      throw new HttpError(
        401,
        "An access token is required, in the Authorization header or the access_token query parameter.",
      );
    }
    if (!(await tokens.verify(token))) {
      reply.header("www-authenticate", 'Bearer realm="api", error="invalid_token"');
      throw new HttpError(
        401,
        "The access token is unknown or expired; obtain a new one from /oauth/token.",
      );
    }
  });

  app.setErrorHandler((error: FastifyError | HttpError | OAuthError, request, reply) => {
    if (error instanceof OAuthError) {
      return reply
        .code(error.statusCode)
        .header("cache-control", "no-store")
        .send({ error: error.code, error_description: error.description });
    }
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendError(reply, error.statusCode, error.message, error.detail);
    }
    // The database is out of reach or out of space: the message names the cause, and nothing was
    // acknowledged (no token handed out, no write answered).
    if (error instanceof StoreUnavailableError || error instanceof StoreFullError) {
      if (error instanceof StoreUnavailableError) reply.header("retry-after", "1");
      return sendError(reply, error.statusCode, error.message);
    }
    const status = typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status < 400 || status >= 500) {
      options.onInternalError(error, request);
      return sendError(reply, 500, "The server could not complete the request.");
    }
    const [message, description] = clientErrorMessage(error as FastifyError, request);
    if (isTokenRequest(request) && status === 400) {
      return reply
        .code(400)
        .header("cache-control", "no-store")
        .send({ error: "invalid_request", error_description: description });
    }
    return sendError(reply, status, message);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request);
    const allow = allowedAt(canonicalPath(request));
    if (allow) {
      reply.header("allow", allow);
      return sendError(reply, 405, `${request.method} is not allowed here; use ${allow}.`);
    }
    return sendError(
      reply,
      404,
      `There is no ${request.method} ${path.slice(0, 200)} in this API.`,
    );
  });

  // The rendered list, kept while the store answers the same version (see `ConnectionList`), per
  // base URL, as the provisioning ticket URLs depend on it.
  let renderedList: { version: string; byBase: Map<string, string> } | undefined;

  const handlers: Record<OperationId, Handler> = {
    async getAccessToken(request, reply) {
      const body = request.body;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new OAuthError(
          400,
          "invalid_request",
          "The request body must hold client_id, client_secret and grant_type.",
        );
      }
      const params = body as Record<string, unknown>;
      for (const [name, value] of Object.entries(params)) {
        if (Array.isArray(value)) {
          throw new OAuthError(400, "invalid_request", `The ${name} parameter must be given once.`);
        }
      }
      if (typeof params.grant_type === "string" && params.grant_type !== "client_credentials") {
        throw new OAuthError(
          400,
          "unsupported_grant_type",
          "Only the client_credentials grant is supported.",
        );
      }
      const verdict = checkBody(tokenRequestRef, params);
      if (!verdict.ok) {
        const missing = /must have required property '([^']+)'/.exec(verdict.detail);
        throw new OAuthError(
          400,
          "invalid_request",
          missing
            ? `The ${missing[1]} parameter is required.`
            : `Invalid token request: ${verdict.detail.split("; ")[0]}.`,
        );
      }
      if (!tokens.authenticate(params.client_id as string, params.client_secret as string)) {
        throw new OAuthError(401, "invalid_client", "Client authentication failed.");
      }
      const { token, expiresIn } = await tokens.issue();
      reply.header("cache-control", "no-store").header("pragma", "no-cache");
      return { access_token: token, token_type: "bearer", expires_in: expiresIn };
    },

    async listConnections(request, reply) {
      const base = baseUrl(request);
      const { version, records } = await store.listConnections();
      if (renderedList?.version !== version) renderedList = { version, byBase: new Map() };
      const { byBase } = renderedList;
      let text = byBase.get(base);
      if (text === undefined) {
        text = JSON.stringify(records.map((c) => connectionBody(c, base)));
        if (byBase.size < 16) byBase.set(base, text);
      }
      return reply.type("application/json; charset=utf-8").send(text);
    },

    async createConnection(request, reply) {
      const body = requireJsonObject(request, "a connection object");
      const verdict = checkBody(createRef, body);
      if (!verdict.ok)
        throw new HttpError(400, describeInvalid("connection", verdict.detail), verdict.detail);
      const record = newConnection(connectionInput(body), options.clientId);
      try {
        await store.insertConnection(record);
      } catch (error) {
        if (error instanceof NameTakenError) throw new HttpError(409, error.message);
        throw error;
      }
      return reply.code(201).send(connectionBody(record, baseUrl(request)));
    },

    async getConnection(request) {
      const { connectionName } = request.params as { connectionName: string };
      const record = await store.getConnection(connectionName);
      if (!record) throw notFound(connectionName);
      return connectionBody(record, baseUrl(request));
    },

    async updateConnection(request) {
      const { connectionName } = request.params as { connectionName: string };
      const body = requireJsonObject(request, "the whole connection object");
      const verdict = checkBody(replaceRef, body);
      if (!verdict.ok)
        throw new HttpError(400, describeInvalid("connection", verdict.detail), verdict.detail);
      if (body.name !== connectionName) {
        throw new HttpError(
          400,
          `The body's name must be "${connectionName}", the name in the path; connections cannot be renamed.`,
          `name must equal the connection name in the path`,
        );
      }
      const current = await store.getConnection(connectionName);
      if (!current) throw notFound(connectionName);
      if (body.strategy !== current.strategy) {
        throw new HttpError(
          400,
          `The body's strategy must be "${current.strategy}", the connection's strategy; a connection's strategy cannot change.`,
          `strategy must equal the connection's current strategy`,
        );
      }
      const record = replacedConnection(current, connectionInput(body));
      if (!(await store.replaceConnection(record))) throw notFound(connectionName);
      return connectionBody(record, baseUrl(request));
    },

    async deleteConnection(request) {
      const { connectionName } = request.params as { connectionName: string };
      const id = await store.deleteConnection(connectionName);
      if (id === undefined) throw notFound(connectionName);
      return { removed: id };
    },

    listUsers: (request, reply) => listUsers(request, reply, "listUsers", {}),

    async listConnectionUsers(request, reply) {
      const { connectionName } = request.params as { connectionName: string };
      const connection = await store.getConnection(connectionName);
      if (!connection) throw notFound(connectionName);
      return listUsers(request, reply, "listConnectionUsers", { connectionId: connection.id });
    },

    listSocialConnectionUsers: (request, reply) =>
      listUsers(request, reply, "listSocialConnectionUsers", {
        strategies: socialStrategies,
        enabledOnly: true,
      }),
  };

  async function listUsers(
    request: FastifyRequest,
    reply: FastifyReply,
    operationId: OperationId,
    filter: UserFilter,
  ): Promise<unknown> {
    const query = validator.checkQuery(
      getOperation(operationId),
      request.query as Record<string, unknown>,
    );
    if (!query.ok) {
      const detail = query.problems.join("; ");
      throw new HttpError(400, describeInvalid("query", detail), detail);
    }
    const { per_page: perPage, page = 0 } = (query as { values: Record<string, number> }).values;
    if (perPage === undefined) {
      return (await store.listUsers(filter)).users.map((u) => u.user);
    }
    const { users, total } = await store.listUsers(filter, {
      limit: perPage,
      offset: perPage * page,
    });
    if (perPage * (page + 1) < total) {
      const path = pathOf(request).replace(/\/+$/, "");
      reply.header(
        "link",
        `<${baseUrl(request)}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"`,
      );
    }
    return users.map((u) => u.user);
  }

  function notFound(name: string): HttpError {
    return new HttpError(404, `No connection named ${JSON.stringify(name.slice(0, 200))}.`);
  }

  function register(instance: FastifyInstance, operation: OperationModel): void {
    const handler = handlers[operation.id];
    if (!handler) throw new Error(`No handler implements ${operation.id}.`);
    const accepted = operation.requestBody?.mediaTypes ?? [];
    instance.route({
      method: operation.method,
      url: operation.path.replace(/\{([^}]+)\}/g, ":$1"),
      handler: async (request, reply) => {
        // A body in a media type the operation does not take is refused before it is looked at.
        if (request.body === UNPARSED) {
          if (accepted.length > 0) throw unsupportedMediaType(request, accepted);
          request.body = undefined;
        }
        return handler(request, reply);
      },
    });
  }

  // The token endpoint also takes form-encoded bodies; the parser is registered only there.
  app.register(async (oauth) => {
    oauth.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_request, body, done) => {
        const params: Record<string, string | string[]> = {};
        for (const [key, value] of new URLSearchParams(body as string)) {
          const existing = params[key];
          params[key] = existing === undefined ? value : [...[existing].flat(), value];
        }
        done(null, params);
      },
    );
    for (const operation of operations.filter((o) => !isApiPath(o.path)))
      register(oauth, operation);
  });
  for (const operation of operations.filter((o) => isApiPath(o.path))) register(app, operation);

  app.register(healthRoutes, { store });

  // Where a provisioning_ticket_url leads: what the identity provider's administrator needs.
  app.get("/p/:strategy/:ticket", async (request) => {
    const { strategy, ticket } = request.params as { strategy: string; ticket: string };
    const connection = provisionedStrategies.includes(strategy as Strategy)
      ? (await store.listConnections()).records.find(
          (c) => c.strategy === strategy && c.provisioning_ticket === ticket,
        )
      : undefined;
    if (!connection?.provisioning_ticket) {
      throw new HttpError(404, "No connection has this provisioning ticket.");
    }
    return {
      connection: connection.name,
      strategy: connection.strategy,
      provisioning_ticket: connection.provisioning_ticket,
      provisioning_ticket_url: `${baseUrl(request)}${provisioningPath(connection.strategy, connection.provisioning_ticket)}`,
      instructions: `Configure your ${connection.strategy} identity provider to trust this tenant, then give this ticket to the tenant's administrator to activate the connection "${connection.name}".`,
    };
  });

  return app;
}

/**
 * Answers a request Node could not parse. Unlike the default handler it stays silent when a
 * response already went out on the socket: a client still streaming the body of a request that was
 * answered early (a bad URL, a missing token) must not receive a second, unrelated response.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !current?.headersSent) {
    const status =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? 408
        : error.code === "HPE_HEADER_OVERFLOW"
          ? 431
          : 400;
    const message =
      status === 408
        ? "The request took too long to arrive."
        : status === 431
          ? "The request headers are larger than this server accepts."
          : "The request is not valid HTTP.";
    const body = JSON.stringify(errorBody(status, message));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function unsupportedMediaType(request: FastifyRequest, accepted: readonly string[]): HttpError {
  const sent = mediaTypeOf(request) || "no media type";
  return new HttpError(415, `Send the body as ${accepted.join(" or ")}, not ${sent}.`);
}

function clientErrorMessage(error: FastifyError, request: FastifyRequest): [string, string] {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return ["The request body is not valid JSON.", "The request body is not valid JSON."];
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return [
        "The request body is empty although its Content-Type is application/json.",
        "The request body is empty.",
      ];
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return [
        `The request body is larger than ${BODY_LIMIT} bytes.`,
        `The request body is larger than ${BODY_LIMIT} bytes.`,
      ];
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return [
        `The body's media type (${mediaTypeOf(request) || "none"}) is not accepted here.`,
        "Unsupported media type.",
      ];
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return [
        "The request body does not match its Content-Length.",
        "The request body does not match its Content-Length.",
      ];
    default:
      return ["The request is not valid.", "The request is not valid."];
  }
}
