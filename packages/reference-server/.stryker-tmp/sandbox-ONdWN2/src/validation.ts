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
import { createSpecValidator, getOperation, type OperationId, type OperationModel, type Strategy, specRef } from "@mgmtkit/spec/model";
import type { ValidateFunction } from "ajv";

/** The spec's validator, shared by the routes and the seed loader. */
export const validator = createSpecValidator();

/** A schema of the spec and the TypeScript type of the values it accepts. */
export interface Schema<T> {
  readonly ref: string;
  readonly validate: ValidateFunction<T>;
}

/** The spec validator's own compiled function of `ref` (ajv caches it), compiled at start. */
function schemaAt<T>(ref: string): Schema<T> {
  if (stryMutAct_9fa48("966")) {
    {}
  } else {
    stryCov_9fa48("966");
    const validate = validator.ajv.getSchema<T>(ref);
    if (stryMutAct_9fa48("969") ? false : stryMutAct_9fa48("968") ? true : stryMutAct_9fa48("967") ? validate : (stryCov_9fa48("967", "968", "969"), !validate)) throw new Error(stryMutAct_9fa48("970") ? `` : (stryCov_9fa48("970"), `The spec has no schema at ${ref}.`));
    return stryMutAct_9fa48("971") ? {} : (stryCov_9fa48("971"), {
      ref,
      validate
    });
  }
}

/** The schema of an operation's request body in one media type. */
function bodySchema<T>(id: OperationId, mediaType: string): Schema<T> {
  if (stryMutAct_9fa48("972")) {
    {}
  } else {
    stryCov_9fa48("972");
    const media = stryMutAct_9fa48("973") ? getOperation(id).requestBody.content.find(c => c.mediaType === mediaType) : (stryCov_9fa48("973"), getOperation(id).requestBody?.content.find(stryMutAct_9fa48("974") ? () => undefined : (stryCov_9fa48("974"), c => stryMutAct_9fa48("977") ? c.mediaType !== mediaType : stryMutAct_9fa48("976") ? false : stryMutAct_9fa48("975") ? true : (stryCov_9fa48("975", "976", "977"), c.mediaType === mediaType))));
    if (stryMutAct_9fa48("980") ? false : stryMutAct_9fa48("979") ? true : stryMutAct_9fa48("978") ? media : (stryCov_9fa48("978", "979", "980"), !media)) throw new Error(stryMutAct_9fa48("981") ? `` : (stryCov_9fa48("981"), `${id} takes no ${mediaType} body in the spec.`));
    return schemaAt<T>(media.schemaRef);
  }
}

/** A create body (`ConnectionCreate`): only the name and the strategy are required. */
export interface ConnectionCreateBody {
  name: string;
  strategy: Strategy;
  status?: 0 | 1;
  options?: Record<string, unknown>;
  [ignored: string]: unknown;
}

/** A replacement body: the whole connection. */
export interface ConnectionReplaceBody extends ConnectionCreateBody {
  status: 0 | 1;
  options: Record<string, unknown>;
}

/** The client-credentials grant (`TokenRequest`). */
export interface TokenRequestBody {
  client_id: string;
  client_secret: string;
  grant_type: "client_credentials";
  type?: "web_server";
}

/** A user object of the API (`User`). */
export interface UserBody {
  user_id: string;
  [field: string]: unknown;
}
export const schemas = stryMutAct_9fa48("982") ? {} : (stryCov_9fa48("982"), {
  connectionCreate: bodySchema<ConnectionCreateBody>(stryMutAct_9fa48("983") ? "" : (stryCov_9fa48("983"), "createConnection"), stryMutAct_9fa48("984") ? "" : (stryCov_9fa48("984"), "application/json")),
  connectionReplace: bodySchema<ConnectionReplaceBody>(stryMutAct_9fa48("985") ? "" : (stryCov_9fa48("985"), "updateConnection"), stryMutAct_9fa48("986") ? "" : (stryCov_9fa48("986"), "application/json")),
  tokenRequest: bodySchema<TokenRequestBody>(stryMutAct_9fa48("987") ? "" : (stryCov_9fa48("987"), "getAccessToken"), stryMutAct_9fa48("988") ? "" : (stryCov_9fa48("988"), "application/x-www-form-urlencoded")),
  user: schemaAt<UserBody>(specRef(stryMutAct_9fa48("989") ? "" : (stryCov_9fa48("989"), "components"), stryMutAct_9fa48("990") ? "" : (stryCov_9fa48("990"), "schemas"), stryMutAct_9fa48("991") ? "" : (stryCov_9fa48("991"), "User")))
});

/**
 * Checks a value against a schema of the spec: the value typed when it conforms, else the problems,
 * one per failing field, as the spec's explainer words them.
 */
export function check<T>(schema: Schema<T>, data: unknown): {
  ok: true;
  value: T;
} | {
  ok: false;
  problems: string[];
} {
  if (stryMutAct_9fa48("992")) {
    {}
  } else {
    stryCov_9fa48("992");
    if (stryMutAct_9fa48("994") ? false : stryMutAct_9fa48("993") ? true : (stryCov_9fa48("993", "994"), schema.validate(data))) return stryMutAct_9fa48("995") ? {} : (stryCov_9fa48("995"), {
      ok: stryMutAct_9fa48("996") ? false : (stryCov_9fa48("996"), true),
      value: data
    });
    return stryMutAct_9fa48("997") ? {} : (stryCov_9fa48("997"), {
      ok: stryMutAct_9fa48("998") ? true : (stryCov_9fa48("998"), false),
      problems: validator.problems(schema.ref, data)
    });
  }
}

/** The paging parameters of a user list, checked against the operation's declared parameters. */
export function checkPaging(operation: OperationModel, query: Record<string, unknown>): {
  ok: true;
  perPage?: number;
  page: number;
} | {
  ok: false;
  problems: string[];
} {
  if (stryMutAct_9fa48("999")) {
    {}
  } else {
    stryCov_9fa48("999");
    const verdict = validator.checkQuery(operation, query);
    if (stryMutAct_9fa48("1002") ? false : stryMutAct_9fa48("1001") ? true : stryMutAct_9fa48("1000") ? verdict.ok : (stryCov_9fa48("1000", "1001", "1002"), !verdict.ok)) return verdict;
    const {
      per_page: perPage,
      page = 0
    } = verdict.values;
    if (stryMutAct_9fa48("1005") ? typeof page === "number" : stryMutAct_9fa48("1004") ? false : stryMutAct_9fa48("1003") ? true : (stryCov_9fa48("1003", "1004", "1005"), typeof page !== (stryMutAct_9fa48("1006") ? "" : (stryCov_9fa48("1006"), "number")))) return stryMutAct_9fa48("1007") ? {} : (stryCov_9fa48("1007"), {
      ok: stryMutAct_9fa48("1008") ? true : (stryCov_9fa48("1008"), false),
      problems: stryMutAct_9fa48("1009") ? [] : (stryCov_9fa48("1009"), [stryMutAct_9fa48("1010") ? "" : (stryCov_9fa48("1010"), "page must be integer")])
    });
    if (stryMutAct_9fa48("1013") ? typeof perPage === "number" : stryMutAct_9fa48("1012") ? false : stryMutAct_9fa48("1011") ? true : (stryCov_9fa48("1011", "1012", "1013"), typeof perPage !== (stryMutAct_9fa48("1014") ? "" : (stryCov_9fa48("1014"), "number")))) return stryMutAct_9fa48("1015") ? {} : (stryCov_9fa48("1015"), {
      ok: stryMutAct_9fa48("1016") ? false : (stryCov_9fa48("1016"), true),
      page
    });
    // The stores bind the offset as a 64-bit integer. The spec's bounds keep it far below that; this
    // keeps a 500 away should they ever widen.
    if (stryMutAct_9fa48("1019") ? false : stryMutAct_9fa48("1018") ? true : stryMutAct_9fa48("1017") ? Number.isSafeInteger(perPage * page) : (stryCov_9fa48("1017", "1018", "1019"), !Number.isSafeInteger(stryMutAct_9fa48("1020") ? perPage / page : (stryCov_9fa48("1020"), perPage * page)))) {
      if (stryMutAct_9fa48("1021")) {
        {}
      } else {
        stryCov_9fa48("1021");
        return stryMutAct_9fa48("1022") ? {} : (stryCov_9fa48("1022"), {
          ok: stryMutAct_9fa48("1023") ? true : (stryCov_9fa48("1023"), false),
          problems: stryMutAct_9fa48("1024") ? [] : (stryCov_9fa48("1024"), [stryMutAct_9fa48("1025") ? `` : (stryCov_9fa48("1025"), `page must be <= ${Math.floor(stryMutAct_9fa48("1026") ? Number.MAX_SAFE_INTEGER * perPage : (stryCov_9fa48("1026"), Number.MAX_SAFE_INTEGER / perPage))}`)])
        });
      }
    }
    return stryMutAct_9fa48("1027") ? {} : (stryCov_9fa48("1027"), {
      ok: stryMutAct_9fa48("1028") ? false : (stryCov_9fa48("1028"), true),
      perPage,
      page
    });
  }
}