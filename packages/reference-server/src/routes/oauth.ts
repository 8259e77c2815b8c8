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
export async function oauthRoutes(
  app: FastifyInstance,
  { tokens, onInternalError }: RouteContext & { onInternalError: InternalErrorListener },
): Promise<void> {
  acceptForms(app);

  app.setErrorHandler((error, request, reply) => {
    const answer = toApiError(error, request, onInternalError);
    if (answer.statusCode !== 400 && answer.statusCode !== 401) return sendApiError(reply, answer);
    return reply
      .code(answer.statusCode)
      .send({ error: oauthErrorCode(answer.code), error_description: answer.message });
  });

  operationRoute(app, "getAccessToken", async (request, reply) => {
    const { body } = request;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new errors.MGMT_ERR_OAUTH_INVALID_REQUEST(
        "The request body must hold client_id, client_secret and grant_type.",
      );
    }
    if ("grant_type" in body && typeof body.grant_type === "string") {
      if (body.grant_type !== "client_credentials") {
        throw new errors.MGMT_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE();
      }
    }
    const verdict = check(schemas.tokenRequest, body);
    if (!verdict.ok) {
      const first = verdict.problems[0] ?? "the body is invalid";
      const missing = /must have required property '([^']+)'/.exec(verdict.problems.join("; "));
      throw new errors.MGMT_ERR_OAUTH_INVALID_REQUEST(
        missing ? `The ${missing[1]} parameter is required.` : `Invalid token request: ${first}.`,
      );
    }
    if (!tokens.authenticate(verdict.value.client_id, verdict.value.client_secret)) {
      throw new errors.MGMT_ERR_OAUTH_INVALID_CLIENT();
    }
    const { token, expiresIn } = await tokens.issue();
    // Cache-Control: no-store is on every answer (see buildApp); RFC 6749 section 5.1 adds this.
    reply.header("pragma", "no-cache");
    return { access_token: token, token_type: "bearer", expires_in: expiresIn };
  });
}
