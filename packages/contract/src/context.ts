import { curlFor } from "./curl.js";
import {
  describeAnswer,
  type Exchange,
  headerValue,
  isJsonContentType,
  pathUnder,
  shownBy,
  statusIn,
} from "./exchange.js";
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
  /**
   * Sends a request whose answer the response validators do not judge on their own: the check
   * judges it (`judge`) and reports what it decides to. A transport failure is not thrown.
   */
  probe(req: RequestSpec): Promise<Exchange>;
  /** What the run's response validators find in an exchange, without reporting it. */
  judge(exchange: Exchange): ValidationFailure[];
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
  /**
   * Runs independent parts of the check side by side, as many at once as the run's concurrency
   * allows (one by one at `--concurrency 1`), and answers their results in the order of `items`,
   * whatever finished first. A part that throws makes this throw the first such error in that
   * order, once every part has ended.
   */
  parallel<T, R>(items: readonly T[], part: (item: T, index: number) => Promise<R>): Promise<R[]>;
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
 * What the generated and stateful phases see besides: they send many cases, judge each answer
 * themselves (`probe`, `judge`), shrink a failing case to a small one and report only that, with
 * its seed and steps (`report`, `curlOf`).
 */
export interface PhaseContext extends CheckContext {
  /** The seed of the generated and stateful cases, and how many examples each family gets. */
  readonly generation: { readonly seed: number; readonly maxExamples: number };
  /** A curl command that repeats the exchange's request, secrets replaced. */
  curlOf(exchange: Exchange): string;
  /** Reports a failure under this check, as given (its type, seed and case included). */
  report(failure: Omit<Failure, "checkId">): void;
  /** Counts generated cases and stateful sequences sent, for the report. */
  countGenerated(what: "cases" | "sequences", n?: number): void;
}

/**
 * A check may spend at most this many request deadlines on the wire in all (a hostile server can
 * make every answer slow). Time spent waiting for a slot, the rate limit or a 429 does not count.
 */
const CHECK_BUDGET_DEADLINES = 20;

/** The context of one check in one run. */
export class CheckRun implements PhaseContext {
  requests = 0;
  /** Requests that got a complete answer: a check that judged none cannot pass. */
  answered = 0;
  /** Why the last request without a complete answer got none. */
  lastMiss: string | undefined;
  /** Whether a request of the check was abandoned or not sent because the run stopped. */
  sawStop = false;
  private wireMs = 0;
  private setupCounted = false;

  constructor(
    readonly checkId: string,
    private readonly run: RunState,
  ) {}

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
    const exchange = await this.run.send(req, { purpose: "probe", checkId: this.checkId });
    this.tally(exchange);
    return exchange;
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
    const exchange = await this.run.send(req, { purpose: "check", checkId: this.checkId });
    this.tally(exchange);
    return exchange;
  }

  private tally(exchange: Exchange): void {
    if (exchange.unsent) {
      this.sawStop = true;
      return;
    }
    this.requests += 1;
    this.wireMs += exchange.durationMs;
    if (exchange.stopped) this.sawStop = true;
    else if (exchange.status !== undefined && !exchange.transportError) this.answered += 1;
    else this.lastMiss = exchange.transportError;
  }

  async call(req: RequestSpec): Promise<Exchange> {
    const timeoutMs = this.run.transport.timeoutMs;
    if (this.wireMs > CHECK_BUDGET_DEADLINES * timeoutMs) {
      this.fail(
        `Every check finishes within ${CHECK_BUDGET_DEADLINES} request deadlines (${CHECK_BUDGET_DEADLINES} × ${timeoutMs} ms).`,
        `The server's answers were so slow that the check ran out of time before ${req.method} ${req.path}.`,
      );
    }
    const exchange = await this.send(req);
    if (exchange.stopped) {
      // Not the server's failure: the run ran out of time or found the server gone elsewhere.
      throw new CheckSkipped(
        `the run stopped before the check finished: ${this.run.transport.stopped ?? "stopped"}`,
      );
    }
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
    const exchange = this.run.setupExchange;
    if (exchange && !this.setupCounted) {
      // The check judges the run's own token request as if it had sent it.
      this.setupCounted = true;
      this.tally(exchange);
    }
    return exchange;
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
    return {
      path: pathUnder(base.href, absolute),
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

  async parallel<T, R>(
    items: readonly T[],
    part: (item: T, index: number) => Promise<R>,
  ): Promise<R[]> {
    const pool = this.run.pool;
    let outcomes: PromiseSettledResult<R>[];
    if (!pool || items.length <= 1) {
      outcomes = [];
      for (const [index, item] of items.entries()) {
        outcomes.push(
          await part(item, index).then(
            (value) => ({ status: "fulfilled" as const, value }),
            (reason: unknown) => ({ status: "rejected" as const, reason }),
          ),
        );
      }
    } else {
      // The check's own slot serves its parts; it takes one back, ahead of new checks, after.
      pool.release();
      try {
        outcomes = await Promise.allSettled(
          items.map((item, index) => pool.run(() => part(item, index), true)),
        );
      } finally {
        await pool.acquire(true);
      }
    }
    const failed = outcomes.find((o) => o.status === "rejected");
    if (failed) throw failed.reason;
    return outcomes.map((o) => (o as PromiseFulfilledResult<R>).value);
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
            ...shownBy(exchange),
            curl: curlFor(exchange, this.run.redactor),
          }
        : {}),
    };
  }

  expectStatus(exchange: Exchange, allowed: Array<number | string>, requirement: string): void {
    if (!statusIn(exchange.status, allowed))
      this.fail(requirement, `The server ${describeAnswer(exchange)}.`, exchange);
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
