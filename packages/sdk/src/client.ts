import { findLink } from "@mgmtkit/spec/link";
import openapiFetch, { type Client, mergeHeaders } from "openapi-fetch";
import { createApiError, createSecrets, ManagementError, parseJson, safeUrl } from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { Answer, TokenSource } from "./http.js";
import { createLog } from "./log.js";
import type { ListOptions, ManagementClientOptions, RequestOptions } from "./options.js";
import { clientCredentials } from "./token-provider.js";
import { createTransport, toResponse } from "./transport.js";
import type {
  Connection,
  ConnectionCreate,
  ConnectionReplacement,
  CreatedConnection,
  RemovedConnection,
  User,
} from "./types.js";

/** The promise of a method's data, which can also give the HTTP response it came with. */
export interface ApiPromise<T> extends Promise<T> {
  /** The same call's `{ data, response }`: the response of the last page for the lists, its body still readable. */
  withResponse(): Promise<{ data: T; response: Response }>;
}

export interface ManagementClient {
  connections: {
    /** Every connection of the tenant. */
    list(options?: RequestOptions): ApiPromise<Connection[]>;
    /** The connection with this name; rejects with `NotFoundError` (status 404) when there is none. */
    get(name: string, options?: RequestOptions): ApiPromise<Connection>;
    /** Creates a connection and answers it with its server-assigned fields. Not retried unless `retryPost`. */
    create(connection: ConnectionCreate, options?: RequestOptions): ApiPromise<CreatedConnection>;
    /** Replaces the whole connection (every field, `client_id` included); a fetched connection can be sent back. */
    update(
      name: string,
      connection: ConnectionReplacement | Connection,
      options?: RequestOptions,
    ): ApiPromise<Connection>;
    /**
     * Deletes the connection; answers `{ removed: id }`. A retry after an answer lost on the way
     * can meet the deletion done by the first attempt: it then rejects with `NotFoundError`.
     */
    delete(name: string, options?: RequestOptions): ApiPromise<RemovedConnection>;
  };
  users: {
    /** Every user who signed in through any connection, all pages. */
    list(options?: ListOptions): ApiPromise<User[]>;
    /** Every user of one connection, all pages. */
    listByConnection(name: string, options?: ListOptions): ApiPromise<User[]>;
    /** Every user of the social connections, all pages. */
    listSocial(options?: ListOptions): ApiPromise<User[]>;
    /** The users of `list`, one at a time, fetching each page when the previous one is used up. */
    iterate(options?: ListOptions): AsyncGenerator<User, void, undefined>;
    /** The users of `listByConnection`, one at a time, page by page. */
    iterateByConnection(name: string, options?: ListOptions): AsyncGenerator<User, void, undefined>;
    /** The users of `listSocial`, one at a time, page by page. */
    iterateSocial(options?: ListOptions): AsyncGenerator<User, void, undefined>;
  };
  /** The access token the calls use: the cached one, or a fresh one from the token endpoint or the supplier. */
  getAccessToken(): Promise<string>;
  /** The typed openapi-fetch client, with the same tokens, retries, time limits and redirect rules; it answers `{ data, error, response }` instead of throwing. */
  raw: Client<paths>;
}

// A default import of openapi-fetch's CommonJS build (what our .cjs output requires) yields the
// module object under Node's interop rules, with the function on its `default`.
const createClient: typeof openapiFetch =
  (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

/** The data of a call and the answer it came with. */
type Result<T> = [data: T, answer: Answer];

/** Creates a client of the Management API v1. */
export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  const { clientId, clientSecret, accessToken, namespace, headers } = options;
  const base =
    options.baseUrl ??
    (namespace && (/^https?:\/\//i.test(namespace) ? "" : "https://") + namespace);
  if (!base) throw new ManagementError("createManagementClient needs baseUrl or namespace.");
  const baseUrl = base.replace(/\/+$/, "");
  let origin: string;
  try {
    ({ origin } = new URL(baseUrl));
  } catch {
    throw new ManagementError(
      `baseUrl must be an absolute URL such as https://tenant.example, not "${base}".`,
    );
  }
  const secrets = createSecrets(clientSecret);
  const { scrub } = secrets;
  const log = createLog(options, scrub);
  const send = createTransport(options, secrets, log);
  const tokens: TokenSource | undefined =
    typeof accessToken === "function"
      ? // The caller's own tokens: asked before each attempt, and once more after a 401.
        { get: accessToken, refresh() {} }
      : accessToken
        ? { get: () => accessToken }
        : clientId && clientSecret
          ? clientCredentials({
              url: `${baseUrl}/oauth/token`,
              clientId,
              clientSecret,
              headers,
              send,
              scrub,
            })
          : undefined;
  if (!tokens) {
    throw new ManagementError(
      "createManagementClient needs clientId and clientSecret, or accessToken.",
    );
  }

  /** Tells `onError` and the log about an error a call rejects with, and gives it back. */
  const report = (error: unknown) => {
    if (error instanceof ManagementError) {
      options.onError?.(error);
      log?.("error", error.message);
    }
    return error;
  };

  /**
   * The one request path of the methods, later pages included: sends, then gives the JSON array
   * or object the API promises, or throws the error the answer amounts to.
   */
  async function request<T>(
    method: string,
    url: string,
    o: RequestOptions = {},
    expect: "array" | "object",
    body?: object,
  ): Promise<Result<T>> {
    try {
      const answer = await send(
        {
          url,
          method,
          headers: mergeHeaders(headers, o.headers, body && { "content-type": "application/json" }),
          body: body && JSON.stringify(body),
        },
        o,
        tokens,
      );
      const { ok, status } = answer.response;
      const data = parseJson(answer.text);
      if (ok && data instanceof Object && Array.isArray(data) === (expect === "array")) {
        return [data as T, answer];
      }
      throw createApiError(
        method,
        url,
        answer,
        scrub,
        ok && `answered ${status} without the JSON ${expect} the API promises.`,
      );
    } catch (error) {
      throw report(error);
    }
  }

  /** `/api/connections/<name><rest>`, refusing names that are no single path segment. */
  const at = (name: string, rest = "") => {
    // Encoded or not, "." and ".." are dot-segments: the URL would point at another resource.
    if (/^\.{0,2}$/.test(name)) {
      throw report(new ManagementError(`"${name}" is not a connection name.`));
    }
    return `/api/connections/${encodeURIComponent(name)}${rest}`;
  };

  function wrap<T>(result: Promise<Result<T>>): ApiPromise<T> {
    const data = result.then(([d]) => d) as ApiPromise<T>;
    data.withResponse = () => {
      // The caller awaits this one instead: the other must not report an unhandled rejection.
      data.catch(() => {});
      return result.then(([d, answer]) => ({ data: d, response: toResponse(answer, scrub) }));
    };
    return data;
  }

  /** One connection's call; a bad name rejects it (the async function turns the throw into that). */
  const one = <T>(method: string, name: string, o?: RequestOptions, body?: object) =>
    wrap((async () => request<T>(method, baseUrl + at(name), o, "object", body))());

  async function* pages(path: string, o: ListOptions = {}, name?: string) {
    const max = o.maxPages ?? options.maxPages ?? 1000;
    const first = name === undefined ? path : at(name, path);
    let url = baseUrl + first + (o.perPage ? `?per_page=${o.perPage}` : "");
    // Recent pages only: a longer cycle ends at maxPages, and memory stays bounded.
    const seen: string[] = [];
    for (let count = 1; ; count++) {
      const page = await request<User[]>("GET", url, o, "array");
      yield page;
      const [users, answer] = page;
      // An empty page ends the list even when the server links a next one.
      const next = users.length && findLink(answer.response.headers.get("link"));
      if (!next) return;
      if (seen.push(url) > 100) seen.shift();
      url = new URL(next, answer.url).href;
      // The token goes with every page, so it only goes where the client was pointed.
      const problem =
        new URL(url).origin !== origin
          ? `to another origin (${safeUrl(url, scrub)})`
          : seen.includes(url)
            ? "to a page it already sent"
            : count >= max && `after ${max} pages (maxPages)`;
      if (problem) {
        throw report(
          new ManagementError(`GET ${first} sent a Link rel="next" ${problem}; not followed.`),
        );
      }
    }
  }
  async function* each(path: string, o?: ListOptions, name?: string) {
    for await (const [users] of pages(path, o, name)) yield* users;
  }
  async function all(path: string, o?: ListOptions, name?: string): Promise<Result<User[]>> {
    const data: User[] = [];
    let last: Result<User[]> | undefined;
    for await (last of pages(path, o, name)) data.push(...last[0]);
    return [data, (last as Result<User[]>)[1]];
  }

  /** A `raw` call's answer, kept where the call can find it; openapi-fetch copies unknown init keys onto its Request. */
  type Call = { answer?: Answer };
  // openapi-fetch's `fetch`: each request of `raw` goes through the transport.
  const transport = async (r: Request & { mgmtkit?: Call }) => {
    let answer: Answer;
    try {
      answer = await send(r, {}, tokens);
    } catch (error) {
      throw report(error);
    }
    if (r.mgmtkit) r.mgmtkit.answer = answer;
    return toResponse(answer, scrub);
  };
  const client = createClient<paths>({ baseUrl, headers, fetch: transport });
  // `raw` is openapi-fetch's client, its calls only taught to answer a 2xx that is not JSON.
  const rawRequest = (method: string, path: string, init?: object) => {
    const call: Call = {};
    return (client.request as unknown as (m: string, p: string, i: object) => Promise<object>)(
      method,
      path,
      { ...init, mgmtkit: call },
    ).catch((e: unknown) => {
      // openapi-fetch throws a SyntaxError for a 2xx that is not JSON; raw answers instead.
      const { answer } = call;
      if (!(e instanceof SyntaxError && answer)) throw e;
      const problem = `answered ${answer.response.status} with a body that is not JSON.`;
      return {
        error: createApiError(method.toUpperCase(), answer.url, answer, scrub, problem),
        response: toResponse(answer, scrub),
      };
    });
  };
  const raw = { ...client, request: rawRequest } as Record<string, unknown>;
  for (const m of ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]) {
    raw[m] = (path: string, init?: object) => rawRequest(m, path, init);
  }

  return {
    connections: {
      list: (o) => wrap(request("GET", `${baseUrl}/api/connections`, o, "array")),
      get: (name, o) => one("GET", name, o),
      create: (connection, o) =>
        wrap(request("POST", `${baseUrl}/api/connections`, o, "object", connection)),
      update: (name, connection, o) => one("PUT", name, o, connection),
      delete: (name, o) => one("DELETE", name, o),
    },
    users: {
      list: (o) => wrap(all("/api/users", o)),
      listByConnection: (name, o) => wrap(all("/users", o, name)),
      listSocial: (o) => wrap(all("/api/socialconnections/users", o)),
      iterate: (o) => each("/api/users", o),
      iterateByConnection: (name, o) => each("/users", o, name),
      iterateSocial: (o) => each("/api/socialconnections/users", o),
    },
    async getAccessToken() {
      const token = await tokens.get();
      secrets.add(token);
      return token;
    },
    raw: raw as unknown as Client<paths>,
  };
}
