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
import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { errors } from "../errors.js";
import { canonicalPath, isApiPath } from "../request-paths.js";
import type { TokenService } from "../tokens.js";

/** Whether the request reaches, or would reach, something under /api. */
function needsToken(request: FastifyRequest): boolean {
  if (stryMutAct_9fa48("65")) {
    {}
  } else {
    stryCov_9fa48("65");
    const route = request.is404 ? undefined : request.routeOptions.url;
    return stryMutAct_9fa48("68") ? route !== undefined && isApiPath(route) && isApiPath(canonicalPath(request)) : stryMutAct_9fa48("67") ? false : stryMutAct_9fa48("66") ? true : (stryCov_9fa48("66", "67", "68"), (stryMutAct_9fa48("70") ? route !== undefined || isApiPath(route) : stryMutAct_9fa48("69") ? false : (stryCov_9fa48("69", "70"), (stryMutAct_9fa48("72") ? route === undefined : stryMutAct_9fa48("71") ? true : (stryCov_9fa48("71", "72"), route !== undefined)) && isApiPath(route))) || isApiPath(canonicalPath(request)));
  }
}

/** The token of `Authorization: Bearer …` (any case), else of the `access_token` query parameter. */
export function bearerToken(request: FastifyRequest): string | undefined {
  if (stryMutAct_9fa48("73")) {
    {}
  } else {
    stryCov_9fa48("73");
    const header = request.headers.authorization;
    if (stryMutAct_9fa48("76") ? typeof header !== "string" : stryMutAct_9fa48("75") ? false : stryMutAct_9fa48("74") ? true : (stryCov_9fa48("74", "75", "76"), typeof header === (stryMutAct_9fa48("77") ? "" : (stryCov_9fa48("77"), "string")))) {
      if (stryMutAct_9fa48("78")) {
        {}
      } else {
        stryCov_9fa48("78");
        const match = (stryMutAct_9fa48("87") ? /^bearer[ \t]+([^\s]+)[^ \t]*$/i : stryMutAct_9fa48("86") ? /^bearer[ \t]+([^\s]+)[ \t]$/i : stryMutAct_9fa48("85") ? /^bearer[ \t]+([^\S]+)[ \t]*$/i : stryMutAct_9fa48("84") ? /^bearer[ \t]+([\s]+)[ \t]*$/i : stryMutAct_9fa48("83") ? /^bearer[ \t]+([^\s])[ \t]*$/i : stryMutAct_9fa48("82") ? /^bearer[^ \t]+([^\s]+)[ \t]*$/i : stryMutAct_9fa48("81") ? /^bearer[ \t]([^\s]+)[ \t]*$/i : stryMutAct_9fa48("80") ? /^bearer[ \t]+([^\s]+)[ \t]*/i : stryMutAct_9fa48("79") ? /bearer[ \t]+([^\s]+)[ \t]*$/i : (stryCov_9fa48("79", "80", "81", "82", "83", "84", "85", "86", "87"), /^bearer[ \t]+([^\s]+)[ \t]*$/i)).exec(header);
        if (stryMutAct_9fa48("89") ? false : stryMutAct_9fa48("88") ? true : (stryCov_9fa48("88", "89"), match)) return match[1];
      }
    }
    const query: unknown = request.query;
    if (stryMutAct_9fa48("92") ? typeof query === "object" && query !== null || "access_token" in query : stryMutAct_9fa48("91") ? false : stryMutAct_9fa48("90") ? true : (stryCov_9fa48("90", "91", "92"), (stryMutAct_9fa48("94") ? typeof query === "object" || query !== null : stryMutAct_9fa48("93") ? true : (stryCov_9fa48("93", "94"), (stryMutAct_9fa48("96") ? typeof query !== "object" : stryMutAct_9fa48("95") ? true : (stryCov_9fa48("95", "96"), typeof query === (stryMutAct_9fa48("97") ? "" : (stryCov_9fa48("97"), "object")))) && (stryMutAct_9fa48("99") ? query === null : stryMutAct_9fa48("98") ? true : (stryCov_9fa48("98", "99"), query !== null)))) && (stryMutAct_9fa48("100") ? "" : (stryCov_9fa48("100"), "access_token")) in query)) {
      if (stryMutAct_9fa48("101")) {
        {}
      } else {
        stryCov_9fa48("101");
        return (stryMutAct_9fa48("104") ? typeof query.access_token !== "string" : stryMutAct_9fa48("103") ? false : stryMutAct_9fa48("102") ? true : (stryCov_9fa48("102", "103", "104"), typeof query.access_token === (stryMutAct_9fa48("105") ? "" : (stryCov_9fa48("105"), "string")))) ? query.access_token : undefined;
      }
    }
    return undefined;
  }
}

/**
 * The `/api` guard: every request under /api, including those that match no route (so that even
 * its 404s say nothing without a token), needs a token the `TokenService` issued and still
 * accepts. Also runs the service's pruning of old tokens while the app is up.
 */
export const auth = fp<{
  tokens: TokenService;
}>(async (app, {
  tokens
}) => {
  if (stryMutAct_9fa48("106")) {
    {}
  } else {
    stryCov_9fa48("106");
    app.addHook(stryMutAct_9fa48("107") ? "" : (stryCov_9fa48("107"), "onReady"), stryMutAct_9fa48("108") ? () => undefined : (stryCov_9fa48("108"), async () => tokens.start()));
    app.addHook(stryMutAct_9fa48("109") ? "" : (stryCov_9fa48("109"), "onClose"), stryMutAct_9fa48("110") ? () => undefined : (stryCov_9fa48("110"), async () => tokens.stop()));
    app.addHook(stryMutAct_9fa48("111") ? "" : (stryCov_9fa48("111"), "onRequest"), async (request, reply) => {
      if (stryMutAct_9fa48("112")) {
        {}
      } else {
        stryCov_9fa48("112");
        if (stryMutAct_9fa48("115") ? false : stryMutAct_9fa48("114") ? true : stryMutAct_9fa48("113") ? needsToken(request) : (stryCov_9fa48("113", "114", "115"), !needsToken(request))) return;
        const token = bearerToken(request);
        if (stryMutAct_9fa48("118") ? token !== undefined : stryMutAct_9fa48("117") ? false : stryMutAct_9fa48("116") ? true : (stryCov_9fa48("116", "117", "118"), token === undefined)) {
          if (stryMutAct_9fa48("119")) {
            {}
          } else {
            stryCov_9fa48("119");
            reply.header(stryMutAct_9fa48("120") ? "" : (stryCov_9fa48("120"), "www-authenticate"), stryMutAct_9fa48("121") ? "" : (stryCov_9fa48("121"), 'Bearer realm="api"'));
            throw new errors.MGMT_ERR_TOKEN_MISSING();
          }
        }
        if (stryMutAct_9fa48("124") ? false : stryMutAct_9fa48("123") ? true : stryMutAct_9fa48("122") ? await tokens.verify(token) : (stryCov_9fa48("122", "123", "124"), !(await tokens.verify(token)))) {
          if (stryMutAct_9fa48("125")) {
            {}
          } else {
            stryCov_9fa48("125");
            reply.header(stryMutAct_9fa48("126") ? "" : (stryCov_9fa48("126"), "www-authenticate"), stryMutAct_9fa48("127") ? "" : (stryCov_9fa48("127"), 'Bearer realm="api", error="invalid_token"'));
            throw new errors.MGMT_ERR_TOKEN_INVALID();
          }
        }
      }
    });
  }
}, stryMutAct_9fa48("128") ? {} : (stryCov_9fa48("128"), {
  name: stryMutAct_9fa48("129") ? "" : (stryCov_9fa48("129"), "auth")
}));