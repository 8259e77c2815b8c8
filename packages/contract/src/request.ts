/** How a request carries the access token. */
export type AuthMode =
  | { kind: "none" }
  /** `Authorization: <scheme> <token>`; the document writes `bearer`. */
  | { kind: "header"; scheme: string; token?: string }
  /** `?access_token=<token>`. */
  | { kind: "query"; token?: string }
  /** Any other header carrying the token (which the document says is not accepted). */
  | { kind: "other-header"; name: string; token?: string };

/** A request as a check describes it; the transport turns it into bytes on the wire. */
export interface RequestSpec {
  /** PATCH and HEAD only where a check asks what a server does with a method it may not implement. */
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD";
  /** Path under the base URL, starting with "/" (may end in "/"). */
  path: string;
  /** Query parameters; an array value sends the parameter once per element, in order. */
  query?: Record<string, string | string[]>;
  /** Where the token goes. Default: `Authorization: bearer <the run's token>`. */
  auth?: AuthMode;
  /** Headers sent as given, after those the body implies (so they can override Content-Type). */
  headers?: Record<string, string>;
  /** A JSON body, serialised as is, sent as `application/json`. */
  json?: unknown;
  /** A form-encoded body, sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  /** A raw body, sent byte for byte without a Content-Type (malformed JSON and the like). */
  raw?: string;
}

/** A request with every byte decided: what a `Wire` sends. */
export interface Outgoing {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** The URL of `path` under `baseUrl`, whose own path is kept. */
export function urlUnder(baseUrl: string, path: string): URL {
  return new URL(baseUrl.replace(/\/+$/, "") + path);
}

/**
 * The request `req` describes, sent to `baseUrl` with `token` wherever its auth mode puts it:
 * exactly the headers and body it asks for, nothing the wire would add on its own but
 * Content-Length.
 */
export function buildRequest(
  baseUrl: string,
  req: RequestSpec,
  token: string | undefined,
): Outgoing {
  const url = urlUnder(baseUrl, req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, value);
  }
  const headers: Record<string, string> = {};
  const auth = req.auth ?? { kind: "header", scheme: "bearer" };
  if (auth.kind === "header") {
    headers.Authorization = `${auth.scheme} ${auth.token ?? token ?? ""}`;
  } else if (auth.kind === "query") {
    url.searchParams.set("access_token", auth.token ?? token ?? "");
  } else if (auth.kind === "other-header") {
    headers[auth.name] = auth.token ?? token ?? "";
  }
  let body: string | undefined;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers["Content-Type"] = "application/json";
  } else if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (req.raw !== undefined) {
    body = req.raw;
  }
  Object.assign(headers, req.headers);
  return { method: req.method, url, headers, ...(body !== undefined ? { body } : {}) };
}
