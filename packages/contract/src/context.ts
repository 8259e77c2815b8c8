import { randomBytes } from "node:crypto";
import pactum from "pactum";
import { curlFor } from "./curl.js";
import { type Exchange, type RequestSpec, send, type Transport } from "./http.js";
import type { Redactor } from "./redact.js";
import type { CheckInfo, Failure } from "./types.js";

type Have = ReturnType<typeof pactum.expect>["to"]["have"];

/** Thrown by an assertion; ends the current step (or check) with one precise failure. */
export class CheckFailed extends Error {
  constructor(readonly failure: Omit<Failure, "checkId">) {
    super(failure.requirement);
  }
}

/** Thrown to skip a check that cannot run with the given options. */
export class CheckSkipped extends Error {}

function bodyOf(req: RequestSpec): unknown {
  if (req.json !== undefined || req.raw === undefined) return req.json;
  try {
    return JSON.parse(req.raw);
  } catch {
    return undefined;
  }
}

function usesRunToken(req: RequestSpec): boolean {
  const auth = req.auth;
  return (
    auth === undefined ||
    ((auth.kind === "header" || auth.kind === "query") && auth.token === undefined)
  );
}

/** State shared by every check of one run. */
export class RunState {
  readonly runId = randomBytes(3).toString("hex");
  /** Names the suite tried to create; all are deleted at the end, whatever happened. */
  readonly created = new Set<string>();
  /** The token request the run made before any check, judged by `token.form`. */
  setupExchange: Exchange | undefined;
  private counter = 0;
  constructor(
    readonly transport: Transport,
    readonly redactor: Redactor,
    readonly credentials: { clientId?: string; clientSecret?: string },
  ) {}

  /**
   * Keeps the list of connections the suite may have created: a create that succeeded (or whose
   * answer never came) adds the name, a delete that answered 200 or 404 removes it.
   */
  track(req: RequestSpec, exchange: Exchange): void {
    const path = req.path.replace(/\/+$/, "");
    const status = exchange.status;
    if (req.method === "POST" && path === "/api/connections") {
      const name = (bodyOf(req) as { name?: unknown } | undefined)?.name;
      if (typeof name === "string" && (status === undefined || (status >= 200 && status < 300))) {
        this.created.add(name);
      }
    } else if (req.method === "DELETE" && usesRunToken(req) && (status === 200 || status === 404)) {
      const match = /^\/api\/connections\/([^/]+)$/.exec(path);
      if (match?.[1]) this.created.delete(decodeURIComponent(match[1]));
    }
  }

  /** A connection name no one else uses: `mgmtkit-contract-<run>-<label>-<n>`. */
  uniqueName(label: string): string {
    this.counter += 1;
    return `mgmtkit-contract-${this.runId}-${label}-${this.counter}`;
  }
}

const EXCERPT = 300;

/** What the server did, in one line: status, content type and the start of the body. */
export function describeAnswer(exchange: Exchange): string {
  if (exchange.status === undefined) return exchange.transportError ?? "did not answer";
  if (exchange.transportError) return `answered ${exchange.status} but ${exchange.transportError}`;
  const text = (exchange.text ?? "").replace(/\s+/g, " ").trim();
  const body =
    text.length === 0
      ? "an empty body"
      : text.length > EXCERPT
        ? `${text.slice(0, EXCERPT)}… (${exchange.bytes} bytes)`
        : text;
  return `answered ${exchange.status} (${exchange.contentType ?? "no Content-Type"}): ${body}`;
}

/** A check may spend at most this many request deadlines in all (a hostile server can make every answer slow). */
const CHECK_BUDGET_DEADLINES = 20;

export class CheckContext {
  readonly failures: Failure[] = [];
  requests = 0;
  private readonly budgetEnds: number;

  constructor(
    readonly check: CheckInfo,
    readonly run: RunState,
  ) {
    this.budgetEnds = Date.now() + CHECK_BUDGET_DEADLINES * run.transport.timeoutMs;
  }

  get credentials() {
    return this.run.credentials;
  }

  /** Sends a request; a transport failure (timeout, reset, oversized body) is not thrown here. */
  async send(req: RequestSpec): Promise<Exchange> {
    this.requests += 1;
    const exchange = await send(this.run.transport, this.check.id, req);
    this.run.track(req, exchange);
    return exchange;
  }

  /** Sends a request and fails the step unless a complete answer arrived. */
  async call(req: RequestSpec): Promise<Exchange> {
    if (Date.now() > this.budgetEnds) {
      this.fail(
        `Every check finishes within ${CHECK_BUDGET_DEADLINES} request deadlines (${CHECK_BUDGET_DEADLINES} × ${this.run.transport.timeoutMs} ms).`,
        `The server's answers were so slow that the check ran out of time before ${req.method} ${req.path}.`,
      );
    }
    const exchange = await this.send(req);
    if (exchange.transportError) {
      this.fail(
        `The server answers every request completely within ${this.run.transport.timeoutMs} ms, with a body the client can read.`,
        exchange.status === undefined
          ? `The server ${exchange.transportError}.`
          : `The server ${describeAnswer(exchange)}.`,
        exchange,
      );
    }
    return exchange;
  }

  fail(requirement: string, observed: string, exchange?: Exchange): never {
    throw new CheckFailed({
      requirement,
      observed,
      ...(exchange
        ? {
            request: `${exchange.method} ${exchange.url}`,
            curl: curlFor(exchange, this.run.redactor),
          }
        : {}),
    });
  }

  /**
   * Runs one pactum expectation on an answer. Pactum stops at the first failed expectation of a
   * spec, so each rule is its own expectation with its own requirement text: a failure names
   * exactly the rule the server broke.
   */
  async expect(
    exchange: Exchange,
    requirement: string,
    assertion: (have: Have) => unknown,
  ): Promise<void> {
    try {
      await assertion(pactum.expect(exchange.raw).to.have);
    } catch (error) {
      const lines = ((error as Error).message ?? "")
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
      const detail =
        lines.slice(0, 4).join("; ") + (lines.length > 4 ? `; and ${lines.length - 4} more` : "");
      this.fail(
        requirement,
        `The server ${describeAnswer(exchange)}${detail ? ` [${detail}]` : ""}.`,
        exchange,
      );
    }
  }

  /**
   * A custom pactum expectation: `problem` returns what is wrong with the JSON body (or
   * undefined when nothing is).
   */
  async expectThat(
    exchange: Exchange,
    requirement: string,
    problem: (json: unknown) => string | undefined,
  ): Promise<void> {
    const handler = ({ res }: { res: { json?: unknown } }) => {
      const message = problem(res.json);
      if (message) throw new Error(message);
    };
    // pactum's typings only list named handlers; at run time `_` takes a function too.
    await this.expect(exchange, requirement, (have) =>
      have._(handler as unknown as string, undefined),
    );
  }

  /** Fails unless the status is one of `allowed` (numbers, or "4xx"-style classes). */
  expectStatus(exchange: Exchange, allowed: Array<number | string>, requirement: string): void {
    const status = exchange.status;
    const ok = allowed.some((a) =>
      typeof a === "number" ? a === status : status !== undefined && `${String(status)[0]}xx` === a,
    );
    if (!ok) this.fail(requirement, `The server ${describeAnswer(exchange)}.`, exchange);
  }

  /** Fails unless the body is JSON. */
  jsonBody(exchange: Exchange, requirement: string): unknown {
    if (!exchange.isJson)
      this.fail(
        requirement,
        `The server ${describeAnswer(exchange)}, which is not JSON.`,
        exchange,
      );
    return exchange.json;
  }

  /** Runs a part of the check; its failure is recorded and the check goes on with the next part. */
  async step(fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (error) {
      if (error instanceof CheckFailed) {
        this.failures.push({ checkId: this.check.id, ...error.failure });
        return false;
      }
      throw error;
    }
  }

  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }

  /** Skips the check unless client credentials were given. */
  needCredentials(): { clientId: string; clientSecret: string } {
    const { clientId, clientSecret } = this.run.credentials;
    if (!clientId || !clientSecret) {
      this.skip("needs client credentials (--client-id and --client-secret), not only a token");
    }
    return { clientId, clientSecret };
  }
}
