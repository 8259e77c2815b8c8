import { curlFor } from "./curl.js";
import { describeAnswer, type Exchange, headerValue, isJsonContentType } from "./exchange.js";
import { unlike } from "./like.js";
import type { Finding, RunState } from "./run-state.js";
import type { RequestSpec } from "./transport.js";
import type { Failure, Profile } from "./types.js";
import type { ValidationFailure } from "./validators.js";

/** Thrown by an assertion; ends the current step (or check) with one precise failure. */
export class CheckFailed extends Error {
  constructor(readonly failure: Finding) {
    super(failure.requirement);
  }
}

/** Thrown to skip a check that cannot run with the given options. */
export class CheckSkipped extends Error {}

/** A link the server sent, as a request under the base URL. */
export interface LinkTarget {
  path: string;
  query: Record<string, string>;
  /** The absolute URL, for loop detection and messages. */
  url: string;
}

/**
 * Everything a check sees of the run. Checks send requests and judge the answers through it;
 * the transport, the secrets and the run's bookkeeping stay behind it.
 */
export interface CheckContext {
  /** This run's id (6 hex digits), part of every name the suite creates. */
  readonly runId: string;
  /** The client id the run was given, if any. */
  readonly clientId: string | undefined;
  /** The profile the run judges by. */
  readonly profile: Profile;
  /** The seed of the generated and stateful cases, and how many examples each family gets. */
  readonly generation: { readonly seed: number; readonly maxExamples: number };
  /**
   * Sends a request whose answer the response validators do not judge on their own: the caller
   * judges it (`judge`) and reports what it decides to. A transport failure is not thrown.
   */
  probe(req: RequestSpec): Promise<Exchange>;
  /** What the run's response validators find in an exchange, without reporting it. */
  judge(exchange: Exchange): ValidationFailure[];
  /** A curl command that repeats the exchange's request, secrets replaced. */
  curlOf(exchange: Exchange): string;
  /** Reports a failure under this check, as given (its type, seed and case included). */
  report(failure: Omit<Failure, "checkId">): void;
  /** Counts generated cases and stateful sequences sent, for the report. */
  countGenerated(what: "cases" | "sequences", n?: number): void;
  /** Sends a request; a transport failure (timeout, reset, oversized body) is not thrown here. */
  send(req: RequestSpec): Promise<Exchange>;
  /** Sends a request and fails the step unless a complete answer arrived in time. */
  call(req: RequestSpec): Promise<Exchange>;
  /** A connection name no one else uses: `mgmtkit-contract-<run>-<label>-<n>`. */
  uniqueName(label: string): string;
  /** The client credentials; skips the check when the run was given only a token. */
  needCredentials(): { clientId: string; clientSecret: string };
  /** The access token the run's requests carry; skips the check when there is none. */
  runToken(): string;
  /**
   * Registers a value derived from a secret (the client secret or the token, altered by a
   * check), with the shell expression that rebuilds it from `$MGMTKIT_CLIENT_SECRET` or
   * `$MGMTKIT_TOKEN`: reports print the expression. (Echoing it back is no leak of a credential
   * the server holds, so the echo validator leaves it alone.)
   */
  rememberSecret(value: string, expression: string): void;
  /** The token request the run made before any check, when it was given client credentials. */
  setupTokenExchange(): Exchange | undefined;
  /**
   * Where a link the server sent in `from` points, as a request under the base URL; fails the
   * step when it is not a URL or points to another origin.
   */
  followLink(link: string, from: Exchange): LinkTarget;
  /** Runs a part of the check; its failure is recorded and the check goes on with the next part. */
  step(part: () => Promise<void>): Promise<boolean>;
  skip(reason: string): never;
  fail(requirement: string, observed: string, exchange?: Exchange): never;
  /** Fails unless the status is one of `allowed` (numbers, or classes such as `"4xx"`). */
  expectStatus(exchange: Exchange, allowed: Array<number | string>, requirement: string): void;
  /** Fails unless the body is JSON, and answers it. */
  jsonBody(exchange: Exchange, requirement: string): unknown;
  /** Fails unless the Content-Type names JSON. */
  expectJsonType(exchange: Exchange, requirement: string): void;
  /** Fails unless the JSON body is like `expected` (see `unlike`). */
  expectLike(exchange: Exchange, expected: unknown, requirement: string): void;
  /** Fails when `problem` finds something wrong with the JSON body (it answers undefined when not). */
  expectThat(
    exchange: Exchange,
    requirement: string,
    problem: (json: unknown) => string | undefined,
  ): void;
}

/**
 * Marks the exchanges a check sends with `probe`: the run leaves their judgement to the check
 * (`<check id>~probe`).
 */
export const PROBE_SUFFIX = "~probe";

/** A check may spend at most this many request deadlines in all (a hostile server can make every answer slow). */
const CHECK_BUDGET_DEADLINES = 20;

/** The context of one check in one run. */
export class CheckRun implements CheckContext {
  requests = 0;
  private readonly budgetEnds: number;

  constructor(
    readonly checkId: string,
    private readonly run: RunState,
  ) {
    this.budgetEnds = Date.now() + CHECK_BUDGET_DEADLINES * run.transport.timeoutMs;
  }

  get runId(): string {
    return this.run.runId;
  }

  get clientId(): string | undefined {
    return this.run.credentials.clientId;
  }

  get profile(): Profile {
    return this.run.generation.profile;
  }

  get generation(): { seed: number; maxExamples: number } {
    return this.run.generation;
  }

  async probe(req: RequestSpec): Promise<Exchange> {
    this.requests += 1;
    return this.run.transport.send(`${this.checkId}${PROBE_SUFFIX}`, req);
  }

  judge(exchange: Exchange): ValidationFailure[] {
    return this.run.judge(exchange);
  }

  curlOf(exchange: Exchange): string {
    return curlFor(exchange, this.run.redactor);
  }

  report(failure: Omit<Failure, "checkId">): void {
    this.run.reportFailure({ checkId: this.checkId, ...failure });
  }

  countGenerated(what: "cases" | "sequences", n = 1): void {
    this.run.generated[what] += n;
  }

  /** What went wrong so far: the check's own assertions and the response validators' findings. */
  get failures(): Failure[] {
    return this.run.failuresOf(this.checkId);
  }

  async send(req: RequestSpec): Promise<Exchange> {
    this.requests += 1;
    return this.run.transport.send(this.checkId, req);
  }

  async call(req: RequestSpec): Promise<Exchange> {
    const timeoutMs = this.run.transport.timeoutMs;
    if (Date.now() > this.budgetEnds) {
      this.fail(
        `Every check finishes within ${CHECK_BUDGET_DEADLINES} request deadlines (${CHECK_BUDGET_DEADLINES} × ${timeoutMs} ms).`,
        `The server's answers were so slow that the check ran out of time before ${req.method} ${req.path}.`,
      );
    }
    const exchange = await this.send(req);
    if (exchange.transportError) {
      this.fail(
        `The server answers every request completely within ${timeoutMs} ms, with a body the client can read.`,
        exchange.status === undefined
          ? `The server ${exchange.transportError}.`
          : `The server ${describeAnswer(exchange)}.`,
        exchange,
      );
    }
    return exchange;
  }

  uniqueName(label: string): string {
    return this.run.uniqueName(label);
  }

  needCredentials(): { clientId: string; clientSecret: string } {
    const { clientId, clientSecret } = this.run.credentials;
    if (!clientId || !clientSecret) {
      this.skip("needs client credentials (--client-id and --client-secret), not only a token");
    }
    return { clientId, clientSecret };
  }

  runToken(): string {
    const token = this.run.transport.token;
    if (!token) this.skip("no access token");
    return token;
  }

  rememberSecret(value: string, expression: string): void {
    this.run.addSecret(value, expression, { derived: true });
  }

  setupTokenExchange(): Exchange | undefined {
    return this.run.setupExchange;
  }

  followLink(link: string, from: Exchange): LinkTarget {
    let url: URL;
    try {
      url = new URL(link, from.url);
    } catch {
      this.fail(
        'A `Link: <…>; rel="next"` header holds a URL (RFC 8288).',
        `The server sent Link ${JSON.stringify(headerValue(from.headers.link))}.`,
        from,
      );
    }
    const base = new URL(this.run.transport.baseUrl);
    if (url.origin !== base.origin) {
      this.fail(
        "The next page of a list is on the same server.",
        `The server pointed the next page to ${url.origin}.`,
        from,
      );
    }
    const absolute = url.toString();
    // The run's token goes in the way each request says, never copied from a link.
    url.searchParams.delete("access_token");
    const prefix = base.pathname.replace(/\/+$/, "");
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    return {
      path: path || "/",
      query: Object.fromEntries(url.searchParams.entries()),
      url: absolute,
    };
  }

  async step(part: () => Promise<void>): Promise<boolean> {
    try {
      await part();
      return true;
    } catch (error) {
      if (error instanceof CheckFailed) {
        this.run.report(this.checkId, error.failure);
        return false;
      }
      throw error;
    }
  }

  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }

  fail(requirement: string, observed: string, exchange?: Exchange): never {
    throw new CheckFailed(this.finding(requirement, observed, exchange));
  }

  private finding(requirement: string, observed: string, exchange?: Exchange): Finding {
    return {
      requirement,
      observed,
      ...(exchange
        ? {
            request: `${exchange.method} ${exchange.url}`,
            curl: curlFor(exchange, this.run.redactor),
          }
        : {}),
    };
  }

  expectStatus(exchange: Exchange, allowed: Array<number | string>, requirement: string): void {
    const status = exchange.status;
    const ok = allowed.some((a) =>
      typeof a === "number" ? a === status : status !== undefined && `${String(status)[0]}xx` === a,
    );
    if (!ok) this.fail(requirement, `The server ${describeAnswer(exchange)}.`, exchange);
  }

  jsonBody(exchange: Exchange, requirement: string): unknown {
    if (!exchange.isJson) {
      this.fail(
        requirement,
        `The server ${describeAnswer(exchange)}, which is not JSON.`,
        exchange,
      );
    }
    return exchange.json;
  }

  expectJsonType(exchange: Exchange, requirement: string): void {
    if (!isJsonContentType(exchange.contentType)) {
      this.fail(
        requirement,
        `The server answered ${exchange.status} with Content-Type ${exchange.contentType ?? "(none)"}.`,
        exchange,
      );
    }
  }

  expectLike(exchange: Exchange, expected: unknown, requirement: string): void {
    this.expectThat(exchange, requirement, (json) => unlike(json, expected));
  }

  expectThat(
    exchange: Exchange,
    requirement: string,
    problem: (json: unknown) => string | undefined,
  ): void {
    const found = exchange.isJson ? problem(exchange.json) : "the body is not JSON";
    if (found)
      this.fail(requirement, `The server ${describeAnswer(exchange)} [${found}].`, exchange);
  }
}
