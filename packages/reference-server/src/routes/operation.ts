import { getOperation, type OperationId } from "@mgmtkit/spec/model";
import type {
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from "fastify";
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
export type OperationTypes = {
  [Id in OperationId]: {
    getAccessToken: { Body: unknown };
    listConnections: RouteGenericInterface;
    createConnection: { Body: unknown };
    getConnection: { Params: ConnectionParams };
    updateConnection: { Params: ConnectionParams; Body: unknown };
    deleteConnection: { Params: ConnectionParams };
    listUsers: { Querystring: QueryValues };
    listConnectionUsers: { Params: ConnectionParams; Querystring: QueryValues };
    listSocialConnectionUsers: { Querystring: QueryValues };
  }[Id];
};

export type OperationHandler<Id extends OperationId> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  OperationTypes[Id]
>;

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
  return new errors.MGMT_ERR_CONNECTION_NOT_FOUND(JSON.stringify(name.slice(0, 200)));
}

/**
 * Registers the handler of one operation of the spec at its method and path. A body in a media
 * type the operation does not take is refused (415) before the handler runs.
 */
export function operationRoute<Id extends OperationId>(
  app: FastifyInstance,
  id: Id,
  handler: OperationHandler<Id>,
): void {
  const operation = getOperation(id);
  const accepted = operation.requestBody?.mediaTypes ?? [];
  app.route<OperationTypes[Id]>({
    method: operation.method,
    url: operation.path.replace(/\{([^}]+)\}/g, ":$1"),
    preValidation: async (request) => refuseUnparsed(request, accepted),
    handler,
  });
}
