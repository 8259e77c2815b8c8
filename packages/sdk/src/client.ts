import openapiFetch, { type Client } from "openapi-fetch";
import { ManagementError, redactUrl } from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { ListOptions, ManagementClientOptions, RequestOptions } from "./options.js";
import { nextLink } from "./pagination.js";
import { clientCredentials, staticToken } from "./token-provider.js";
import { createTransport, PlainRequest } from "./transport.js";
import type {
  Connection,
  ConnectionCreate,
  ConnectionReplacement,
  CreatedConnection,
  RemovedConnection,
  User,
} from "./types.js";

export interface ManagementClient {
  connections: {
    /** Every connection of the tenant. */
    list(options?: RequestOptions): Promise<Connection[]>;
    /** The connection with this name; rejects with `NotFoundError` (status 404) when there is none. */
    get(name: string, options?: RequestOptions): Promise<Connection>;
    /** Creates a connection and answers it with its server-assigned fields. Not retried unless `retryPost`. */
    create(connection: ConnectionCreate, options?: RequestOptions): Promise<CreatedConnection>;
    /** Replaces the whole connection (every field, `client_id` included); a fetched connection can be sent back. */
    update(
      name: string,
      connection: ConnectionReplacement | Connection,
      options?: RequestOptions,
    ): Promise<Connection>;
    /** Deletes the connection; answers `{ removed: id }`. */
    delete(name: string, options?: RequestOptions): Promise<RemovedConnection>;
  };
  users: {
    /** Every user who signed in through any connection, all pages. */
    list(options?: ListOptions): Promise<User[]>;
    /** Every user of one connection, all pages. */
    listByConnection(name: string, options?: ListOptions): Promise<User[]>;
    /** Every user of the social connections, all pages. */
    listSocial(options?: ListOptions): Promise<User[]>;
    /** The users of `list`, one at a time, fetching each page when the previous one is used up. */
    iterate(options?: ListOptions): AsyncGenerator<User, void, undefined>;
    /** The users of `listByConnection`, one at a time, page by page. */
    iterateByConnection(name: string, options?: ListOptions): AsyncGenerator<User, void, undefined>;
    /** The users of `listSocial`, one at a time, page by page. */
    iterateSocial(options?: ListOptions): AsyncGenerator<User, void, undefined>;
  };
  /** The typed openapi-fetch client, with the same tokens, retries and time limits; it answers `{ data, error, response }` instead of throwing. */
  raw: Client<paths>;
}

// A default import of openapi-fetch's CommonJS build (what our .cjs output requires) yields the
// module object under Node's interop rules, with the function on its `default`.
const createClient: typeof openapiFetch =
  (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

type UserListPath = "/api/users" | "/api/socialconnections/users";

/** Creates a client of the Management API v1. */
export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  const { clientId, clientSecret, accessToken, namespace } = options;
  const base = options.baseUrl ?? (namespace && `https://${namespace}`);
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
  const send = createTransport(options, clientSecret);
  const tokens = accessToken
    ? staticToken(accessToken)
    : clientId && clientSecret
      ? clientCredentials(baseUrl, clientId, clientSecret, send)
      : undefined;
  if (!tokens) {
    throw new ManagementError(
      "createManagementClient needs clientId and clientSecret, or accessToken.",
    );
  }

  const { headers } = options;
  const raw = createClient<paths>({
    baseUrl,
    headers,
    fetch: (r) => send(r, undefined, false, tokens),
  });
  // The methods' own instance: no middleware a caller adds to `raw` applies to it.
  const api = createClient<paths>({
    baseUrl,
    headers,
    Request: PlainRequest as unknown as typeof Request,
  });
  const init = (o?: RequestOptions) => ({
    headers: o?.headers,
    fetch: (r: Request) => send(r, o, true, tokens),
  });
  const named = (connectionName: string, o?: RequestOptions) => ({
    params: { path: { connectionName } },
    ...init(o),
  });

  async function* pages(path: string, o: ListOptions = {}): AsyncGenerator<User[]> {
    let url = "";
    const first = await api.GET(path as UserListPath, {
      params: { query: o.perPage ? { per_page: o.perPage } : {} },
      headers: o.headers,
      fetch: (r: Request) => {
        url = r.url;
        return send(r, o, true, tokens);
      },
    });
    let { response } = first;
    let users: User[] | undefined = first.data;
    const seen = new Set([url]);
    for (;;) {
      yield users ?? [];
      const next = nextLink(response.headers.get("link"));
      if (!next) return;
      const target = new URL(next, url);
      // The token goes with every page, so it only goes where the client was pointed.
      if (target.origin !== origin) {
        throw new ManagementError(
          `GET ${path} sent a Link rel="next" to another origin (${redactUrl(target.href)}); not followed.`,
        );
      }
      if (seen.has(target.href)) {
        throw new ManagementError(`GET ${path} sent a Link rel="next" to a page it already sent.`);
      }
      url = target.href;
      seen.add(url);
      response = await send(
        new PlainRequest(url, { headers: { ...headers, ...o.headers } }),
        o,
        true,
        tokens,
      );
      users = (await response.json()) as User[];
    }
  }
  async function* each(path: string, o?: ListOptions) {
    for await (const page of pages(path, o)) yield* page;
  }
  async function all(path: string, o?: ListOptions) {
    const users: User[] = [];
    for await (const page of pages(path, o)) users.push(...page);
    return users;
  }
  const byConnection = (name: string) => `/api/connections/${encodeURIComponent(name)}/users`;

  return {
    connections: {
      list: async (o) => (await api.GET("/api/connections", init(o))).data as Connection[],
      get: async (name, o) =>
        (await api.GET("/api/connections/{connectionName}", named(name, o))).data as Connection,
      create: async (connection, o) =>
        (await api.POST("/api/connections", { body: connection, ...init(o) }))
          .data as CreatedConnection,
      update: async (name, connection, o) =>
        (
          await api.PUT("/api/connections/{connectionName}", {
            // A fetched Connection goes back as it is: the server ignores its server-assigned fields.
            body: connection as ConnectionReplacement,
            ...named(name, o),
          })
        ).data as Connection,
      delete: async (name, o) =>
        (await api.DELETE("/api/connections/{connectionName}", named(name, o)))
          .data as RemovedConnection,
    },
    users: {
      list: (o) => all("/api/users", o),
      listByConnection: (name, o) => all(byConnection(name), o),
      listSocial: (o) => all("/api/socialconnections/users", o),
      iterate: (o) => each("/api/users", o),
      iterateByConnection: (name, o) => each(byConnection(name), o),
      iterateSocial: (o) => each("/api/socialconnections/users", o),
    },
    raw,
  };
}
