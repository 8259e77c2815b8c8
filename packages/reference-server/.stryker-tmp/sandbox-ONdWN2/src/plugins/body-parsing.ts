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
import type { IncomingHttpHeaders } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { decodeBody, readForm, readJson } from "../body-readers.js";
import { errors } from "../errors.js";

/** The body of a request whose media type has no parser; see `refuseUnparsed`. */
export const UNPARSED: unique symbol = Symbol("unparsed body");

/**
 * Refuses a body no parser read (415) on a route that takes one, in the media types it names;
 * a route that takes no body ignores it.
 */
export function refuseUnparsed(request: {
  body: unknown;
  headers: IncomingHttpHeaders;
}, accepted: readonly string[]): void {
  if (stryMutAct_9fa48("130")) {
    {}
  } else {
    stryCov_9fa48("130");
    if (stryMutAct_9fa48("133") ? request.body === UNPARSED : stryMutAct_9fa48("132") ? false : stryMutAct_9fa48("131") ? true : (stryCov_9fa48("131", "132", "133"), request.body !== UNPARSED)) return;
    if (stryMutAct_9fa48("136") ? accepted.length !== 0 : stryMutAct_9fa48("135") ? false : stryMutAct_9fa48("134") ? true : (stryCov_9fa48("134", "135", "136"), accepted.length === 0)) {
      if (stryMutAct_9fa48("137")) {
        {}
      } else {
        stryCov_9fa48("137");
        request.body = undefined;
        return;
      }
    }
    const sent = stryMutAct_9fa48("140") ? (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase() : stryMutAct_9fa48("139") ? (request.headers["content-type"] ?? "").split(";")[0].toLowerCase() : stryMutAct_9fa48("138") ? (request.headers["content-type"] ?? "").split(";")[0]?.trim().toUpperCase() : (stryCov_9fa48("138", "139", "140"), (stryMutAct_9fa48("141") ? request.headers["content-type"] && "" : (stryCov_9fa48("141"), request.headers[stryMutAct_9fa48("142") ? "" : (stryCov_9fa48("142"), "content-type")] ?? (stryMutAct_9fa48("143") ? "Stryker was here!" : (stryCov_9fa48("143"), "")))).split(stryMutAct_9fa48("144") ? "" : (stryCov_9fa48("144"), ";"))[0]?.trim().toLowerCase());
    throw new errors.MGMT_ERR_UNSUPPORTED_MEDIA_TYPE(accepted.join(stryMutAct_9fa48("145") ? "" : (stryCov_9fa48("145"), " or ")), stryMutAct_9fa48("148") ? sent && "no media type" : stryMutAct_9fa48("147") ? false : stryMutAct_9fa48("146") ? true : (stryCov_9fa48("146", "147", "148"), sent || (stryMutAct_9fa48("149") ? "" : (stryCov_9fa48("149"), "no media type"))));
  }
}

/** Registers the form-encoded parser in `app`'s context only (the token endpoint takes forms). */
export function acceptForms(app: FastifyInstance): void {
  if (stryMutAct_9fa48("150")) {
    {}
  } else {
    stryCov_9fa48("150");
    app.addContentTypeParser(stryMutAct_9fa48("151") ? "" : (stryCov_9fa48("151"), "application/x-www-form-urlencoded"), stryMutAct_9fa48("152") ? {} : (stryCov_9fa48("152"), {
      parseAs: stryMutAct_9fa48("153") ? "" : (stryCov_9fa48("153"), "buffer")
    }), stryMutAct_9fa48("154") ? () => undefined : (stryCov_9fa48("154"), async (request: FastifyRequest, body: Buffer) => readForm(decodeBody(body, request.headers[stryMutAct_9fa48("155") ? "" : (stryCov_9fa48("155"), "content-type")]))));
  }
}

/** Whether the request announces a body (fastify reads none for GET and HEAD). */
function hasBody(request: FastifyRequest): boolean {
  if (stryMutAct_9fa48("156")) {
    {}
  } else {
    stryCov_9fa48("156");
    if (stryMutAct_9fa48("159") ? request.method === "GET" && request.method === "HEAD" : stryMutAct_9fa48("158") ? false : stryMutAct_9fa48("157") ? true : (stryCov_9fa48("157", "158", "159"), (stryMutAct_9fa48("161") ? request.method !== "GET" : stryMutAct_9fa48("160") ? false : (stryCov_9fa48("160", "161"), request.method === (stryMutAct_9fa48("162") ? "" : (stryCov_9fa48("162"), "GET")))) || (stryMutAct_9fa48("164") ? request.method !== "HEAD" : stryMutAct_9fa48("163") ? false : (stryCov_9fa48("163", "164"), request.method === (stryMutAct_9fa48("165") ? "" : (stryCov_9fa48("165"), "HEAD")))))) return stryMutAct_9fa48("166") ? true : (stryCov_9fa48("166"), false);
    const {
      "transfer-encoding": chunked,
      "content-length": length
    } = request.headers;
    return stryMutAct_9fa48("169") ? chunked !== undefined && length !== undefined && length !== "0" : stryMutAct_9fa48("168") ? false : stryMutAct_9fa48("167") ? true : (stryCov_9fa48("167", "168", "169"), (stryMutAct_9fa48("171") ? chunked === undefined : stryMutAct_9fa48("170") ? false : (stryCov_9fa48("170", "171"), chunked !== undefined)) || (stryMutAct_9fa48("173") ? length !== undefined || length !== "0" : stryMutAct_9fa48("172") ? false : (stryCov_9fa48("172", "173"), (stryMutAct_9fa48("175") ? length === undefined : stryMutAct_9fa48("174") ? true : (stryCov_9fa48("174", "175"), length !== undefined)) && (stryMutAct_9fa48("177") ? length === "0" : stryMutAct_9fa48("176") ? true : (stryCov_9fa48("176", "177"), length !== (stryMutAct_9fa48("178") ? "" : (stryCov_9fa48("178"), "0")))))));
  }
}

/**
 * Passes the body through, failing it with 408 once `ms` went by before its end: a body that
 * stalls, or trickles in a byte at a time, is cut off here rather than holding its connection.
 */
function bodyDeadline(request: FastifyRequest, payload: Readable, ms: number): Readable {
  if (stryMutAct_9fa48("179")) {
    {}
  } else {
    stryCov_9fa48("179");
    const guarded = new PassThrough();
    const timer = setTimeout(() => {
      if (stryMutAct_9fa48("180")) {
        {}
      } else {
        stryCov_9fa48("180");
        payload.unpipe(guarded);
        guarded.destroy(new errors.MGMT_ERR_BODY_TIMEOUT(stryMutAct_9fa48("181") ? ms * 1000 : (stryCov_9fa48("181"), ms / 1000)));
      }
    }, ms);
    const stop = stryMutAct_9fa48("182") ? () => undefined : (stryCov_9fa48("182"), (() => {
      const stop = () => clearTimeout(timer);
      return stop;
    })());
    guarded.once(stryMutAct_9fa48("183") ? "" : (stryCov_9fa48("183"), "end"), stop).once(stryMutAct_9fa48("184") ? "" : (stryCov_9fa48("184"), "close"), stop);
    // With no reader left (the answer went out first), the timer's error must not go unhandled.
    guarded.on(stryMutAct_9fa48("185") ? "" : (stryCov_9fa48("185"), "error"), () => {});
    request.raw.once(stryMutAct_9fa48("186") ? "" : (stryCov_9fa48("186"), "close"), stop);
    payload.once(stryMutAct_9fa48("187") ? "" : (stryCov_9fa48("187"), "error"), stryMutAct_9fa48("188") ? () => undefined : (stryCov_9fa48("188"), error => guarded.destroy(error)));
    payload.pipe(guarded);
    return guarded;
  }
}

/**
 * How bodies are read: JSON everywhere (see `readJson`: depth, duplicate keys, numbers), in UTF-8
 * only; bodies in other media types are left unparsed for the route to refuse or ignore; and every
 * body must arrive within `bodyTimeoutMs` of its headers.
 */
export const bodyParsing = fp<{
  bodyTimeoutMs: number;
}>(async (app, {
  bodyTimeoutMs
}) => {
  if (stryMutAct_9fa48("189")) {
    {}
  } else {
    stryCov_9fa48("189");
    app.removeContentTypeParser(stryMutAct_9fa48("190") ? [] : (stryCov_9fa48("190"), [stryMutAct_9fa48("191") ? "" : (stryCov_9fa48("191"), "application/json"), stryMutAct_9fa48("192") ? "" : (stryCov_9fa48("192"), "text/plain")]));
    app.addContentTypeParser(stryMutAct_9fa48("193") ? "" : (stryCov_9fa48("193"), "application/json"), stryMutAct_9fa48("194") ? {} : (stryCov_9fa48("194"), {
      parseAs: stryMutAct_9fa48("195") ? "" : (stryCov_9fa48("195"), "buffer")
    }), stryMutAct_9fa48("196") ? () => undefined : (stryCov_9fa48("196"), async (request: FastifyRequest, body: Buffer) => readJson(decodeBody(body, request.headers[stryMutAct_9fa48("197") ? "" : (stryCov_9fa48("197"), "content-type")]))));
    app.addContentTypeParser(stryMutAct_9fa48("198") ? "" : (stryCov_9fa48("198"), "*"), stryMutAct_9fa48("199") ? {} : (stryCov_9fa48("199"), {
      parseAs: stryMutAct_9fa48("200") ? "" : (stryCov_9fa48("200"), "buffer")
    }), stryMutAct_9fa48("201") ? () => undefined : (stryCov_9fa48("201"), async () => UNPARSED));
    app.addHook(stryMutAct_9fa48("202") ? "" : (stryCov_9fa48("202"), "preParsing"), stryMutAct_9fa48("203") ? () => undefined : (stryCov_9fa48("203"), async (request, _reply, payload) => hasBody(request) ? bodyDeadline(request, payload, bodyTimeoutMs) : payload));
  }
}, stryMutAct_9fa48("204") ? {} : (stryCov_9fa48("204"), {
  name: stryMutAct_9fa48("205") ? "" : (stryCov_9fa48("205"), "body-parsing")
}));