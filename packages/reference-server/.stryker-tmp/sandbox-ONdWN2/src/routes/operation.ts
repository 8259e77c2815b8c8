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
import { getOperation, type OperationId } from "@mgmtkit/spec/model";
import type { FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface, RouteHandlerMethod } from "fastify";
import { errors } from "../errors.js";
import { refuseUnparsed } from "../plugins/body-parsing.js";
import type { Store } from "../storage.js";
import type { TokenService } from "../tokens.js";

/** The path parameter of the routes of one connection. */
export interface ConnectionParams {
  connectionName: string;
}

/** A query string as fastify parses it: a name given twice has an array of values. */
export type QueryValues = Record<string, string | string[] | undefined>;

/**
 * What each operation of the spec receives, as fastify route generics. Bodies arrive as `unknown`
 * and are typed by the spec's schemas (`check` in validation.ts). The mapped type fails to compile
 * when the spec gains an operation without an entry here.
 */
export type OperationTypes = { [Id in OperationId]: {
  getAccessToken: {
    Body: unknown;
  };
  listConnections: RouteGenericInterface;
  createConnection: {
    Body: unknown;
  };
  getConnection: {
    Params: ConnectionParams;
  };
  updateConnection: {
    Params: ConnectionParams;
    Body: unknown;
  };
  deleteConnection: {
    Params: ConnectionParams;
  };
  listUsers: {
    Querystring: QueryValues;
  };
  listConnectionUsers: {
    Params: ConnectionParams;
    Querystring: QueryValues;
  };
  listSocialConnectionUsers: {
    Querystring: QueryValues;
  };
}[Id] };
export type OperationHandler<Id extends OperationId> = RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, OperationTypes[Id]>;

/** What every route plugin is given. */
export interface RouteContext {
  store: Store;
  tokens: TokenService;
  /** The client id stored on connections created without one. */
  clientId: string;
  /** The origin (`scheme://host[:port]`) of the URLs the answer to `request` holds. */
  origin(request: FastifyRequest): string;
}

/** The answer to a connection name that names no connection. */
export function connectionNotFound(name: string): Error {
  if (stryMutAct_9fa48("522")) {
    {}
  } else {
    stryCov_9fa48("522");
    return new errors.MGMT_ERR_CONNECTION_NOT_FOUND(JSON.stringify(stryMutAct_9fa48("523") ? name : (stryCov_9fa48("523"), name.slice(0, 200))));
  }
}

/**
 * Registers the handler of one operation of the spec at its method and path. A body in a media
 * type the operation does not take is refused (415) before the handler runs.
 */
export function operationRoute<Id extends OperationId>(app: FastifyInstance, id: Id, handler: OperationHandler<Id>): void {
  if (stryMutAct_9fa48("524")) {
    {}
  } else {
    stryCov_9fa48("524");
    const operation = getOperation(id);
    const accepted = stryMutAct_9fa48("525") ? operation.requestBody?.mediaTypes && [] : (stryCov_9fa48("525"), (stryMutAct_9fa48("526") ? operation.requestBody.mediaTypes : (stryCov_9fa48("526"), operation.requestBody?.mediaTypes)) ?? (stryMutAct_9fa48("527") ? ["Stryker was here"] : (stryCov_9fa48("527"), [])));
    app.route<OperationTypes[Id]>(stryMutAct_9fa48("528") ? {} : (stryCov_9fa48("528"), {
      method: operation.method,
      url: operation.path.replace(stryMutAct_9fa48("530") ? /\{([}]+)\}/g : stryMutAct_9fa48("529") ? /\{([^}])\}/g : (stryCov_9fa48("529", "530"), /\{([^}]+)\}/g), stryMutAct_9fa48("531") ? "" : (stryCov_9fa48("531"), ":$1")),
      preValidation: stryMutAct_9fa48("532") ? () => undefined : (stryCov_9fa48("532"), async request => refuseUnparsed(request, accepted)),
      handler
    }));
  }
}