import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { BODY_LIMIT, decodeBody, readForm, readJson } from "../body-readers.js";
import { errors } from "../errors.js";
import { noRoute } from "./errors.js";

/** The body of a request whose media type has no parser; see `refuseUnparsed`. */
export const UNPARSED: unique symbol = Symbol("unparsed body");

/**
 * Refuses a body no parser read (415) on a route that takes one, in the media types it names;
 * a route that takes no body ignores it.
 */
export function refuseUnparsed(
  request: { body: unknown; headers: IncomingHttpHeaders },
  accepted: readonly string[],
): void {
  if (request.body !== UNPARSED) return;
  if (accepted.length === 0) {
    request.body = undefined;
    return;
  }
  const sent = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  throw new errors.MGMT_ERR_UNSUPPORTED_MEDIA_TYPE(accepted.join(" or "), sent || "no media type");
}

/** Registers the form-encoded parser in `app`'s context only (the token endpoint takes forms). */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "buffer" },
    async (request: FastifyRequest, body: Buffer) =>
      readForm(decodeBody(body, request.headers["content-type"])),
  );
}

/** Whether the request announces a body (fastify reads none for GET and HEAD). */
function hasBody(request: FastifyRequest): boolean {
  if (request.method === "GET" || request.method === "HEAD") return false;
  const { "transfer-encoding": chunked, "content-length": length } = request.headers;
  return chunked !== undefined || (length !== undefined && length !== "0");
}

/**
 * Passes the body through, failing it with 408 once `ms` went by before its end: a body that
 * stalls, or trickles in a byte at a time, is cut off here rather than holding its connection.
 */
function bodyDeadline(request: FastifyRequest, payload: Readable, ms: number): Readable {
  const guarded = new PassThrough();
  const timer = setTimeout(() => {
    payload.unpipe(guarded);
    guarded.destroy(new errors.MGMT_ERR_BODY_TIMEOUT(ms / 1000));
  }, ms);
  const stop = () => clearTimeout(timer);
  guarded.once("end", stop).once("close", stop);
  // With no reader left (the answer went out first), the timer's error must not go unhandled.
  guarded.on("error", () => {});
  request.raw.once("close", stop);
  payload.once("error", (error) => guarded.destroy(error));
  payload.pipe(guarded);
  return guarded;
}

/**
 * The largest declared body that is read, and dropped, before its 413 goes out. Answering while
 * the client still sends, then closing, makes this side's kernel answer the rest with a reset,
 * which can discard the 413 at the client before it is read (RFC 9112 section 9.6): a Node client
 * saw "socket hang up" instead of a 413 about one time in twenty. Read first, the 413 always
 * arrives, and the connection stays open. A body declared larger still is answered at once.
 */
export const DRAIN_LIMIT = 16 * 1024 * 1024;

/** Drops a body too large to keep, then refuses it with 413. */
async function refuseAfterReading(payload: Readable): Promise<never> {
  for await (const _chunk of payload) {
    // Dropped: only its end matters.
  }
  throw new errors.MGMT_ERR_BODY_TOO_LARGE(BODY_LIMIT);
}

/**
 * How bodies are read: JSON everywhere (see `readJson`: depth, duplicate keys, numbers), in UTF-8
 * only; bodies in other media types are left unparsed for the route to refuse or ignore; and every
 * body must arrive within `bodyTimeoutMs` of its headers.
 */
export const bodyParsing = fp<{ bodyTimeoutMs: number }>(
  async (app, { bodyTimeoutMs }) => {
    app.removeContentTypeParser(["application/json", "text/plain"]);
    app.addContentTypeParser(
      "application/json",
      { parseAs: "buffer" },
      async (request: FastifyRequest, body: Buffer) =>
        readJson(decodeBody(body, request.headers["content-type"])),
    );
    app.addContentTypeParser("*", { parseAs: "buffer" }, async () => UNPARSED);

    // A client that asks to be invited (`Expect: 100-continue`, as curl does past 1 MB) is invited
    // only when its body is about to be read: a request refused before that (401, 404, 405, 413
    // for a declared length over the limit) is answered without it, and Node then closes the
    // connection, so the client never sends a body nobody reads.
    // Node decides which requests those are (its own reading of the header); they are noted here.
    const awaitingInvitation = new WeakSet<IncomingMessage>();
    app.server.on("checkContinue", (req, res) => {
      awaitingInvitation.add(req);
      app.server.emit("request", req, res);
    });

    app.addHook("preParsing", async (request, reply, payload) => {
      if (!hasBody(request)) return payload;
      const length = Number(request.headers["content-length"]);
      if (awaitingInvitation.has(request.raw)) {
        // fastify reads bodies for its not-found handler too; that answer needs none.
        if (request.is404) throw noRoute(request, reply);
        if (length > BODY_LIMIT) throw new errors.MGMT_ERR_BODY_TOO_LARGE(BODY_LIMIT);
        reply.raw.writeContinue();
      }
      const guarded = bodyDeadline(request, payload, bodyTimeoutMs);
      // Fastify refuses the rest (over the limit at once, or a chunked body as it passes it).
      if (length > BODY_LIMIT && length <= DRAIN_LIMIT) return refuseAfterReading(guarded);
      return guarded;
    });
  },
  { name: "body-parsing" },
);
