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
import { connectionBody, connectionInput, newConnection, replacedConnection } from "../connections.js";
import { errors, withDetail } from "../errors.js";
import { NameTakenError } from "../storage.js";
import { check, type Schema, schemas } from "../validation.js";
import { connectionNotFound, operationRoute, type RouteContext } from "./operation.js";

/** The body, typed by `schema`; a missing or invalid one is a 400 whose detail names each problem. */
function connectionBodyOf<T>(body: unknown, schema: Schema<T>, what: string): T {
  if (stryMutAct_9fa48("382")) {
    {}
  } else {
    stryCov_9fa48("382");
    if (stryMutAct_9fa48("385") ? body === undefined && body === null : stryMutAct_9fa48("384") ? false : stryMutAct_9fa48("383") ? true : (stryCov_9fa48("383", "384", "385"), (stryMutAct_9fa48("387") ? body !== undefined : stryMutAct_9fa48("386") ? false : (stryCov_9fa48("386", "387"), body === undefined)) || (stryMutAct_9fa48("389") ? body !== null : stryMutAct_9fa48("388") ? false : (stryCov_9fa48("388", "389"), body === null)))) {
      if (stryMutAct_9fa48("390")) {
        {}
      } else {
        stryCov_9fa48("390");
        throw withDetail(new errors.MGMT_ERR_BODY_REQUIRED(what), stryMutAct_9fa48("391") ? "" : (stryCov_9fa48("391"), "body is missing"));
      }
    }
    const verdict = check(schema, body);
    if (stryMutAct_9fa48("393") ? false : stryMutAct_9fa48("392") ? true : (stryCov_9fa48("392", "393"), verdict.ok)) return verdict.value;
    const detail = verdict.problems.join(stryMutAct_9fa48("394") ? "" : (stryCov_9fa48("394"), "; "));
    throw withDetail(new errors.MGMT_ERR_INVALID_BODY(stryMutAct_9fa48("395") ? "" : (stryCov_9fa48("395"), "connection"), verdict.problems[0]), detail);
  }
}

/** `/api/connections` and `/api/connections/{connectionName}`. */
export async function connectionRoutes(app: FastifyInstance, {
  store,
  clientId,
  origin
}: RouteContext): Promise<void> {
  if (stryMutAct_9fa48("396")) {
    {}
  } else {
    stryCov_9fa48("396");
    // The rendered list, kept while the store answers the same version (see `ConnectionList`), per
    // origin, as the provisioning ticket URLs depend on it.
    let rendered: {
      version: string;
      byOrigin: Map<string, string>;
    } | undefined;
    operationRoute(app, stryMutAct_9fa48("397") ? "" : (stryCov_9fa48("397"), "listConnections"), async (request, reply) => {
      if (stryMutAct_9fa48("398")) {
        {}
      } else {
        stryCov_9fa48("398");
        const base = origin(request);
        const {
          version,
          records
        } = await store.listConnections();
        if (stryMutAct_9fa48("401") ? rendered?.version === version : stryMutAct_9fa48("400") ? false : stryMutAct_9fa48("399") ? true : (stryCov_9fa48("399", "400", "401"), (stryMutAct_9fa48("402") ? rendered.version : (stryCov_9fa48("402"), rendered?.version)) !== version)) rendered = stryMutAct_9fa48("403") ? {} : (stryCov_9fa48("403"), {
          version,
          byOrigin: new Map()
        });
        let text = rendered.byOrigin.get(base);
        if (stryMutAct_9fa48("406") ? text !== undefined : stryMutAct_9fa48("405") ? false : stryMutAct_9fa48("404") ? true : (stryCov_9fa48("404", "405", "406"), text === undefined)) {
          if (stryMutAct_9fa48("407")) {
            {}
          } else {
            stryCov_9fa48("407");
            text = JSON.stringify(records.map(stryMutAct_9fa48("408") ? () => undefined : (stryCov_9fa48("408"), c => connectionBody(c, base))));
            if (stryMutAct_9fa48("412") ? rendered.byOrigin.size >= 16 : stryMutAct_9fa48("411") ? rendered.byOrigin.size <= 16 : stryMutAct_9fa48("410") ? false : stryMutAct_9fa48("409") ? true : (stryCov_9fa48("409", "410", "411", "412"), rendered.byOrigin.size < 16)) rendered.byOrigin.set(base, text);
          }
        }
        return reply.type(stryMutAct_9fa48("413") ? "" : (stryCov_9fa48("413"), "application/json; charset=utf-8")).send(text);
      }
    });
    operationRoute(app, stryMutAct_9fa48("414") ? "" : (stryCov_9fa48("414"), "createConnection"), async (request, reply) => {
      if (stryMutAct_9fa48("415")) {
        {}
      } else {
        stryCov_9fa48("415");
        const body = connectionBodyOf(request.body, schemas.connectionCreate, stryMutAct_9fa48("416") ? "" : (stryCov_9fa48("416"), "a connection object"));
        const record = newConnection(connectionInput(body), clientId);
        try {
          if (stryMutAct_9fa48("417")) {
            {}
          } else {
            stryCov_9fa48("417");
            await store.insertConnection(record);
          }
        } catch (error) {
          if (stryMutAct_9fa48("418")) {
            {}
          } else {
            stryCov_9fa48("418");
            if (stryMutAct_9fa48("420") ? false : stryMutAct_9fa48("419") ? true : (stryCov_9fa48("419", "420"), error instanceof NameTakenError)) {
              if (stryMutAct_9fa48("421")) {
                {}
              } else {
                stryCov_9fa48("421");
                throw new errors.MGMT_ERR_NAME_TAKEN(JSON.stringify(record.name));
              }
            }
            throw error;
          }
        }
        return reply.code(201).send(connectionBody(record, origin(request)));
      }
    });
    operationRoute(app, stryMutAct_9fa48("422") ? "" : (stryCov_9fa48("422"), "getConnection"), async request => {
      if (stryMutAct_9fa48("423")) {
        {}
      } else {
        stryCov_9fa48("423");
        const {
          connectionName
        } = request.params;
        const record = await store.getConnection(connectionName);
        if (stryMutAct_9fa48("426") ? false : stryMutAct_9fa48("425") ? true : stryMutAct_9fa48("424") ? record : (stryCov_9fa48("424", "425", "426"), !record)) throw connectionNotFound(connectionName);
        return connectionBody(record, origin(request));
      }
    });
    operationRoute(app, stryMutAct_9fa48("427") ? "" : (stryCov_9fa48("427"), "updateConnection"), async request => {
      if (stryMutAct_9fa48("428")) {
        {}
      } else {
        stryCov_9fa48("428");
        const {
          connectionName
        } = request.params;
        const body = connectionBodyOf(request.body, schemas.connectionReplace, stryMutAct_9fa48("429") ? "" : (stryCov_9fa48("429"), "the whole connection object"));
        if (stryMutAct_9fa48("432") ? body.name === connectionName : stryMutAct_9fa48("431") ? false : stryMutAct_9fa48("430") ? true : (stryCov_9fa48("430", "431", "432"), body.name !== connectionName)) {
          if (stryMutAct_9fa48("433")) {
            {}
          } else {
            stryCov_9fa48("433");
            throw withDetail(new errors.MGMT_ERR_RENAME(JSON.stringify(connectionName)), stryMutAct_9fa48("434") ? "" : (stryCov_9fa48("434"), "name must equal the connection name in the path"));
          }
        }
        const current = await store.getConnection(connectionName);
        if (stryMutAct_9fa48("437") ? false : stryMutAct_9fa48("436") ? true : stryMutAct_9fa48("435") ? current : (stryCov_9fa48("435", "436", "437"), !current)) throw connectionNotFound(connectionName);
        if (stryMutAct_9fa48("440") ? body.strategy === current.strategy : stryMutAct_9fa48("439") ? false : stryMutAct_9fa48("438") ? true : (stryCov_9fa48("438", "439", "440"), body.strategy !== current.strategy)) {
          if (stryMutAct_9fa48("441")) {
            {}
          } else {
            stryCov_9fa48("441");
            throw withDetail(new errors.MGMT_ERR_STRATEGY_CHANGE(JSON.stringify(current.strategy)), stryMutAct_9fa48("442") ? "" : (stryCov_9fa48("442"), "strategy must equal the connection's current strategy"));
          }
        }
        const record = replacedConnection(current, connectionInput(body));
        if (stryMutAct_9fa48("445") ? false : stryMutAct_9fa48("444") ? true : stryMutAct_9fa48("443") ? await store.replaceConnection(record) : (stryCov_9fa48("443", "444", "445"), !(await store.replaceConnection(record)))) throw connectionNotFound(connectionName);
        return connectionBody(record, origin(request));
      }
    });
    operationRoute(app, stryMutAct_9fa48("446") ? "" : (stryCov_9fa48("446"), "deleteConnection"), async request => {
      if (stryMutAct_9fa48("447")) {
        {}
      } else {
        stryCov_9fa48("447");
        const {
          connectionName
        } = request.params;
        const id = await store.deleteConnection(connectionName);
        if (stryMutAct_9fa48("450") ? id !== undefined : stryMutAct_9fa48("449") ? false : stryMutAct_9fa48("448") ? true : (stryCov_9fa48("448", "449", "450"), id === undefined)) throw connectionNotFound(connectionName);
        return stryMutAct_9fa48("451") ? {} : (stryCov_9fa48("451"), {
          removed: id
        });
      }
    });
  }
}