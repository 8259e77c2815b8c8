// This file is generated. Do not edit it by hand.
// Source: spec/openapi.yaml (bundled). Command: pnpm --filter @mgmtkit/spec generate.
// The tests fail when it differs from a fresh generation; regenerate after every spec change.

/** The `operationId` of every operation the spec documents. */
export type OperationId = "getAccessToken" | "listConnections" | "createConnection" | "getConnection" | "updateConnection" | "deleteConnection" | "listUsers" | "listConnectionUsers" | "listSocialConnectionUsers";

/** The documented strategies (`components.schemas.Strategy`). */
export type Strategy = "adfs" | "google-apps" | "google-oauth2" | "office365" | "windowslive";
