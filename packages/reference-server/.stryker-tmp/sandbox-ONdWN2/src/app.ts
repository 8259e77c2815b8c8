// @ts-nocheck
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { BODY_LIMIT } from "./body-readers.js";
import { originResolver } from "./origin.js";
import { auth } from "./plugins/auth.js";
import { bodyParsing } from "./plugins/body-parsing.js";
import {
  clientErrorHandler,
  errorHandling,
  frameworkErrors,
  type InternalErrorListener,
  ResponseTracker,
} from "./plugins/errors.js";
import { shutdown } from "./plugins/shutdown.js";
import { connectionRoutes } from "./routes/connections.js";
import { healthRoutes } from "./routes/health.js";
import { oauthRoutes } from "./routes/oauth.js";
import type { RouteContext } from "./routes/operation.js";
import { provisioningRoutes } from "./routes/provisioning.js";
import { userRoutes } from "./routes/users.js";
import type { Store } from "./storage.js";
import { DEFAULT_MAX_TOKENS_PER_CLIENT, TokenService } from "./tokens.js";

export interface AppOptions {
  /** Where the data lives. The app never closes it: whoever opened it does. */
  store: Store;
  /** The client id tokens are issued to, and stored on every connection. */
  clientId: string;
  /** The client's secret. */
  clientSecret: string;
  /** How long an access token is accepted, in seconds. Default `86400` (24 hours). */
  tokenTtlSeconds?: number;
  /** Live tokens kept for the client; issuing more deletes the oldest. Default `10000`. */
  maxTokensPerClient?: number;
  /** The clock tokens are issued and expire by, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /**
   * The origin written into generated URLs (`provisioning_ticket_url`, `Link`), such as
   * `https://api.example.com`. Default: none, the scheme and Host header of each request.
   */
  publicUrl?: string;
  /** The host (and port) of generated URLs when a request's Host is unusable. Default `"localhost"`. */
  fallbackHost?: () => string;
  /**
   * Milliseconds within which a whole request, headers and body, must arrive; a later one is
   * answered 408 (when no answer went out yet) and its connection closed. Default `30000`.
   */
  requestTimeoutMs?: number;
  /** Milliseconds within which a request body must arrive once its headers did (else 408). Default `20000`. */
  bodyTimeoutMs?: number;
  /**
   * Milliseconds the requests in flight get to finish once the app closes; then every connection
   * still open is closed. Idle connections close at once. Default `5000`.
   */
  shutdownGraceMs?: number;
  /** PEM certificate and key; when given the server speaks HTTPS. Default: none (HTTP). */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** fastify's logger option. Default `false`. */
  logger?: FastifyServerOptions["logger"];
  /** Told about every error answered 500 (the answer says nothing about it). Default: logged. */
  onInternalError?: InternalErrorListener;
  /** Told about a prune of old tokens that failed; pruning goes on. Default: ignored. */
  onPruneError?: (error: unknown) => void;
}

/**
 * Builds the fastify application serving the API over `options.store`, as self-contained plugins:
 * errors, auth, body parsing and shutdown, then one plugin of routes per resource. Call `listen()`
 * to serve it, or `inject()` to try it without a socket.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  // Node checks the deadline of every open request on this interval.
  const timeouts = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
  };
  const responses = new ResponseTracker();
  // Routes are typed against the HTTP instance; the HTTPS one behaves the same.
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https
      ? { https: { ...timeouts, cert: options.https.cert, key: options.https.key } }
      : { http: timeouts }),
    requestTimeout: requestTimeoutMs,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: false,
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      // Connection names are at most 128 characters; longer path segments simply match nothing.
      maxParamLength: 2048,
    },
    clientErrorHandler: clientErrorHandler(responses, requestTimeoutMs),
    frameworkErrors,
  }) as unknown as FastifyInstance;
  responses.watch(app.server);

  const tokens = new TokenService(
    options.store,
    options.clientId,
    options.clientSecret,
    options.tokenTtlSeconds ?? 86_400,
    options.now ?? Date.now,
    { maxPerClient: options.maxTokensPerClient ?? DEFAULT_MAX_TOKENS_PER_CLIENT },
    options.onPruneError,
  );
  const onInternalError: InternalErrorListener =
    options.onInternalError ??
    ((error, request) => request.log.error({ err: error }, "request failed"));
  const context: RouteContext = {
    store: options.store,
    tokens,
    clientId: options.clientId,
    origin: originResolver({
      publicUrl: options.publicUrl,
      fallbackHost: options.fallbackHost ?? (() => "localhost"),
    }),
  };

  app.register(errorHandling, { onInternalError });
  app.register(shutdown, { graceMs: options.shutdownGraceMs ?? 5_000 });
  app.register(auth, { tokens });
  app.register(bodyParsing, { bodyTimeoutMs: options.bodyTimeoutMs ?? 20_000 });
  app.register(oauthRoutes, { ...context, onInternalError });
  app.register(connectionRoutes, context);
  app.register(userRoutes, context);
  app.register(provisioningRoutes, context);
  app.register(healthRoutes, context);
  return app;
}
