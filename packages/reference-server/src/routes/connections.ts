import type { FastifyInstance } from "fastify";
import {
  connectionBody,
  connectionInput,
  newConnection,
  replacedConnection,
} from "../connections.js";
import { errors, withDetail } from "../errors.js";
import { NameTakenError } from "../storage.js";
import { check, type Schema, schemas } from "../validation.js";
import { connectionNotFound, operationRoute, type RouteContext } from "./operation.js";

/** The body, typed by `schema`; a missing or invalid one is a 400 whose detail names each problem. */
function connectionBodyOf<T>(body: unknown, schema: Schema<T>, what: string): T {
  if (body === undefined || body === null) {
    throw withDetail(new errors.MGMT_ERR_BODY_REQUIRED(what), "body is missing");
  }
  const verdict = check(schema, body);
  if (verdict.ok) return verdict.value;
  const detail = verdict.problems.join("; ");
  throw withDetail(new errors.MGMT_ERR_INVALID_BODY("connection", verdict.problems[0]), detail);
}

/** `/api/connections` and `/api/connections/{connectionName}`. */
export async function connectionRoutes(
  app: FastifyInstance,
  { store, clientId, origin }: RouteContext,
): Promise<void> {
  // The rendered list, kept while the store answers the same version (see `ConnectionList`), per
  // origin, as the provisioning ticket URLs depend on it.
  let rendered: { version: string; byOrigin: Map<string, string> } | undefined;

  operationRoute(app, "listConnections", async (request, reply) => {
    const base = origin(request);
    const { version, records } = await store.listConnections();
    if (rendered?.version !== version) rendered = { version, byOrigin: new Map() };
    let text = rendered.byOrigin.get(base);
    if (text === undefined) {
      text = JSON.stringify(records.map((c) => connectionBody(c, base)));
      if (rendered.byOrigin.size < 16) rendered.byOrigin.set(base, text);
    }
    return reply.type("application/json; charset=utf-8").send(text);
  });

  operationRoute(app, "createConnection", async (request, reply) => {
    const body = connectionBodyOf(request.body, schemas.connectionCreate, "a connection object");
    const record = newConnection(connectionInput(body), clientId);
    try {
      await store.insertConnection(record);
    } catch (error) {
      if (error instanceof NameTakenError) {
        throw new errors.MGMT_ERR_NAME_TAKEN(JSON.stringify(record.name));
      }
      throw error;
    }
    return reply.code(201).send(connectionBody(record, origin(request)));
  });

  operationRoute(app, "getConnection", async (request) => {
    const { connectionName } = request.params;
    const record = await store.getConnection(connectionName);
    if (!record) throw connectionNotFound(connectionName);
    return connectionBody(record, origin(request));
  });

  operationRoute(app, "updateConnection", async (request) => {
    const { connectionName } = request.params;
    const body = connectionBodyOf(
      request.body,
      schemas.connectionReplace,
      "the whole connection object",
    );
    if (body.name !== connectionName) {
      throw withDetail(
        new errors.MGMT_ERR_RENAME(JSON.stringify(connectionName)),
        "name must equal the connection name in the path",
      );
    }
    // What is committed, not what this instance heard: a connection another instance created a
    // moment ago is replaced, not answered 404, and the replace keeps its id and strategy.
    const current = await store.getConnection(connectionName, { fresh: true });
    if (!current) throw connectionNotFound(connectionName);
    if (body.strategy !== current.strategy) {
      throw withDetail(
        new errors.MGMT_ERR_STRATEGY_CHANGE(JSON.stringify(current.strategy)),
        "strategy must equal the connection's current strategy",
      );
    }
    const record = replacedConnection(current, connectionInput(body));
    if (!(await store.replaceConnection(record))) throw connectionNotFound(connectionName);
    return connectionBody(record, origin(request));
  });

  operationRoute(app, "deleteConnection", async (request) => {
    const { connectionName } = request.params;
    const id = await store.deleteConnection(connectionName);
    if (id === undefined) throw connectionNotFound(connectionName);
    return { removed: id };
  });
}
