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
import { provisionedStrategies } from "@mgmtkit/spec/model";
import type { FastifyInstance } from "fastify";
import { provisioningUrl } from "../connections.js";
import { errors } from "../errors.js";
import type { RouteContext } from "./operation.js";

/**
 * `GET /p/{strategy}/{ticket}`, where a `provisioning_ticket_url` leads: what the identity
 * provider's administrator needs. Not an operation of the API, so it needs no token.
 */
export async function provisioningRoutes(app: FastifyInstance, {
  store,
  origin
}: RouteContext): Promise<void> {
  if (stryMutAct_9fa48("533")) {
    {}
  } else {
    stryCov_9fa48("533");
    app.get<{
      Params: {
        strategy: string;
        ticket: string;
      };
    }>(stryMutAct_9fa48("534") ? "" : (stryCov_9fa48("534"), "/p/:strategy/:ticket"), async request => {
      if (stryMutAct_9fa48("535")) {
        {}
      } else {
        stryCov_9fa48("535");
        const {
          strategy,
          ticket
        } = request.params;
        const connection = (stryMutAct_9fa48("536") ? provisionedStrategies.every(s => s === strategy) : (stryCov_9fa48("536"), provisionedStrategies.some(stryMutAct_9fa48("537") ? () => undefined : (stryCov_9fa48("537"), s => stryMutAct_9fa48("540") ? s !== strategy : stryMutAct_9fa48("539") ? false : stryMutAct_9fa48("538") ? true : (stryCov_9fa48("538", "539", "540"), s === strategy))))) ? (await store.listConnections()).records.find(stryMutAct_9fa48("541") ? () => undefined : (stryCov_9fa48("541"), c => stryMutAct_9fa48("544") ? c.strategy === strategy || c.provisioning_ticket === ticket : stryMutAct_9fa48("543") ? false : stryMutAct_9fa48("542") ? true : (stryCov_9fa48("542", "543", "544"), (stryMutAct_9fa48("546") ? c.strategy !== strategy : stryMutAct_9fa48("545") ? true : (stryCov_9fa48("545", "546"), c.strategy === strategy)) && (stryMutAct_9fa48("548") ? c.provisioning_ticket !== ticket : stryMutAct_9fa48("547") ? true : (stryCov_9fa48("547", "548"), c.provisioning_ticket === ticket))))) : undefined;
        if (stryMutAct_9fa48("551") ? false : stryMutAct_9fa48("550") ? true : stryMutAct_9fa48("549") ? connection?.provisioning_ticket : (stryCov_9fa48("549", "550", "551"), !(stryMutAct_9fa48("552") ? connection.provisioning_ticket : (stryCov_9fa48("552"), connection?.provisioning_ticket)))) throw new errors.MGMT_ERR_TICKET_NOT_FOUND();
        return stryMutAct_9fa48("553") ? {} : (stryCov_9fa48("553"), {
          connection: connection.name,
          strategy: connection.strategy,
          provisioning_ticket: connection.provisioning_ticket,
          provisioning_ticket_url: provisioningUrl(origin(request), connection.strategy, connection.provisioning_ticket),
          instructions: stryMutAct_9fa48("554") ? `` : (stryCov_9fa48("554"), `Configure your ${connection.strategy} identity provider to trust this tenant, then give this ticket to the tenant's administrator to activate the connection "${connection.name}".`)
        });
      }
    });
  }
}