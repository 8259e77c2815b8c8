import { AssertionError } from "node:assert";
import { headerValue, recordExchange, withExcerpt } from "./exchange.js";
import { isProfile } from "./open-points.js";
import { Redactor, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER } from "./redact.js";
import type { Profile } from "./types.js";
import { type ValidationFailure, validateExchange } from "./validators.js";

/**
 * The suite's response validators as a pactum expectation handler, for teams that write their own
 * API tests in pactum: `spec().get(...).expect("management-api-v1")` asserts that the answer
 * conforms to the Management API v1, next to the team's own expectations. pactum is an optional
 * peer: this module never imports it, it is handed pactum's `handler` export.
 */

/** The part of pactum's request that the handler reads (pactum 3.x `ctx.req`). */
export interface PactumRequestLike {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The part of pactum's response that the handler reads (pactum 3.x `ctx.res`). */
export interface PactumResponseLike {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received. */
  buffer?: Buffer;
  text?: string;
}

/** What pactum passes an expectation handler. */
export interface PactumExpectContext {
  req: PactumRequestLike;
  res: PactumResponseLike;
  /** The second argument of `.expect(name, data)`: options that override the registered ones. */
  data?: unknown;
}

/** pactum's `handler` export, or anything with its `addExpectHandler`. */
export interface PactumHandlers {
  addExpectHandler(name: string, handler: (ctx: PactumExpectContext) => void): void;
}

export interface ConformanceExpectationOptions {
  /** The handler's name, as `.expect(name)` takes it. Default `"management-api-v1"`. */
  name?: string;
  /**
   * The base URL the API lives under, when it has a path (`https://host/tenant`); its path is
   * stripped before the operation is looked up. Default: the origin of each request.
   */
  baseUrl?: string;
  /** Which validators judge: `core` (what the document requires) or `strict`. Default `"core"`. */
  profile?: Profile;
  /** Secrets no answer may contain (the client secret, issued tokens). Default none. */
  secrets?: readonly string[];
}

/** The default name of the expectation handler. */
export const CONFORMANCE_EXPECTATION = "management-api-v1";

const bodyOf = (body: unknown): string | undefined =>
  body === undefined || body === null
    ? undefined
    : typeof body === "string"
      ? body
      : Buffer.isBuffer(body)
        ? body.toString("utf8")
        : JSON.stringify(body);

function overrides(data: unknown): Pick<ConformanceExpectationOptions, "profile" | "secrets"> {
  if (typeof data !== "object" || data === null) return {};
  const { profile, secrets } = data as ConformanceExpectationOptions;
  return {
    ...(isProfile(profile) ? { profile } : {}),
    ...(Array.isArray(secrets) ? { secrets } : {}),
  };
}

/** The tokens a request carries, in its query or its Authorization header. */
function tokensOf(req: PactumRequestLike): string[] {
  const tokens = new URL(req.url).searchParams.getAll("access_token");
  const authorization = Object.entries(req.headers ?? {}).find(
    ([name]) => name.toLowerCase() === "authorization",
  )?.[1];
  const bearer = /^\s*bearer\s+(\S+)/i.exec(headerValue(authorization) ?? "")?.[1];
  return bearer ? [...tokens, bearer] : tokens;
}

function redactorOf(secrets: readonly string[], req: PactumRequestLike): Redactor {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret, SECRET_PLACEHOLDER);
  for (const token of tokensOf(req)) redactor.add(token, TOKEN_PLACEHOLDER);
  return redactor;
}

/**
 * The validator findings of one pactum exchange: empty when the answer conforms. The secrets,
 * and the tokens the request carried, are replaced in every finding's text.
 */
export function judgePactumExchange(
  ctx: PactumExpectContext,
  options: ConformanceExpectationOptions = {},
): ValidationFailure[] {
  const { profile = "core", secrets = [] } = { ...options, ...overrides(ctx.data) };
  const redactor = redactorOf(secrets, ctx.req);
  const requestBody = bodyOf(ctx.req.body);
  const body = ctx.res.buffer ?? ctx.res.text;
  const recorded = recordExchange({
    baseUrl: options.baseUrl ?? new URL(ctx.req.url).origin,
    method: ctx.req.method.toUpperCase(),
    url: ctx.req.url,
    requestHeaders: ctx.req.headers ?? {},
    ...(requestBody !== undefined ? { requestBody } : {}),
    ...(ctx.res.statusCode !== undefined ? { status: ctx.res.statusCode } : {}),
    headers: ctx.res.headers,
    ...(body !== undefined ? { body } : {}),
  });
  const exchange = withExcerpt(recorded, redactor);
  return validateExchange(exchange, { secrets: [...secrets, ...tokensOf(ctx.req)] }, profile).map(
    (failure) => ({
      ...failure,
      requirement: redactor.text(failure.requirement),
      observed: redactor.text(failure.observed),
    }),
  );
}

/**
 * Registers the expectation handler on pactum's `handler` and returns its name. A failed
 * expectation throws an `AssertionError` listing each finding (rule, requirement, observation).
 */
export function registerConformanceExpectation(
  handlers: PactumHandlers,
  options: ConformanceExpectationOptions = {},
): string {
  const name = options.name ?? CONFORMANCE_EXPECTATION;
  handlers.addExpectHandler(name, (ctx) => {
    const failures = judgePactumExchange(ctx, options);
    if (failures.length === 0) return;
    const lines = failures.map((f) => `- ${f.type}: ${f.requirement} ${f.observed}`);
    throw new AssertionError({
      message: `${ctx.req.method.toUpperCase()} ${new URL(ctx.req.url).pathname} does not conform to the Management API v1:\n${lines.join("\n")}`,
    });
  });
  return name;
}
