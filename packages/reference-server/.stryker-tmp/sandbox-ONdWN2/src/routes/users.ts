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
import { getOperation, type OperationId, socialStrategies } from "@mgmtkit/spec/model";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors, withDetail } from "../errors.js";
import { pathOf } from "../request-paths.js";
import type { UserFilter } from "../storage.js";
import { checkPaging } from "../validation.js";
import { connectionNotFound, operationRoute, type QueryValues, type RouteContext } from "./operation.js";

/**
 * The three user lists. With `per_page` a list is paged, and `Link: <…>; rel="next"` leads to the
 * next page while there is one (without the `access_token` the request may have carried).
 */
export async function userRoutes(app: FastifyInstance, {
  store,
  origin
}: RouteContext): Promise<void> {
  if (stryMutAct_9fa48("555")) {
    {}
  } else {
    stryCov_9fa48("555");
    async function listUsers(request: FastifyRequest<{
      Querystring: QueryValues;
    }>, reply: FastifyReply, id: OperationId, filter: UserFilter): Promise<unknown[]> {
      if (stryMutAct_9fa48("556")) {
        {}
      } else {
        stryCov_9fa48("556");
        const paging = checkPaging(getOperation(id), request.query);
        if (stryMutAct_9fa48("559") ? false : stryMutAct_9fa48("558") ? true : stryMutAct_9fa48("557") ? paging.ok : (stryCov_9fa48("557", "558", "559"), !paging.ok)) {
          if (stryMutAct_9fa48("560")) {
            {}
          } else {
            stryCov_9fa48("560");
            throw withDetail(new errors.MGMT_ERR_INVALID_QUERY(paging.problems[0]), paging.problems.join(stryMutAct_9fa48("561") ? "" : (stryCov_9fa48("561"), "; ")));
          }
        }
        const {
          perPage,
          page
        } = paging;
        if (stryMutAct_9fa48("564") ? perPage !== undefined : stryMutAct_9fa48("563") ? false : stryMutAct_9fa48("562") ? true : (stryCov_9fa48("562", "563", "564"), perPage === undefined)) return (await store.listUsers(filter)).users.map(stryMutAct_9fa48("565") ? () => undefined : (stryCov_9fa48("565"), u => u.user));
        const {
          users,
          total
        } = await store.listUsers(filter, stryMutAct_9fa48("566") ? {} : (stryCov_9fa48("566"), {
          limit: perPage,
          offset: stryMutAct_9fa48("567") ? perPage / page : (stryCov_9fa48("567"), perPage * page)
        }));
        if (stryMutAct_9fa48("571") ? perPage * (page + 1) >= total : stryMutAct_9fa48("570") ? perPage * (page + 1) <= total : stryMutAct_9fa48("569") ? false : stryMutAct_9fa48("568") ? true : (stryCov_9fa48("568", "569", "570", "571"), (stryMutAct_9fa48("572") ? perPage / (page + 1) : (stryCov_9fa48("572"), perPage * (stryMutAct_9fa48("573") ? page - 1 : (stryCov_9fa48("573"), page + 1)))) < total)) {
          if (stryMutAct_9fa48("574")) {
            {}
          } else {
            stryCov_9fa48("574");
            const path = pathOf(request).replace(stryMutAct_9fa48("576") ? /\/$/ : stryMutAct_9fa48("575") ? /\/+/ : (stryCov_9fa48("575", "576"), /\/+$/), stryMutAct_9fa48("577") ? "Stryker was here!" : (stryCov_9fa48("577"), ""));
            reply.header(stryMutAct_9fa48("578") ? "" : (stryCov_9fa48("578"), "link"), stryMutAct_9fa48("579") ? `` : (stryCov_9fa48("579"), `<${origin(request)}${path}?per_page=${perPage}&page=${stryMutAct_9fa48("580") ? page - 1 : (stryCov_9fa48("580"), page + 1)}>; rel="next"`));
          }
        }
        return users.map(stryMutAct_9fa48("581") ? () => undefined : (stryCov_9fa48("581"), u => u.user));
      }
    }
    operationRoute(app, stryMutAct_9fa48("582") ? "" : (stryCov_9fa48("582"), "listUsers"), stryMutAct_9fa48("583") ? () => undefined : (stryCov_9fa48("583"), (request, reply) => listUsers(request, reply, stryMutAct_9fa48("584") ? "" : (stryCov_9fa48("584"), "listUsers"), {})));
    operationRoute(app, stryMutAct_9fa48("585") ? "" : (stryCov_9fa48("585"), "listConnectionUsers"), async (request, reply) => {
      if (stryMutAct_9fa48("586")) {
        {}
      } else {
        stryCov_9fa48("586");
        const {
          connectionName
        } = request.params;
        const connection = await store.getConnection(connectionName);
        if (stryMutAct_9fa48("589") ? false : stryMutAct_9fa48("588") ? true : stryMutAct_9fa48("587") ? connection : (stryCov_9fa48("587", "588", "589"), !connection)) throw connectionNotFound(connectionName);
        return listUsers(request, reply, stryMutAct_9fa48("590") ? "" : (stryCov_9fa48("590"), "listConnectionUsers"), stryMutAct_9fa48("591") ? {} : (stryCov_9fa48("591"), {
          connectionId: connection.id
        }));
      }
    });
    operationRoute(app, stryMutAct_9fa48("592") ? "" : (stryCov_9fa48("592"), "listSocialConnectionUsers"), stryMutAct_9fa48("593") ? () => undefined : (stryCov_9fa48("593"), (request, reply) => listUsers(request, reply, stryMutAct_9fa48("594") ? "" : (stryCov_9fa48("594"), "listSocialConnectionUsers"), stryMutAct_9fa48("595") ? {} : (stryCov_9fa48("595"), {
      strategies: socialStrategies,
      enabledOnly: stryMutAct_9fa48("596") ? false : (stryCov_9fa48("596"), true)
    }))));
  }
}