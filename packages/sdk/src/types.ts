import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** A connection as the server answers it; `strategy` narrows `options`. */
export type Connection = Schemas["Connection"];
/** What `connections.create` answers: a connection that always carries its `id`. */
export type CreatedConnection = Schemas["CreatedConnection"];
/** The body of `connections.create`: `name` and `strategy` are required, the rest optional. */
export type ConnectionCreate = Schemas["ConnectionCreate"];
/** The body of `connections.update`: `name`, `strategy`, `status` and `options`; the server-owned fields may be left out. */
export type ConnectionReplacement = Schemas["ConnectionReplacement"];
/** The kinds of identity provider: `adfs`, `google-apps`, `google-oauth2`, `office365`, `windowslive`. */
export type Strategy = Connection["strategy"];
/** Whether a connection is active (`1`) or not (`0`). */
export type ConnectionStatus = Schemas["ConnectionStatus"];
/** What `connections.delete` answers: the deleted connection's `id`. */
export type RemovedConnection = Schemas["RemovedConnection"];
/** A user who signed in through one of the tenant's connections. */
export type User = Schemas["User"];
/** The JSON body of a 4xx/5xx answer under `/api`. */
export type ErrorBody = Schemas["Error"];
