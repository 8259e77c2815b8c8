import type { HttpMethod, Strategy } from "@mgmtkit/spec/model";
import type { RequestSpec } from "../transport.js";
import { type Alteration, alter } from "./alterations.js";

/** How a generated request carries the access token. */
export type AuthDraft =
  /** `Authorization: <scheme> <the run's token>`. */
  | { kind: "header"; scheme: string }
  /** `?access_token=<the run's token>`. */
  | { kind: "query" }
  | { kind: "none" }
  /** The run's token altered, where the request puts it. */
  | { kind: "altered"; alteration: Alteration; place: "header" | "query" }
  /** An Authorization header that is not `bearer <token>`. */
  | { kind: "malformed"; form: "basic" | "token" | "scheme-only" | "twice" | "no-space" }
  /** The run's token in the header and again in the query, or twice in the query. */
  | { kind: "repeated"; places: "header-and-query" | "query-twice" };

/** A value of a form body: text, or one of the run's credentials (altered or not). */
export type FormValue =
  | string
  | { credential: "clientId" | "clientSecret"; alteration?: Alteration };

/**
 * A generated request, as plain data: everything but the run's credentials is fixed here, so that
 * the same seed gives the same drafts whatever the server answers and in whatever order they run.
 */
export interface Draft {
  method: HttpMethod;
  /** The path under the base URL, percent-encoded. */
  path: string;
  /** Query parameters in order; a name may repeat. */
  query: Array<[string, string]>;
  auth: AuthDraft;
  /** Further headers, as sent. */
  headers: Record<string, string>;
  body?: {
    /** The Content-Type header; none when undefined. */
    contentType?: string;
    /** A JSON value, serialised as it is. */
    json?: unknown;
    /** Text sent byte for byte (malformed JSON, numbers JavaScript cannot hold). */
    raw?: string;
    /** A form body. */
    form?: Array<[string, FormValue]>;
    /** Sends the form's parameters as one JSON object instead. */
    formAsJson?: boolean;
    /** Adds `client_id`, as the connection the request replaces shows it, to the JSON body. */
    withTargetClientId?: boolean;
  };
  /** A connection the case creates first (the spec's example body) and deletes afterwards. */
  target?: { name: string; strategy: Strategy };
  /** Names the request may create, deleted afterwards whatever the answer. */
  creates: string[];
}

/** What a draft needs from the run to become a request. */
export interface DraftEnvironment {
  token: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** The client_id the target connection was created with, as the server answered it. */
  targetClientId?: unknown;
  /** Registers a value derived from a secret, with the shell expression that rebuilds it. */
  derived(value: string, expression: string): void;
}

const CREDENTIAL_VARIABLES = {
  clientSecret: "MGMTKIT_CLIENT_SECRET",
  token: "MGMTKIT_TOKEN",
} as const;

/** The request a draft stands for, with the run's credentials filled in. */
export function materialise(draft: Draft, env: DraftEnvironment): RequestSpec {
  const token = env.token ?? "";
  const headers: Record<string, string> = { ...draft.headers };
  const query: Record<string, string[]> = {};
  const add = (name: string, ...values: string[]) => {
    query[name] = [...(query[name] ?? []), ...values];
  };
  for (const [name, value] of draft.query) add(name, value);
  let auth: RequestSpec["auth"] = { kind: "none" };
  const a = draft.auth;
  if (a.kind === "header") auth = { kind: "header", scheme: a.scheme };
  else if (a.kind === "query") auth = { kind: "query" };
  else if (a.kind === "altered") {
    const altered = alter(token, a.alteration, CREDENTIAL_VARIABLES.token);
    if (altered.value) env.derived(altered.value, altered.expression);
    auth =
      a.place === "header"
        ? { kind: "header", scheme: "bearer", token: altered.value }
        : { kind: "query", token: altered.value };
  } else if (a.kind === "malformed") {
    headers.Authorization = {
      basic: `Basic ${token}`,
      token: `Token ${token}`,
      "scheme-only": "bearer",
      twice: `bearer ${token} ${token}`,
      "no-space": `bearer${token}`,
    }[a.form];
  } else if (a.kind === "repeated") {
    if (a.places === "header-and-query") auth = { kind: "header", scheme: "bearer" };
    add("access_token", ...(a.places === "query-twice" ? [token, token] : [token]));
  }
  const request: RequestSpec = { method: draft.method, path: draft.path, auth, headers };
  if (Object.keys(query).length > 0) request.query = query;
  const body = draft.body;
  if (body) {
    let text: string;
    if (body.raw !== undefined) text = body.raw;
    else if (body.form && body.formAsJson) {
      text = JSON.stringify(
        Object.fromEntries(body.form.map(([name, value]) => [name, formValue(value, env)])),
      );
    } else if (body.form) {
      const params = new URLSearchParams();
      for (const [name, value] of body.form) params.append(name, formValue(value, env));
      text = params.toString();
    } else {
      let json = body.json;
      if (body.withTargetClientId && isObject(json) && env.targetClientId !== undefined) {
        json = { client_id: env.targetClientId, ...json };
      }
      text = JSON.stringify(json) ?? "";
    }
    request.raw = text;
    if (body.contentType !== undefined) headers["Content-Type"] = body.contentType;
  }
  return request;
}

function formValue(value: FormValue, env: DraftEnvironment): string {
  if (typeof value === "string") return value;
  const real = (value.credential === "clientId" ? env.clientId : env.clientSecret) ?? "";
  if (!value.alteration) return real;
  const variable =
    value.credential === "clientSecret" ? CREDENTIAL_VARIABLES.clientSecret : "MGMTKIT_CLIENT_ID";
  const altered = alter(real, value.alteration, variable);
  if (value.credential === "clientSecret" && altered.value) {
    env.derived(altered.value, altered.expression);
  }
  return altered.value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
