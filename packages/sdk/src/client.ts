import { findLink } from "@mgmtkit/spec/link";
import openapiFetch, { type Client, type Middleware } from "openapi-fetch";
import {
  createApiError,
  createSecrets,
  ManagementError,
  parseJson,
  safeUrl,
  where,
} from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { Answer, OutgoingRequest, TokenSource } from "./http.js";
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

/** The data of a call, the answer it came with, and the URL it was sent to. */
type Result<T> = [data: T, answer: Answer, url: string];

/** A call through openapi-fetch, as the transport and the SDK's steps fill it in. */
interface Call {
  /** A method's options; none for a call of `raw`. */
  o?: RequestOptions;
  /** The request openapi-fetch built. */
  r?: OutgoingRequest;
  /** Its answer. */
  a?: Answer;
}

/** What a method hands openapi-fetch, with its `params`: `mgmtkit` reaches the transport on the request. */
type Init<P = object> = {
  params: P;
  headers: Record<string, string> | undefined;
  parseAs: "stream";
  Request: typeof Request;
  mgmtkit: Call;
  baseUrl?: string;
};

/**
 * The request openapi-fetch builds for a method (it calls this with `new`): the init it made for
 * this call alone, with the URL. A `Request` would cost a signal and a body stream that the
 * transport then reads back.
 */
function Lite(url: string, init: RequestInit & { url?: string }) {
  init.url = url;
  return init;
}

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

  // openapi-fetch's `fetch`: every request, of the methods and of `raw`, goes through the
  // transport. openapi-fetch copies unknown init keys onto the Request it builds: a method's call
  // comes with its options as `mgmtkit`; a call of `raw` gets one here.
  const client = createClient<paths>({
    baseUrl,
    headers,
    async fetch(r: OutgoingRequest & { mgmtkit?: Call }) {
      // biome-ignore lint/suspicious/noAssignInExpressions: the call a method brought, or one for raw's.
      const call = (r.mgmtkit ??= {});
      call.r = r;
      try {
        const answer = await send(r, call.o, tokens);
        call.a = answer;
        // A method reads the answer's text; openapi-fetch, asked for a stream, leaves a 2xx's body.
        return call.o && answer.response.ok ? answer.response : toResponse(answer, scrub);
      } catch (error) {
        throw report(error);
      }
    },
  });
  // openapi-fetch reads a 2xx as data and throws a SyntaxError when that is not JSON; `raw` answers
  // `{ error, response }` instead. The response openapi-fetch gets reads as not ok (an own `ok`,
  // undefined), and its text as the error, until openapi-fetch has read that text once; then it is
  // the answer's own again. Only openapi-fetch sees it so: this middleware is the first, whose
  // onResponse runs last. It is installed when `raw` is first read: openapi-fetch gives every
  // request an id and a frozen copy of its options once any middleware is installed, which the
  // methods (they ask for a stream) need not pay.
  let installed = false;
  const notJson: Middleware = {
    onResponse({ request, response, options }) {
      const { a: answer } = (request as Request & { mgmtkit: Required<Call> }).mgmtkit;
      const own: { ok?: boolean; text?: () => unknown } = response;
      if (
        options.parseAs === "json" &&
        response.ok &&
        answer.text &&
        parseJson(answer.text) === undefined
      ) {
        const error = createApiError(
          request.method,
          answer.url,
          answer,
          scrub,
          `answered ${response.status} with a body that is not JSON.`,
        );
        Object.defineProperty(own, "ok", { configurable: true });
        own.text = () => {
          delete own.ok;
          delete own.text;
          return error;
        };
      }
    },
  };

  /**
   * Sends one call of a method through openapi-fetch (`go`, given the init of the call), then
   * gives the JSON array or object the API promises, or throws the error the answer amounts to.
   */
  async function settle<T, P extends object = object>(
    o: RequestOptions = {},
    expect: "array" | "object",
    go: (init: Init<P>) => Promise<unknown>,
    params = {} as P,
  ): Promise<Result<T>> {
    const call: Call = { o };
    // `stream` leaves the body to the transport's answer, where it was read once already.
    await go({
      params,
      headers: o.headers,
      parseAs: "stream",
      Request: Lite as never,
      mgmtkit: call,
    });
    const { a: answer, r } = call as Required<Call>;
    const { ok, status } = answer.response;
    const data = parseJson(answer.text);
    if (ok && data instanceof Object && Array.isArray(data) === (expect === "array")) {
      return [data as T, answer, r.url];
    }
    throw report(
      createApiError(
        r.method,
        r.url,
        answer,
        scrub,
        ok && `answered ${status} without the JSON ${expect} the API promises.`,
      ),
    );
  }

  /** `init` with the `connectionName` path parameter, refusing names that are no single path segment. */
  const named = <P>(name: string, init: Init<P>) => {
    // Encoded or not, "." and ".." are dot-segments: the URL would point at another resource.
    if (/^\.{0,2}$/.test(name)) {
      throw report(new ManagementError(`"${name}" is not a connection name.`));
    }
    (init.params as { path?: object }).path = { connectionName: name };
    return init as Init<P & { path: { connectionName: string } }>;
  };

  /** A method's call, its data promised with `withResponse()`. */
  const call = <T, P extends object = object>(
    o: RequestOptions | undefined,
    expect: "array" | "object",
    go: (init: Init<P>) => Promise<unknown>,
  ) => wrap(settle<T, P>(o, expect, go));
  /** The call of one connection: `go` gets the init with the name in its path. */
  const one = <T>(
    name: string,
    o: RequestOptions | undefined,
    go: (init: Init<{ path: { connectionName: string } }>) => Promise<unknown>,
  ) => call<T>(o, "object", (init) => go(named(name, init)));

  function wrap<T>(result: Promise<Result<T>>): ApiPromise<T> {
    const data = result.then(([d]) => d) as ApiPromise<T>;
    data.withResponse = () => {
      // The caller awaits this one instead: the other must not report an unhandled rejection.
      data.catch(() => {});
      return result.then(([d, answer]) => ({ data: d, response: toResponse(answer, scrub) }));
    };
    return data;
  }

  /** Sends a page of a user list: the first one, `per_page` in its query, then each one linked. */
  type Page = (init: Init<{ query?: { per_page?: number | undefined } }>) => Promise<unknown>;

  async function* pages(first: Page, o: ListOptions = {}) {
    const max = o.maxPages ?? options.maxPages ?? 1000;
    let go = first;
    let params: { query?: { per_page: number | undefined } } = {
      query: { per_page: o.perPage || undefined },
    };
    // Recent pages only: a longer cycle ends at maxPages, and memory stays bounded.
    const seen: string[] = [];
    for (let count = 1; ; count++) {
      const page = await settle<User[]>(o, "array", go, params);
      yield page;
      const [users, answer, sent] = page;
      // An empty page ends the list even when the server links a next one.
      const next = users.length && findLink(answer.response.headers.get("link"));
      if (!next) return;
      if (seen.push(sent) > 100) seen.shift();
      const url = new URL(next, answer.url);
      // The token goes with every page, so it only goes where the client was pointed.
      const problem =
        url.origin !== origin
          ? `to another origin (${safeUrl(url.href, scrub)})`
          : seen.includes(url.href)
            ? "to a page it already sent"
            : count >= max && `after ${max} pages (maxPages)`;
      if (problem) {
        throw report(
          new ManagementError(
            `${where("GET", sent, scrub)} sent a Link rel="next" ${problem}; not followed.`,
          ),
        );
      }
      // The linked page is sent as linked, path and query, from the tenant's origin.
      params = {};
      go = (init) => {
        init.baseUrl = origin;
        return client.GET((url.pathname + url.search) as "/api/users", init);
      };
    }
  }
  async function* each(first: Page, o?: ListOptions) {
    for await (const [users] of pages(first, o)) yield* users;
  }
  async function all(first: Page, o?: ListOptions): Promise<Result<User[]>> {
    const data: User[] = [];
    let last: Result<User[]> | undefined;
    for await (last of pages(first, o)) data.push(...last[0]);
    (last as Result<User[]>)[0] = data;
    return last as Result<User[]>;
  }
  const everyone: Page = (init) => client.GET("/api/users", init);
  const social: Page = (init) => client.GET("/api/socialconnections/users", init);
  const of =
    (name: string): Page =>
    (init) =>
      client.GET("/api/connections/{connectionName}/users", named(name, init));

  return {
    connections: {
      list: (o) => call(o, "array", (init) => client.GET("/api/connections", init)),
      get: (name, o) =>
        one(name, o, (init) => client.GET("/api/connections/{connectionName}", init)),
      create: (body, o) =>
        call(o, "object", (init) => client.POST("/api/connections", { ...init, body })),
      update: (name, body, o) =>
        one(name, o, (init) =>
          client.PUT("/api/connections/{connectionName}", { ...init, body: body as Connection }),
        ),
      delete: (name, o) =>
        one(name, o, (init) => client.DELETE("/api/connections/{connectionName}", init)),
    },
    users: {
      list: (o) => wrap(all(everyone, o)),
      listByConnection: (name, o) => wrap(all(of(name), o)),
      listSocial: (o) => wrap(all(social, o)),
      iterate: (o) => each(everyone, o),
      iterateByConnection: (name, o) => each(of(name), o),
      iterateSocial: (o) => each(social, o),
    },
    async getAccessToken() {
      const token = await tokens.get();
      secrets.add(token);
      return token;
    },
    get raw() {
      if (!installed) {
        installed = true;
        client.use(notJson);
      }
      return client;
    },
  };
}
