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
import type { FastifyInstance } from "fastify";
import { errors } from "../errors.js";
import { sendApiError } from "../plugins/errors.js";
import { StoreUnavailableError } from "../storage.js";
import type { RouteContext } from "./operation.js";

/**
 * `GET /healthz` for load balancers and orchestrators: 200 `{"status":"ok"}` when the store answers
 * a trivial query now, else 503 with the JSON error saying why. It needs no token and is never
 * cached.
 */
export async function healthRoutes(app: FastifyInstance, {
  store
}: RouteContext): Promise<void> {
  if (stryMutAct_9fa48("452")) {
    {}
  } else {
    stryCov_9fa48("452");
    app.get(stryMutAct_9fa48("453") ? "" : (stryCov_9fa48("453"), "/healthz"), async (_request, reply) => {
      if (stryMutAct_9fa48("454")) {
        {}
      } else {
        stryCov_9fa48("454");
        reply.header(stryMutAct_9fa48("455") ? "" : (stryCov_9fa48("455"), "cache-control"), stryMutAct_9fa48("456") ? "" : (stryCov_9fa48("456"), "no-store"));
        try {
          if (stryMutAct_9fa48("457")) {
            {}
          } else {
            stryCov_9fa48("457");
            await store.check();
          }
        } catch (error) {
          if (stryMutAct_9fa48("458")) {
            {}
          } else {
            stryCov_9fa48("458");
            const message = error instanceof StoreUnavailableError ? error.message : stryMutAct_9fa48("459") ? "" : (stryCov_9fa48("459"), "The store did not answer a trivial query.");
            return sendApiError(reply, new errors.MGMT_ERR_STORE_UNAVAILABLE(message));
          }
        }
        return stryMutAct_9fa48("460") ? {} : (stryCov_9fa48("460"), {
          status: stryMutAct_9fa48("461") ? "" : (stryCov_9fa48("461"), "ok")
        });
      }
    });
  }
}