import {
  createSpecValidator,
  getOperation,
  type OperationId,
  type OperationModel,
  type Strategy,
  specRef,
} from "@mgmtkit/spec/model";
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
  const validate = validator.ajv.getSchema<T>(ref);
  if (!validate) throw new Error(`The spec has no schema at ${ref}.`);
  return { ref, validate };
}

/** The schema of an operation's request body in one media type. */
function bodySchema<T>(id: OperationId, mediaType: string): Schema<T> {
  const media = getOperation(id).requestBody?.content.find((c) => c.mediaType === mediaType);
  if (!media) throw new Error(`${id} takes no ${mediaType} body in the spec.`);
  return schemaAt<T>(media.schemaRef);
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

export const schemas = {
  connectionCreate: bodySchema<ConnectionCreateBody>("createConnection", "application/json"),
  connectionReplace: bodySchema<ConnectionReplaceBody>("updateConnection", "application/json"),
  tokenRequest: bodySchema<TokenRequestBody>("getAccessToken", "application/x-www-form-urlencoded"),
  user: schemaAt<UserBody>(specRef("components", "schemas", "User")),
};

/**
 * Checks a value against a schema of the spec: the value typed when it conforms, else the problems,
 * one per failing field, as the spec's explainer words them.
 */
export function check<T>(
  schema: Schema<T>,
  data: unknown,
): { ok: true; value: T } | { ok: false; problems: string[] } {
  if (schema.validate(data)) return { ok: true, value: data };
  return { ok: false, problems: validator.problems(schema.ref, data) };
}

/** The paging parameters of a user list, checked against the operation's declared parameters. */
export function checkPaging(
  operation: OperationModel,
  query: Record<string, unknown>,
): { ok: true; perPage?: number; page: number } | { ok: false; problems: string[] } {
  const verdict = validator.checkQuery(operation, query);
  if (!verdict.ok) return verdict;
  const { per_page: perPage, page = 0 } = verdict.values;
  if (typeof page !== "number") return { ok: false, problems: ["page must be integer"] };
  if (typeof perPage !== "number") return { ok: true, page };
  // The stores bind the offset as a 64-bit integer. The spec's bounds keep it far below that; this
  // keeps a 500 away should they ever widen.
  if (!Number.isSafeInteger(perPage * page)) {
    return {
      ok: false,
      problems: [`page must be <= ${Math.floor(Number.MAX_SAFE_INTEGER / perPage)}`],
    };
  }
  return { ok: true, perPage, page };
}
