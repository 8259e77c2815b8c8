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
import fp from "fastify-plugin";
import { errors } from "../errors.js";

/**
 * A bounded shutdown. When the app closes, the server stops accepting connections and closes the
 * idle ones (fastify's `forceCloseConnections: "idle"`); requests still arriving on open
 * connections are answered 503; requests in flight, bodies still arriving included, get
 * `graceMs` to finish, after which every connection left is closed.
 */
export const shutdown = fp<{
  graceMs: number;
}>(async (app, {
  graceMs
}) => {
  if (stryMutAct_9fa48("365")) {
    {}
  } else {
    stryCov_9fa48("365");
    let closing = stryMutAct_9fa48("366") ? true : (stryCov_9fa48("366"), false);
    app.addHook(stryMutAct_9fa48("367") ? "" : (stryCov_9fa48("367"), "preClose"), async () => {
      if (stryMutAct_9fa48("368")) {
        {}
      } else {
        stryCov_9fa48("368");
        closing = stryMutAct_9fa48("369") ? false : (stryCov_9fa48("369"), true);
        const timer = setTimeout(stryMutAct_9fa48("370") ? () => undefined : (stryCov_9fa48("370"), () => app.server.closeAllConnections()), graceMs);
        timer.unref();
        app.server.once(stryMutAct_9fa48("371") ? "" : (stryCov_9fa48("371"), "close"), stryMutAct_9fa48("372") ? () => undefined : (stryCov_9fa48("372"), () => clearTimeout(timer)));
      }
    });
    app.addHook(stryMutAct_9fa48("373") ? "" : (stryCov_9fa48("373"), "onRequest"), async (_request, reply) => {
      if (stryMutAct_9fa48("374")) {
        {}
      } else {
        stryCov_9fa48("374");
        if (stryMutAct_9fa48("377") ? false : stryMutAct_9fa48("376") ? true : stryMutAct_9fa48("375") ? closing : (stryCov_9fa48("375", "376", "377"), !closing)) return;
        reply.header(stryMutAct_9fa48("378") ? "" : (stryCov_9fa48("378"), "connection"), stryMutAct_9fa48("379") ? "" : (stryCov_9fa48("379"), "close"));
        throw new errors.MGMT_ERR_SHUTTING_DOWN();
      }
    });
  }
}, stryMutAct_9fa48("380") ? {} : (stryCov_9fa48("380"), {
  name: stryMutAct_9fa48("381") ? "" : (stryCov_9fa48("381"), "shutdown")
}));