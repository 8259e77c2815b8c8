// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { methodsAt } from "@mgmtkit/spec/model";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { BODY_LIMIT } from "../body-readers.js";
import { type ApiError, errorBody, errors, isApiError } from "../errors.js";
import { canonicalPath, pathOf } from "../request-paths.js";
import { StoreFullError, StoreUnavailableError } from "../storage.js";

/** Told about every error that became a 500 answer; the answer itself says nothing about it. */
export type InternalErrorListener = (error: unknown, request: FastifyRequest) => void;

/**
 * The catalog error an error is answered as. Catalog errors stand as thrown; fastify's own and the
 * store's are translated; anything else is a fault of the server (500), reported to `onInternal`.
 */
export function toApiError(error: unknown, request: FastifyRequest, onInternal: InternalErrorListener): ApiError {
  if (stryMutAct_9fa48("206")) {
    {}
  } else {
    stryCov_9fa48("206");
    if (stryMutAct_9fa48("208") ? false : stryMutAct_9fa48("207") ? true : (stryCov_9fa48("207", "208"), isApiError(error))) return error;
    if (stryMutAct_9fa48("210") ? false : stryMutAct_9fa48("209") ? true : (stryCov_9fa48("209", "210"), error instanceof StoreUnavailableError)) return new errors.MGMT_ERR_STORE_UNAVAILABLE(error.message);
    if (stryMutAct_9fa48("212") ? false : stryMutAct_9fa48("211") ? true : (stryCov_9fa48("211", "212"), error instanceof StoreFullError)) return new errors.MGMT_ERR_STORE_FULL(error.message);
    const {
      code,
      statusCode
    } = fastifyFields(error);
    switch (code) {
      case stryMutAct_9fa48("214") ? "" : (stryCov_9fa48("214"), "FST_ERR_CTP_BODY_TOO_LARGE"):
        if (stryMutAct_9fa48("213")) {} else {
          stryCov_9fa48("213");
          return new errors.MGMT_ERR_BODY_TOO_LARGE(BODY_LIMIT);
        }
      case stryMutAct_9fa48("216") ? "" : (stryCov_9fa48("216"), "FST_ERR_CTP_INVALID_CONTENT_LENGTH"):
        if (stryMutAct_9fa48("215")) {} else {
          stryCov_9fa48("215");
          return new errors.MGMT_ERR_CONTENT_LENGTH();
        }
      case stryMutAct_9fa48("218") ? "" : (stryCov_9fa48("218"), "FST_ERR_CTP_INVALID_MEDIA_TYPE"):
        if (stryMutAct_9fa48("217")) {} else {
          stryCov_9fa48("217");
          return new errors.MGMT_ERR_MALFORMED_MEDIA_TYPE(JSON.stringify(stryMutAct_9fa48("219") ? request.headers["content-type"] && "" : (stryCov_9fa48("219"), request.headers[stryMutAct_9fa48("220") ? "" : (stryCov_9fa48("220"), "content-type")] ?? (stryMutAct_9fa48("221") ? "Stryker was here!" : (stryCov_9fa48("221"), "")))));
        }
    }
    if (stryMutAct_9fa48("224") ? typeof statusCode === "number" && statusCode >= 400 || statusCode < 500 : stryMutAct_9fa48("223") ? false : stryMutAct_9fa48("222") ? true : (stryCov_9fa48("222", "223", "224"), (stryMutAct_9fa48("226") ? typeof statusCode === "number" || statusCode >= 400 : stryMutAct_9fa48("225") ? true : (stryCov_9fa48("225", "226"), (stryMutAct_9fa48("228") ? typeof statusCode !== "number" : stryMutAct_9fa48("227") ? true : (stryCov_9fa48("227", "228"), typeof statusCode === (stryMutAct_9fa48("229") ? "" : (stryCov_9fa48("229"), "number")))) && (stryMutAct_9fa48("232") ? statusCode < 400 : stryMutAct_9fa48("231") ? statusCode > 400 : stryMutAct_9fa48("230") ? true : (stryCov_9fa48("230", "231", "232"), statusCode >= 400)))) && (stryMutAct_9fa48("235") ? statusCode >= 500 : stryMutAct_9fa48("234") ? statusCode <= 500 : stryMutAct_9fa48("233") ? true : (stryCov_9fa48("233", "234", "235"), statusCode < 500)))) {
      if (stryMutAct_9fa48("236")) {
        {}
      } else {
        stryCov_9fa48("236");
        // A client error fastify or Node found that the catalog does not name (a client that hung up
        // mid-body, say): a plain 400.
        return new errors.MGMT_ERR_INVALID_REQUEST();
      }
    }
    onInternal(error, request);
    return new errors.MGMT_ERR_INTERNAL();
  }
}

/** The `code` and `statusCode` fastify's and Node's errors carry, when they do. */
function fastifyFields(error: unknown): {
  code?: unknown;
  statusCode?: unknown;
} {
  if (stryMutAct_9fa48("237")) {
    {}
  } else {
    stryCov_9fa48("237");
    if (stryMutAct_9fa48("240") ? typeof error !== "object" && error === null : stryMutAct_9fa48("239") ? false : stryMutAct_9fa48("238") ? true : (stryCov_9fa48("238", "239", "240"), (stryMutAct_9fa48("242") ? typeof error === "object" : stryMutAct_9fa48("241") ? false : (stryCov_9fa48("241", "242"), typeof error !== (stryMutAct_9fa48("243") ? "" : (stryCov_9fa48("243"), "object")))) || (stryMutAct_9fa48("245") ? error !== null : stryMutAct_9fa48("244") ? false : (stryCov_9fa48("244", "245"), error === null)))) return {};
    return stryMutAct_9fa48("246") ? {} : (stryCov_9fa48("246"), {
      ...((stryMutAct_9fa48("247") ? "" : (stryCov_9fa48("247"), "code")) in error ? stryMutAct_9fa48("248") ? {} : (stryCov_9fa48("248"), {
        code: error.code
      }) : {}),
      ...((stryMutAct_9fa48("249") ? "" : (stryCov_9fa48("249"), "statusCode")) in error ? stryMutAct_9fa48("250") ? {} : (stryCov_9fa48("250"), {
        statusCode: error.statusCode
      }) : {})
    });
  }
}

/** Answers a catalog error as the JSON error body; a store outage also says when to retry. */
export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (stryMutAct_9fa48("251")) {
    {}
  } else {
    stryCov_9fa48("251");
    if (stryMutAct_9fa48("254") ? error.code === "MGMT_ERR_STORE_UNAVAILABLE" && error.code === "MGMT_ERR_SHUTTING_DOWN" : stryMutAct_9fa48("253") ? false : stryMutAct_9fa48("252") ? true : (stryCov_9fa48("252", "253", "254"), (stryMutAct_9fa48("256") ? error.code !== "MGMT_ERR_STORE_UNAVAILABLE" : stryMutAct_9fa48("255") ? false : (stryCov_9fa48("255", "256"), error.code === (stryMutAct_9fa48("257") ? "" : (stryCov_9fa48("257"), "MGMT_ERR_STORE_UNAVAILABLE")))) || (stryMutAct_9fa48("259") ? error.code !== "MGMT_ERR_SHUTTING_DOWN" : stryMutAct_9fa48("258") ? false : (stryCov_9fa48("258", "259"), error.code === (stryMutAct_9fa48("260") ? "" : (stryCov_9fa48("260"), "MGMT_ERR_SHUTTING_DOWN")))))) {
      if (stryMutAct_9fa48("261")) {
        {}
      } else {
        stryCov_9fa48("261");
        reply.header(stryMutAct_9fa48("262") ? "" : (stryCov_9fa48("262"), "retry-after"), stryMutAct_9fa48("263") ? "" : (stryCov_9fa48("263"), "1"));
      }
    }
    // The rest of a body that took too long is not worth reading: the connection goes.
    if (stryMutAct_9fa48("266") ? error.statusCode !== 408 : stryMutAct_9fa48("265") ? false : stryMutAct_9fa48("264") ? true : (stryCov_9fa48("264", "265", "266"), error.statusCode === 408)) reply.header(stryMutAct_9fa48("267") ? "" : (stryCov_9fa48("267"), "connection"), stryMutAct_9fa48("268") ? "" : (stryCov_9fa48("268"), "close"));
    return reply.code(error.statusCode).type(stryMutAct_9fa48("269") ? "" : (stryCov_9fa48("269"), "application/json; charset=utf-8")).send(errorBody(error));
  }
}

/** The methods a path answers, as an `Allow` header (`GET` implies `HEAD`); empty for an unknown path. */
function allowedAt(pathname: string): string {
  if (stryMutAct_9fa48("270")) {
    {}
  } else {
    stryCov_9fa48("270");
    return methodsAt(pathname).flatMap(stryMutAct_9fa48("271") ? () => undefined : (stryCov_9fa48("271"), m => (stryMutAct_9fa48("274") ? m !== "GET" : stryMutAct_9fa48("273") ? false : stryMutAct_9fa48("272") ? true : (stryCov_9fa48("272", "273", "274"), m === (stryMutAct_9fa48("275") ? "" : (stryCov_9fa48("275"), "GET")))) ? stryMutAct_9fa48("276") ? [] : (stryCov_9fa48("276"), [stryMutAct_9fa48("277") ? "" : (stryCov_9fa48("277"), "GET"), stryMutAct_9fa48("278") ? "" : (stryCov_9fa48("278"), "HEAD")]) : stryMutAct_9fa48("279") ? [] : (stryCov_9fa48("279"), [m]))).join(stryMutAct_9fa48("280") ? "" : (stryCov_9fa48("280"), ", "));
  }
}

/**
 * The one error handler (routes that answer in another format, the token endpoint's RFC 6749
 * bodies, set their own on top of `toApiError`), and the 404 / 405 answers.
 */
export const errorHandling = fp<{
  onInternalError: InternalErrorListener;
}>(async (app, {
  onInternalError
}) => {
  if (stryMutAct_9fa48("281")) {
    {}
  } else {
    stryCov_9fa48("281");
    app.setErrorHandler(stryMutAct_9fa48("282") ? () => undefined : (stryCov_9fa48("282"), (error, request, reply) => sendApiError(reply, toApiError(error, request, onInternalError))));
    app.setNotFoundHandler(async (request, reply) => {
      if (stryMutAct_9fa48("283")) {
        {}
      } else {
        stryCov_9fa48("283");
        const allow = allowedAt(canonicalPath(request));
        if (stryMutAct_9fa48("285") ? false : stryMutAct_9fa48("284") ? true : (stryCov_9fa48("284", "285"), allow)) {
          if (stryMutAct_9fa48("286")) {
            {}
          } else {
            stryCov_9fa48("286");
            reply.header(stryMutAct_9fa48("287") ? "" : (stryCov_9fa48("287"), "allow"), allow);
            return sendApiError(reply, new errors.MGMT_ERR_METHOD_NOT_ALLOWED(request.method, allow));
          }
        }
        return sendApiError(reply, new errors.MGMT_ERR_ROUTE_NOT_FOUND(request.method, stryMutAct_9fa48("288") ? pathOf(request) : (stryCov_9fa48("288"), pathOf(request).slice(0, 200))));
      }
    });
  }
}, stryMutAct_9fa48("289") ? {} : (stryCov_9fa48("289"), {
  name: stryMutAct_9fa48("290") ? "" : (stryCov_9fa48("290"), "errors")
}));

/** Answers what the router refuses before any hook runs: a URL it cannot decode or store. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (stryMutAct_9fa48("291")) {
    {}
  } else {
    stryCov_9fa48("291");
    sendApiError(reply, (stryMutAct_9fa48("294") ? error.code !== "FST_ERR_MAX_PARAM_LENGTH" : stryMutAct_9fa48("293") ? false : stryMutAct_9fa48("292") ? true : (stryCov_9fa48("292", "293", "294"), error.code === (stryMutAct_9fa48("295") ? "" : (stryCov_9fa48("295"), "FST_ERR_MAX_PARAM_LENGTH")))) ? new errors.MGMT_ERR_URL_TOO_LONG() : new errors.MGMT_ERR_MALFORMED_URL());
  }
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
    if (stryMutAct_9fa48("296")) {
      {}
    } else {
      stryCov_9fa48("296");
      server.on(stryMutAct_9fa48("297") ? "" : (stryCov_9fa48("297"), "request"), (req: IncomingMessage, res: ServerResponse) => {
        if (stryMutAct_9fa48("298")) {
          {}
        } else {
          stryCov_9fa48("298");
          this.#last.set(req.socket, stryMutAct_9fa48("299") ? {} : (stryCov_9fa48("299"), {
            req,
            res
          }));
        }
      });
    }
  }
  last(socket: Duplex): Exchange | undefined {
    if (stryMutAct_9fa48("300")) {
      {}
    } else {
      stryCov_9fa48("300");
      return this.#last.get(socket);
    }
  }
}

/** Whether the exchange ends its connection (`Connection: close` either way, or HTTP/1.0). */
function closesConnection({
  req,
  res
}: Exchange): boolean {
  if (stryMutAct_9fa48("301")) {
    {}
  } else {
    stryCov_9fa48("301");
    const asked = stryMutAct_9fa48("302") ? `` : (stryCov_9fa48("302"), `${stryMutAct_9fa48("303") ? req.headers.connection && "" : (stryCov_9fa48("303"), req.headers.connection ?? (stryMutAct_9fa48("304") ? "Stryker was here!" : (stryCov_9fa48("304"), "")))},${String(stryMutAct_9fa48("305") ? res.getHeader("connection") && "" : (stryCov_9fa48("305"), res.getHeader(stryMutAct_9fa48("306") ? "" : (stryCov_9fa48("306"), "connection")) ?? (stryMutAct_9fa48("307") ? "Stryker was here!" : (stryCov_9fa48("307"), ""))))}`);
    if (stryMutAct_9fa48("309") ? false : stryMutAct_9fa48("308") ? true : (stryCov_9fa48("308", "309"), (stryMutAct_9fa48("315") ? /(?:^|,)\s*close\s*(?:,)/i : stryMutAct_9fa48("314") ? /(?:^|,)\s*close\S*(?:,|$)/i : stryMutAct_9fa48("313") ? /(?:^|,)\s*close\s(?:,|$)/i : stryMutAct_9fa48("312") ? /(?:^|,)\S*close\s*(?:,|$)/i : stryMutAct_9fa48("311") ? /(?:^|,)\sclose\s*(?:,|$)/i : stryMutAct_9fa48("310") ? /(?:,)\s*close\s*(?:,|$)/i : (stryCov_9fa48("310", "311", "312", "313", "314", "315"), /(?:^|,)\s*close\s*(?:,|$)/i)).test(asked))) return stryMutAct_9fa48("316") ? false : (stryCov_9fa48("316"), true);
    return stryMutAct_9fa48("319") ? req.httpVersion === "1.0" || !/keep-alive/i.test(req.headers.connection ?? "") : stryMutAct_9fa48("318") ? false : stryMutAct_9fa48("317") ? true : (stryCov_9fa48("317", "318", "319"), (stryMutAct_9fa48("321") ? req.httpVersion !== "1.0" : stryMutAct_9fa48("320") ? true : (stryCov_9fa48("320", "321"), req.httpVersion === (stryMutAct_9fa48("322") ? "" : (stryCov_9fa48("322"), "1.0")))) && (stryMutAct_9fa48("323") ? /keep-alive/i.test(req.headers.connection ?? "") : (stryCov_9fa48("323"), !/keep-alive/i.test(stryMutAct_9fa48("324") ? req.headers.connection && "" : (stryCov_9fa48("324"), req.headers.connection ?? (stryMutAct_9fa48("325") ? "Stryker was here!" : (stryCov_9fa48("325"), "")))))));
  }
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
export function clientErrorHandler(responses: ResponseTracker, requestTimeoutMs: number): (error: Error & {
  code?: string;
}, socket: Duplex) => void {
  if (stryMutAct_9fa48("326")) {
    {}
  } else {
    stryCov_9fa48("326");
    return (error, socket) => {
      if (stryMutAct_9fa48("327")) {
        {}
      } else {
        stryCov_9fa48("327");
        if (stryMutAct_9fa48("330") ? error.code === "ECONNRESET" && socket.destroyed : stryMutAct_9fa48("329") ? false : stryMutAct_9fa48("328") ? true : (stryCov_9fa48("328", "329", "330"), (stryMutAct_9fa48("332") ? error.code !== "ECONNRESET" : stryMutAct_9fa48("331") ? false : (stryCov_9fa48("331", "332"), error.code === (stryMutAct_9fa48("333") ? "" : (stryCov_9fa48("333"), "ECONNRESET")))) || socket.destroyed)) return;
        const last = responses.last(socket);
        if (stryMutAct_9fa48("336") ? last?.req.complete || !last.res.writableFinished : stryMutAct_9fa48("335") ? false : stryMutAct_9fa48("334") ? true : (stryCov_9fa48("334", "335", "336"), (stryMutAct_9fa48("337") ? last.req.complete : (stryCov_9fa48("337"), last?.req.complete)) && (stryMutAct_9fa48("338") ? last.res.writableFinished : (stryCov_9fa48("338"), !last.res.writableFinished)))) {
          if (stryMutAct_9fa48("339")) {
            {}
          } else {
            stryCov_9fa48("339");
            if (stryMutAct_9fa48("342") ? false : stryMutAct_9fa48("341") ? true : stryMutAct_9fa48("340") ? last.res.headersSent : (stryCov_9fa48("340", "341", "342"), !last.res.headersSent)) last.res.setHeader(stryMutAct_9fa48("343") ? "" : (stryCov_9fa48("343"), "connection"), stryMutAct_9fa48("344") ? "" : (stryCov_9fa48("344"), "close"));
            last.res.once(stryMutAct_9fa48("345") ? "" : (stryCov_9fa48("345"), "close"), stryMutAct_9fa48("346") ? () => undefined : (stryCov_9fa48("346"), () => socket.destroy()));
            return;
          }
        }
        // A whole request here was answered already; an incomplete one may have been answered early.
        const silent = stryMutAct_9fa48("349") ? last || (last.req.complete ? closesConnection(last) : last.res.headersSent) : stryMutAct_9fa48("348") ? false : stryMutAct_9fa48("347") ? true : (stryCov_9fa48("347", "348", "349"), last && (last.req.complete ? closesConnection(last) : last.res.headersSent));
        if (stryMutAct_9fa48("352") ? socket.writable || !silent : stryMutAct_9fa48("351") ? false : stryMutAct_9fa48("350") ? true : (stryCov_9fa48("350", "351", "352"), socket.writable && (stryMutAct_9fa48("353") ? silent : (stryCov_9fa48("353"), !silent)))) {
          if (stryMutAct_9fa48("354")) {
            {}
          } else {
            stryCov_9fa48("354");
            const answer = (stryMutAct_9fa48("357") ? error.code !== "ERR_HTTP_REQUEST_TIMEOUT" : stryMutAct_9fa48("356") ? false : stryMutAct_9fa48("355") ? true : (stryCov_9fa48("355", "356", "357"), error.code === (stryMutAct_9fa48("358") ? "" : (stryCov_9fa48("358"), "ERR_HTTP_REQUEST_TIMEOUT")))) ? new errors.MGMT_ERR_REQUEST_TIMEOUT(stryMutAct_9fa48("359") ? requestTimeoutMs * 1000 : (stryCov_9fa48("359"), requestTimeoutMs / 1000)) : (stryMutAct_9fa48("362") ? error.code !== "HPE_HEADER_OVERFLOW" : stryMutAct_9fa48("361") ? false : stryMutAct_9fa48("360") ? true : (stryCov_9fa48("360", "361", "362"), error.code === (stryMutAct_9fa48("363") ? "" : (stryCov_9fa48("363"), "HPE_HEADER_OVERFLOW")))) ? new errors.MGMT_ERR_HEADERS_TOO_LARGE() : new errors.MGMT_ERR_MALFORMED_HTTP();
            const body = JSON.stringify(errorBody(answer));
            socket.write(stryMutAct_9fa48("364") ? `` : (stryCov_9fa48("364"), `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`));
          }
        }
        socket.destroy(error);
      }
    };
  }
}