// @ts-nocheck
import { randomBytes } from "node:crypto";
import { isIPv6 } from "node:net";
import { buildApp } from "./app.js";
import { openStore } from "./open-store.js";
import { publicOrigin } from "./origin.js";
import { requestLogger } from "./request-log.js";
import { pathOf } from "./request-paths.js";
import { demoSeed, prepareSeed, readSeedFile, type Seed } from "./seed.js";
import type { Store } from "./storage.js";
import { DEFAULT_MAX_TOKENS_PER_CLIENT, tokenCapProblem } from "./tokens.js";

export interface ServerOptions {
  /** The interface to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** The port to listen on; `0` picks a free one. Default `0`. */
  port?: number;
  /**
   * Where the data lives: a SQLite file, `":memory:"`, or a PostgreSQL URL
   * (`postgres://user:password@host:5432/database`, for several instances on one database).
   * Default `":memory:"`.
   */
  db?: string;
  /**
   * What an acknowledged write to the `db` file survives: `"normal"`, the server being killed;
   * `"full"`, also a power loss (each write waits for the log to be synced to disk, group-committed).
   * Default `"normal"`. See `SqliteStoreOptions`. SQLite only.
   */
  synchronous?: "normal" | "full";
  /** A store to use instead of opening `db` (it is closed with the server). Default: none. */
  store?: Store;
  /** The client id tokens are issued to. Default: generated, see `RunningServer.clientId`. */
  clientId?: string;
  /** The client secret. Default: generated with the client id, see `RunningServer.clientSecret`. */
  clientSecret?: string;
  /**
   * What a new database starts with: `undefined` for the built-in demo seed, `false` for nothing, a
   * seed file's path, or a seed object. A database that was seeded once is never seeded again.
   * Default `undefined` (the demo seed).
   */
  seed?: false | string | Seed;
  /** How long an access token is accepted, in seconds. Default `86400` (24 hours). */
  tokenTtlSeconds?: number;
  /** Live tokens kept for the client; issuing more deletes the oldest. Default `10000`. */
  maxTokensPerClient?: number;
  /** The clock tokens are issued and expire by, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** PEM certificate and key; when given the server speaks HTTPS. Default: none (HTTP). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The origin written into generated URLs (`provisioning_ticket_url`, `Link`), such as
   * `https://api.example.com` behind a proxy. Default: none, the scheme and Host header of each
   * request (a client that sends `Host: evil.example` gets URLs on evil.example).
   */
  publicUrl?: string;
  /**
   * Milliseconds within which a whole request, headers and body, must arrive; a later one is
   * answered 408 (when no answer went out yet) and its connection closed. Default `30000`.
   */
  requestTimeoutMs?: number;
  /** Milliseconds within which a request body must arrive once its headers did (else 408). Default `20000`. */
  bodyTimeoutMs?: number;
  /**
   * Milliseconds the requests in flight get to finish after `close()`; then every connection still
   * open is closed. Idle connections close at once. Default `5000`.
   */
  shutdownGraceMs?: number;
  /** Log requests (their method and URL, tokens redacted) and errors to stdout. Default `false`. */
  logger?: boolean;
}

export interface RunningServer {
  /** The base URL, such as `http://127.0.0.1:41234`, without a trailing slash. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Whether this start loaded the seed into the database (false when it already held one). */
  readonly seeded: boolean;
  /**
   * Stops accepting connections, closes the idle ones, lets the requests in flight finish (for
   * `shutdownGraceMs` at most, then closes their connections), and closes the database.
   */
  close(): Promise<void>;
}

/** A server that could not start; the message says why in one sentence. */
export class ServerStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ServerStartError";
  }
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIPv6(host) ? `[${host}]` : host;
}

function positive(value: number | undefined, what: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new ServerStartError(
      `${what} must be a whole number of milliseconds, at least 1, not ${value}.`,
    );
  }
}

/** Starts a Management API server and answers once it is listening. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const ttl = options.tokenTtlSeconds ?? 86_400;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ServerStartError(`The port must be an integer from 0 to 65535, not ${port}.`);
  }
  if (!(typeof ttl === "number" && Number.isFinite(ttl) && ttl > 0)) {
    throw new ServerStartError(
      `The token lifetime must be a positive number of seconds, not ${ttl}.`,
    );
  }
  if ((options.clientId === undefined) !== (options.clientSecret === undefined)) {
    throw new ServerStartError("Give both the client id and the client secret, or neither.");
  }
  if (options.clientId === "" || options.clientSecret === "") {
    throw new ServerStartError("The client id and the client secret must not be empty.");
  }
  positive(options.requestTimeoutMs, "The request deadline");
  positive(options.bodyTimeoutMs, "The body deadline");
  positive(options.shutdownGraceMs, "The shutdown grace period");
  if (options.publicUrl !== undefined) {
    try {
      publicOrigin(options.publicUrl);
    } catch (error) {
      throw new ServerStartError((error as Error).message, { cause: error });
    }
  }
  const clientId = options.clientId ?? `client_${randomBytes(12).toString("hex")}`;
  const clientSecret = options.clientSecret ?? randomBytes(32).toString("base64url");

  let prepared: ReturnType<typeof prepareSeed> | undefined;
  try {
    if (options.seed !== false) {
      const seed =
        options.seed === undefined
          ? demoSeed
          : typeof options.seed === "string"
            ? await readSeedFile(options.seed)
            : options.seed;
      prepared = prepareSeed(seed, clientId);
    }
  } catch (error) {
    throw new ServerStartError((error as Error).message, { cause: error });
  }

  // Refused before the database is opened or seeded.
  const maxTokens = options.maxTokensPerClient ?? DEFAULT_MAX_TOKENS_PER_CLIENT;
  const capProblem = tokenCapProblem(maxTokens);
  if (capProblem) throw new ServerStartError(capProblem);

  let store: Store;
  try {
    store =
      options.store ??
      (await openStore(
        options.db ?? ":memory:",
        options.synchronous ? { synchronous: options.synchronous } : {},
      ));
  } catch (error) {
    throw new ServerStartError((error as Error).message, { cause: error });
  }

  let seeded = false;
  let boundPort = port;
  try {
    if (prepared) seeded = await store.seedOnce(prepared.connections, prepared.users);

    const app = buildApp({
      store,
      clientId,
      clientSecret,
      tokenTtlSeconds: ttl,
      maxTokensPerClient: maxTokens,
      now: options.now,
      publicUrl: options.publicUrl,
      fallbackHost: () => `${urlHost(host)}:${boundPort}`,
      requestTimeoutMs: options.requestTimeoutMs,
      bodyTimeoutMs: options.bodyTimeoutMs,
      shutdownGraceMs: options.shutdownGraceMs,
      https: options.tls,
      logger: options.logger ? requestLogger() : false,
      onInternalError: (error, request) => {
        if (options.logger) {
          request.log.error({ err: error }, "request failed");
        } else {
          process.stderr.write(
            `mgmtkit-server: ${request.method} ${pathOf(request)} failed: ${(error as Error)?.message ?? String(error)}\n`,
          );
        }
      },
      onPruneError: (error) =>
        process.stderr.write(
          `mgmtkit-server: pruning tokens failed: ${(error as Error)?.message}\n`,
        ),
    });

    try {
      await app.listen({ host, port });
    } catch (error) {
      await app.close().catch(() => {});
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE") {
        throw new ServerStartError(`Port ${port} on ${host} is already in use.`, { cause: error });
      }
      if (code === "EACCES") {
        throw new ServerStartError(`Not allowed to listen on port ${port} of ${host}.`, {
          cause: error,
        });
      }
      if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
        throw new ServerStartError(`Cannot listen on ${host}: no such local address.`, {
          cause: error,
        });
      }
      if (options.tls && /key|cert|PEM|asn1/i.test((error as Error).message)) {
        throw new ServerStartError(
          "The TLS certificate or key is not valid PEM, or they do not match.",
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    const address = app.server.address();
    boundPort = typeof address === "object" && address ? address.port : port;
    const url = `${options.tls ? "https" : "http"}://${urlHost(host)}:${boundPort}`;

    let closing: Promise<void> | undefined;
    return {
      url,
      host,
      port: boundPort,
      clientId,
      clientSecret,
      seeded,
      close() {
        closing ??= (async () => {
          try {
            await app.close();
          } finally {
            await store.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await store.close().catch(() => {});
    if (error instanceof ServerStartError) throw error;
    if (options.tls && /key|cert|PEM|asn1|ssl/i.test((error as Error).message)) {
      throw new ServerStartError(
        "The TLS certificate or key is not valid PEM, or they do not match.",
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
