import { findLink } from "@mgmtkit/spec/link";
import openapiFetch, { type Client } from "openapi-fetch";
import {
  createApiError,
  createSecrets,
  ManagementError,
  parseJson,
  safeUrl,
  where,
} from "./errors.js";
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

/** The data of a call, the answer it came with, and the URL it was sent to. */
type Result<T> = [data: T, answer: Answer, url?: string];

/** A call of the SDK's own: its options, then the request openapi-fetch built and its answer. */
interface Call {
  o?: RequestOptions;
  r?: Request;
  answer?: Answer;
}

/** What a method hands openapi-fetch: `mgmtkit` reaches the transport on the request. */
type Init = {
  headers: Record<string, string> | undefined;
  parseAs: "stream";
  Request: typeof Request;
  mgmtkit: Call;
};

/**
 * The request openapi-fetch builds for a method (it calls this with `new`): the fields the
 * transport reads, as given. A `Request` would cost a signal and a body stream that the transport
 * then reads back.
 */
function Lite(url: string, init: RequestInit) {
  return { ...init, url };
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
  const transport = async (r: Request & { mgmtkit?: Call }) => {
    r.mgmtkit ??= {};
    const call = r.mgmtkit;
    call.r = r;
    let answer: Answer;
    try {
      answer = call.answer = await send(r, call.o, tokens);
    } catch (error) {
      throw report(error);
    }
    // A method reads the answer's text; openapi-fetch, asked for a stream, leaves a 2xx's body.
    return call.o && answer.response.ok ? answer.response : toResponse(answer, scrub);
  };
  const client = createClient<paths>({ baseUrl, headers, fetch: transport });
  // openapi-fetch reads a 2xx as data and throws a SyntaxError when that is not JSON; `raw` answers
  // `{ error, response }` instead. The response openapi-fetch gets reads as not ok, and its text
  // as the error, until openapi-fetch has read that text once; then it is the answer's own again.
  client.use({
    onResponse({ request, response, options }) {
      const { answer } = (request as Request & { mgmtkit: Required<Call> }).mgmtkit;
      const own: { ok?: boolean; text?: () => unknown } = response;
      if (
        response.ok &&
        options.parseAs === "json" &&
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
        Object.defineProperty(own, "ok", { value: false, configurable: true });
        own.text = () => {
          delete own.ok;
          delete own.text;
          return error;
        };
      }
    },
  });

  /**
   * Sends one call of a method through openapi-fetch, then gives the JSON array or object the API
   * promises, or throws the error the answer amounts to.
   */
  async function settle<T>(
    go: (init: Init) => Promise<unknown>,
    o: RequestOptions = {},
    expect: "array" | "object" = "object",
  ): Promise<Result<T>> {
    const call: Call = { o };
    // `stream` leaves the body to the transport's answer, where it was read once already.
    await go({
      headers: o.headers,
      parseAs: "stream",
      Request: Lite as unknown as typeof Request,
      mgmtkit: call,
    });
    const { answer, r } = call as Required<Call>;
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

  /** The `connectionName` path parameter, refusing names that are no single path segment. */
  const named = (name: string) => {
    // Encoded or not, "." and ".." are dot-segments: the URL would point at another resource.
    if (/^\.{0,2}$/.test(name)) {
      throw report(new ManagementError(`"${name}" is not a connection name.`));
    }
    return { path: { connectionName: name } };
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

  /** Sends the first page of a user list, `per_page` in its query. */
  type Page = (init: Init & { params: { query: { per_page?: number } } }) => Promise<unknown>;

  async function* pages(first: Page, o: ListOptions = {}) {
    const max = o.maxPages ?? options.maxPages ?? 1000;
    // The first page, then each one a Link points at (sent as linked, once checked below).
    let go: (init: Init) => Promise<unknown> = (init) =>
      first({ ...init, params: { query: { per_page: o.perPage || undefined } } });
    // Recent pages only: a longer cycle ends at maxPages, and memory stays bounded.
    const seen: string[] = [];
    for (let count = 1; ; count++) {
      const page = await settle<User[]>(go, o, "array");
      yield page;
      const [users, answer, sent] = page;
      // An empty page ends the list even when the server links a next one.
      const next = users.length && findLink(answer.response.headers.get("link"));
      if (!next) return;
      if (seen.push(sent as string) > 100) seen.shift();
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
            `${where("GET", sent as string, scrub)} sent a Link rel="next" ${problem}; not followed.`,
          ),
        );
      }
      go = (init) =>
        client.GET((url.pathname + url.search) as "/api/users", { ...init, baseUrl: origin });
    }
  }
  async function* each(first: Page, o?: ListOptions) {
    for await (const [users] of pages(first, o)) yield* users;
  }
  async function all(first: Page, o?: ListOptions): Promise<Result<User[]>> {
    const data: User[] = [];
    let last: Result<User[]> | undefined;
    for await (last of pages(first, o)) data.push(...last[0]);
    return [data, (last as Result<User[]>)[1]];
  }
  const everyone: Page = (init) => client.GET("/api/users", init);
  const social: Page = (init) => client.GET("/api/socialconnections/users", init);
  const of =
    (name: string): Page =>
    (init) =>
      client.GET("/api/connections/{connectionName}/users", {
        ...init,
        params: { ...init.params, ...named(name) },
      });

  return {
    connections: {
      list: (o) => wrap(settle((init) => client.GET("/api/connections", init), o, "array")),
      get: (name, o) =>
        wrap(
          settle(
            (init) =>
              client.GET("/api/connections/{connectionName}", { ...init, params: named(name) }),
            o,
          ),
        ),
      create: (body, o) =>
        wrap(settle((init) => client.POST("/api/connections", { ...init, body }), o)),
      update: (name, body, o) =>
        wrap(
          settle(
            (init) =>
              client.PUT("/api/connections/{connectionName}", {
                ...init,
                params: named(name),
                body,
              }),
            o,
          ),
        ),
      delete: (name, o) =>
        wrap(
          settle(
            (init) =>
              client.DELETE("/api/connections/{connectionName}", { ...init, params: named(name) }),
            o,
          ),
        ),
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
    raw: client,
  };
}
