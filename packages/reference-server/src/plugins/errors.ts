import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { methodsAt } from "@mgmtkit/spec/model";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { BODY_LIMIT } from "../body-readers.js";
import { type ApiError, errorBody, errors, isApiError } from "../errors.js";
import { canonicalPath, pathOf } from "../request-paths.js";
import { targetProblem } from "../request-target.js";
import { StoreFullError, StoreUnavailableError } from "../storage.js";

/** Told about every error that became a 500 answer; the answer itself says nothing about it. */
export type InternalErrorListener = (error: unknown, request: FastifyRequest) => void;

/**
 * The catalog error an error is answered as. Catalog errors stand as thrown; fastify's own and the
 * store's are translated; anything else is a fault of the server (500), reported to `onInternal`.
 */
export function toApiError(
  error: unknown,
  request: FastifyRequest,
  onInternal: InternalErrorListener,
): ApiError {
  if (isApiError(error)) return error;
  if (error instanceof StoreUnavailableError)
    return new errors.MGMT_ERR_STORE_UNAVAILABLE(error.message);
  if (error instanceof StoreFullError) return new errors.MGMT_ERR_STORE_FULL(error.message);
  const { code, statusCode } = fastifyFields(error);
  switch (code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new errors.MGMT_ERR_BODY_TOO_LARGE(BODY_LIMIT);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new errors.MGMT_ERR_CONTENT_LENGTH();
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new errors.MGMT_ERR_MALFORMED_MEDIA_TYPE(
        JSON.stringify(request.headers["content-type"] ?? ""),
      );
  }
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
    // A client error fastify or Node found that the catalog does not name (a client that hung up
    // mid-body, say): a plain 400.
    return new errors.MGMT_ERR_INVALID_REQUEST();
  }
  onInternal(error, request);
  return new errors.MGMT_ERR_INTERNAL();
}

/** The `code` and `statusCode` fastify's and Node's errors carry, when they do. */
function fastifyFields(error: unknown): { code?: unknown; statusCode?: unknown } {
  if (typeof error !== "object" || error === null) return {};
  return {
    ...("code" in error ? { code: error.code } : {}),
    ...("statusCode" in error ? { statusCode: error.statusCode } : {}),
  };
}

/** Answers a catalog error as the JSON error body; a store outage also says when to retry. */
export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.code === "MGMT_ERR_STORE_UNAVAILABLE" || error.code === "MGMT_ERR_SHUTTING_DOWN") {
    reply.header("retry-after", "1");
  }
  // The rest of a body that took too long is not worth reading: the connection goes.
  if (error.statusCode === 408) reply.header("connection", "close");
  return reply
    .code(error.statusCode)
    .type("application/json; charset=utf-8")
    .send(errorBody(error));
}

/** The methods a path answers, as an `Allow` header (`GET` implies `HEAD`); empty for an unknown path. */
function allowedAt(pathname: string): string {
  return methodsAt(pathname)
    .flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m]))
    .join(", ");
}

/**
 * Why no route answers `request`: 405 with `Allow` (set on `reply`) when the path answers other
 * methods, else 404.
 */
export function noRoute(request: FastifyRequest, reply: FastifyReply): ApiError {
  const allow = allowedAt(canonicalPath(request));
  if (!allow)
    return new errors.MGMT_ERR_ROUTE_NOT_FOUND(request.method, pathOf(request).slice(0, 200));
  reply.header("allow", allow);
  return new errors.MGMT_ERR_METHOD_NOT_ALLOWED(request.method, allow);
}

/**
 * The one error handler (routes that answer in another format, the token endpoint's RFC 6749
 * bodies, set their own on top of `toApiError`), and the 404 / 405 answers.
 */
export const errorHandling = fp<{ onInternalError: InternalErrorListener }>(
  async (app, { onInternalError }) => {
    app.setErrorHandler((error, request, reply) =>
      sendApiError(reply, toApiError(error, request, onInternalError)),
    );

    app.setNotFoundHandler(async (request, reply) => sendApiError(reply, noRoute(request, reply)));
  },
  { name: "errors" },
);

/**
 * Answers what the router refuses before any hook runs: a target that is no path (the router finds
 * none in `ftp://…`), a URL it cannot decode or store.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header("cache-control", "no-store");
  sendApiError(
    reply,
    targetProblem(request) ??
      (error.code === "FST_ERR_MAX_PARAM_LENGTH"
        ? new errors.MGMT_ERR_URL_TOO_LONG()
        : new errors.MGMT_ERR_MALFORMED_URL()),
  );
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * The last request and response of each socket, through the server's public `request` event, so
 * that an error of the socket can tell whether an answer is on its way or already went out.
 */
export class ResponseTracker {
  readonly #last = new WeakMap<Duplex, Exchange>();

  watch(server: Pick<Server, "on">): void {
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.#last.set(req.socket, { req, res });
    });
  }

  last(socket: Duplex): Exchange | undefined {
    return this.#last.get(socket);
  }
}

/** Whether the exchange ends its connection (`Connection: close` either way, or HTTP/1.0). */
function closesConnection({ req, res }: Exchange): boolean {
  const asked = `${req.headers.connection ?? ""},${String(res.getHeader("connection") ?? "")}`;
  if (/(?:^|,)\s*close\s*(?:,|$)/i.test(asked)) return true;
  return req.httpVersion === "1.0" && !/keep-alive/i.test(req.headers.connection ?? "");
}

/**
 * Answers what Node could not parse, or a request that missed its deadline (408), writing straight
 * to the socket since no fastify request exists for it; then closes the connection. Unlike Node's
 * default it never sends a second, unrelated response:
 * - when the bytes that failed follow a whole request (pipelined garbage), that request's answer
 *   goes out first, and the connection closes after it;
 * - when an answer already went out for a request whose body is still arriving (a bad URL, a
 *   missing token answered before the body), or for a request that closed the connection, the
 *   connection just closes.
 */
export function clientErrorHandler(
  responses: ResponseTracker,
  requestTimeoutMs: number,
): (error: Error & { code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const last = responses.last(socket);
    if (last?.req.complete && !last.res.writableFinished) {
      if (!last.res.headersSent) last.res.setHeader("connection", "close");
      last.res.once("close", () => socket.destroy());
      return;
    }
    // A whole request here was answered already; an incomplete one may have been answered early.
    const silent = last && (last.req.complete ? closesConnection(last) : last.res.headersSent);
    if (socket.writable && !silent) {
      const answer =
        error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? new errors.MGMT_ERR_REQUEST_TIMEOUT(requestTimeoutMs / 1000)
          : error.code === "HPE_HEADER_OVERFLOW"
            ? new errors.MGMT_ERR_HEADERS_TOO_LARGE()
            : new errors.MGMT_ERR_MALFORMED_HTTP();
      const body = JSON.stringify(errorBody(answer));
      socket.write(
        `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
