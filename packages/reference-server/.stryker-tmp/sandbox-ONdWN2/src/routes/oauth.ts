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
import { errors, oauthErrorCode } from "../errors.js";
import { acceptForms } from "../plugins/body-parsing.js";
import { type InternalErrorListener, sendApiError, toApiError } from "../plugins/errors.js";
import { check, schemas } from "../validation.js";
import { operationRoute, type RouteContext } from "./operation.js";

/**
 * `POST /oauth/token`, the client-credentials grant, form-encoded (as the document sends it) or
 * JSON. Its 400 and 401 answers are RFC 6749 section 5.2 bodies; the rest are the API's errors.
 */
export async function oauthRoutes(app: FastifyInstance, {
  tokens,
  onInternalError
}: RouteContext & {
  onInternalError: InternalErrorListener;
}): Promise<void> {
  if (stryMutAct_9fa48("462")) {
    {}
  } else {
    stryCov_9fa48("462");
    acceptForms(app);
    app.setErrorHandler((error, request, reply) => {
      if (stryMutAct_9fa48("463")) {
        {}
      } else {
        stryCov_9fa48("463");
        const answer = toApiError(error, request, onInternalError);
        if (stryMutAct_9fa48("466") ? answer.statusCode !== 400 || answer.statusCode !== 401 : stryMutAct_9fa48("465") ? false : stryMutAct_9fa48("464") ? true : (stryCov_9fa48("464", "465", "466"), (stryMutAct_9fa48("468") ? answer.statusCode === 400 : stryMutAct_9fa48("467") ? true : (stryCov_9fa48("467", "468"), answer.statusCode !== 400)) && (stryMutAct_9fa48("470") ? answer.statusCode === 401 : stryMutAct_9fa48("469") ? true : (stryCov_9fa48("469", "470"), answer.statusCode !== 401)))) return sendApiError(reply, answer);
        return reply.code(answer.statusCode).header(stryMutAct_9fa48("471") ? "" : (stryCov_9fa48("471"), "cache-control"), stryMutAct_9fa48("472") ? "" : (stryCov_9fa48("472"), "no-store")).send(stryMutAct_9fa48("473") ? {} : (stryCov_9fa48("473"), {
          error: oauthErrorCode(answer.code),
          error_description: answer.message
        }));
      }
    });
    operationRoute(app, stryMutAct_9fa48("474") ? "" : (stryCov_9fa48("474"), "getAccessToken"), async (request, reply) => {
      if (stryMutAct_9fa48("475")) {
        {}
      } else {
        stryCov_9fa48("475");
        const {
          body
        } = request;
        if (stryMutAct_9fa48("478") ? (typeof body !== "object" || body === null) && Array.isArray(body) : stryMutAct_9fa48("477") ? false : stryMutAct_9fa48("476") ? true : (stryCov_9fa48("476", "477", "478"), (stryMutAct_9fa48("480") ? typeof body !== "object" && body === null : stryMutAct_9fa48("479") ? false : (stryCov_9fa48("479", "480"), (stryMutAct_9fa48("482") ? typeof body === "object" : stryMutAct_9fa48("481") ? false : (stryCov_9fa48("481", "482"), typeof body !== (stryMutAct_9fa48("483") ? "" : (stryCov_9fa48("483"), "object")))) || (stryMutAct_9fa48("485") ? body !== null : stryMutAct_9fa48("484") ? false : (stryCov_9fa48("484", "485"), body === null)))) || Array.isArray(body))) {
          if (stryMutAct_9fa48("486")) {
            {}
          } else {
            stryCov_9fa48("486");
            throw new errors.MGMT_ERR_OAUTH_INVALID_REQUEST(stryMutAct_9fa48("487") ? "" : (stryCov_9fa48("487"), "The request body must hold client_id, client_secret and grant_type."));
          }
        }
        if (stryMutAct_9fa48("490") ? "grant_type" in body || typeof body.grant_type === "string" : stryMutAct_9fa48("489") ? false : stryMutAct_9fa48("488") ? true : (stryCov_9fa48("488", "489", "490"), (stryMutAct_9fa48("491") ? "" : (stryCov_9fa48("491"), "grant_type")) in body && (stryMutAct_9fa48("493") ? typeof body.grant_type !== "string" : stryMutAct_9fa48("492") ? true : (stryCov_9fa48("492", "493"), typeof body.grant_type === (stryMutAct_9fa48("494") ? "" : (stryCov_9fa48("494"), "string")))))) {
          if (stryMutAct_9fa48("495")) {
            {}
          } else {
            stryCov_9fa48("495");
            if (stryMutAct_9fa48("498") ? body.grant_type === "client_credentials" : stryMutAct_9fa48("497") ? false : stryMutAct_9fa48("496") ? true : (stryCov_9fa48("496", "497", "498"), body.grant_type !== (stryMutAct_9fa48("499") ? "" : (stryCov_9fa48("499"), "client_credentials")))) {
              if (stryMutAct_9fa48("500")) {
                {}
              } else {
                stryCov_9fa48("500");
                throw new errors.MGMT_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE();
              }
            }
          }
        }
        const verdict = check(schemas.tokenRequest, body);
        if (stryMutAct_9fa48("503") ? false : stryMutAct_9fa48("502") ? true : stryMutAct_9fa48("501") ? verdict.ok : (stryCov_9fa48("501", "502", "503"), !verdict.ok)) {
          if (stryMutAct_9fa48("504")) {
            {}
          } else {
            stryCov_9fa48("504");
            const first = stryMutAct_9fa48("505") ? verdict.problems[0] && "the body is invalid" : (stryCov_9fa48("505"), verdict.problems[0] ?? (stryMutAct_9fa48("506") ? "" : (stryCov_9fa48("506"), "the body is invalid")));
            const missing = (stryMutAct_9fa48("508") ? /must have required property '([']+)'/ : stryMutAct_9fa48("507") ? /must have required property '([^'])'/ : (stryCov_9fa48("507", "508"), /must have required property '([^']+)'/)).exec(verdict.problems.join(stryMutAct_9fa48("509") ? "" : (stryCov_9fa48("509"), "; ")));
            throw new errors.MGMT_ERR_OAUTH_INVALID_REQUEST(missing ? stryMutAct_9fa48("510") ? `` : (stryCov_9fa48("510"), `The ${missing[1]} parameter is required.`) : stryMutAct_9fa48("511") ? `` : (stryCov_9fa48("511"), `Invalid token request: ${first}.`));
          }
        }
        if (stryMutAct_9fa48("514") ? false : stryMutAct_9fa48("513") ? true : stryMutAct_9fa48("512") ? tokens.authenticate(verdict.value.client_id, verdict.value.client_secret) : (stryCov_9fa48("512", "513", "514"), !tokens.authenticate(verdict.value.client_id, verdict.value.client_secret))) {
          if (stryMutAct_9fa48("515")) {
            {}
          } else {
            stryCov_9fa48("515");
            throw new errors.MGMT_ERR_OAUTH_INVALID_CLIENT();
          }
        }
        const {
          token,
          expiresIn
        } = await tokens.issue();
        reply.header(stryMutAct_9fa48("516") ? "" : (stryCov_9fa48("516"), "cache-control"), stryMutAct_9fa48("517") ? "" : (stryCov_9fa48("517"), "no-store")).header(stryMutAct_9fa48("518") ? "" : (stryCov_9fa48("518"), "pragma"), stryMutAct_9fa48("519") ? "" : (stryCov_9fa48("519"), "no-cache"));
        return stryMutAct_9fa48("520") ? {} : (stryCov_9fa48("520"), {
          access_token: token,
          token_type: stryMutAct_9fa48("521") ? "" : (stryCov_9fa48("521"), "bearer"),
          expires_in: expiresIn
        });
      }
    });
  }
}