/**
 * Every statement of the Management API v1 reference document, in its words and its order, with
 * the properties that judge it: check ids, response validator ids, and generated families
 * (`<operationId>/<kind>/<name>`, as `familiesOf` names them). A statement no request can observe
 * says why instead. CHECKS.md prints the table; src/statements.test.ts holds it to the catalog.
 */
import { endpointStatements } from "./statements/endpoint.js";
import { operationStatements } from "./statements/operations.js";
import type { Statement } from "./statements/statement.js";

export type { Statement } from "./statements/statement.js";

/** Every statement of the document, in its order. */
export const statements: readonly Statement[] = [...endpointStatements, ...operationStatements];
