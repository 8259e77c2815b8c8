import { inert } from "@mgmtkit/spec/secrets";
import pkg from "../package.json" with { type: "json" };
import { withCauses } from "./causes.js";
import { CoverageTally } from "./coverage.js";
import { curlFor } from "./curl.js";
import { type Exchange, shownBy, withExcerpt } from "./exchange.js";
import { fingerprint } from "./fingerprint.js";
import { FindingsLedger } from "./ledger.js";
import { MIN_TOKEN_LENGTH, Redactor, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER } from "./redact.js";
import { type RequestValidator, validateRequest } from "./request-validators.js";
import type { CheckInfo, CheckResult, Failure, Profile, SuiteReport } from "./types.js";
import { type ResponseValidator, type ValidationFailure, validateExchange } from "./validators.js";

/**
 * Judges HTTP traffic it did not send, one exchange at a time, and keeps only what a report
 * needs: counters, and a bounded set of failures per rule and operation. A validating proxy
 * feeds it every exchange it forwards.
 */

/** Stands for a connection's own client secret (`options.client_secret`) seen in traffic. */
export const CONNECTION_SECRET_PLACEHOLDER = "$MGMTKIT_CONNECTION_SECRET";

/** The rule for exchanges that never got a complete answer: only traffic can break it. */
export const completeAnswer: CheckInfo = {
  id: "response.complete",
  profile: "core",
  title: "Every answer arrives whole and in time",
  requirement:
    "The target answers every request completely within the deadline (--timeout-ms), without resetting the connection.",
  source: "RFC 9112 section 6.3 (a message ends where its framing says); the proxy's deadline",
};

/** One rule broken by one exchange, as it is printed the moment it is found. */
export interface Violation {
  /** The failure, secrets replaced (its `checkId` is the rule's id). */
  failure: Failure;
  /** The operation of the spec the request addressed, when there is one. */
  operation?: string;
  /** One line: the operation, the rule, what happened and the curl reproduction. */
  line: string;
}

/** What a judge knows of one exchange beyond what `Exchange` holds. */
export interface ExchangeFacts {
  /** Request body bytes the client sent (the body is kept only up to the cap). */
  requestBytes: number;
  /** Whether the answer's body was larger than the cap, so forwarded but not validated. */
  responseBodyOmitted: boolean;
  /** Whether the request body was larger than the cap. */
  requestBodyOmitted: boolean;
}

export interface TrafficJudgeOptions {
  /** The server the traffic goes to. */
  target: string;
  /** Where the traffic comes in (the proxy's own URL). */
  listen: string;
  profile: Profile;
  responseValidators: readonly ResponseValidator[];
  requestValidators: readonly RequestValidator[];
  /** Whether `response.complete` applies. */
  completeness: boolean;
  /** The largest body validated, in bytes. */
  maxBodyBytes: number;
}

interface RuleState {
  info: CheckInfo;
  judged: number;
  failures: Failure[];
}

function info({ id, profile, title, requirement, source }: CheckInfo): CheckInfo {
  return { id, profile, title, requirement, source };
}

/**
 * The secrets a proxy keeps at most, the most recently seen: a long session meets tokens without
 * end, and every one known costs each exchange a search. A token in use is seen again with each
 * request that carries it, so only those no client has used for a while are forgotten.
 */
export const MAX_SECRETS = 64;

/** Header names that carry a credential: `Authorization`, `X-Access-Token`, `X-Api-Key`… */
const CREDENTIAL_HEADER = /auth|token|secret|key|credential/i;

/** The credentials of a parsed body: `client_secret`, `access_token`, `options.client_secret`. */
function bodySecrets(value: unknown): { own?: string; token?: string; connection?: string } {
  if (typeof value !== "object" || value === null) return {};
  const record = value as {
    client_secret?: unknown;
    access_token?: unknown;
    options?: { client_secret?: unknown };
  };
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const found = {
    own: text(record.client_secret),
    token: text(record.access_token),
    connection: text(record.options?.client_secret),
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

/** The body's fields, whatever media type it claims: JSON when it parses, else a form. */
function requestFields(exchange: Exchange): unknown {
  if (exchange.requestBody === undefined) return undefined;
  try {
    return JSON.parse(exchange.requestBody);
  } catch {
    return Object.fromEntries(new URLSearchParams(exchange.requestBody.trim()));
  }
}

export class TrafficJudge {
  readonly redactor = new Redactor();
  /** Every secret known, oldest first, and whether an answer may echo it (no: refused ones). */
  private readonly known = new Map<string, boolean>();
  private echoSecrets: readonly string[] = [];
  private readonly coverage = new CoverageTally();
  private readonly rules = new Map<string, RuleState>();
  /** The violations, filed by rule and operation. */
  private readonly ledger = new FindingsLedger("exchange");
  private readonly startedAt = new Date();
  private readonly started = performance.now();
  private exchanges = 0;
  private incomplete = 0;
  private unvalidated = 0;

  constructor(private readonly options: TrafficJudgeOptions) {
    const infos = [
      ...options.requestValidators,
      ...(options.completeness ? [completeAnswer] : []),
      ...options.responseValidators,
    ];
    for (const rule of infos) {
      this.rules.set(rule.id, {
        info: info(rule),
        judged: 0,
        failures: [],
      });
    }
  }

  /**
   * Learns the secrets an exchange carries before anything of it is printed: the credential of
   * every header that names one (`Authorization`, `X-Access-Token`…), every `access_token` and
   * `client_secret` of the query or of a body of any media type, every token the token endpoint
   * issues. Those the target accepted (or issued) are also secrets no answer may echo; refused
   * ones are only kept out of this exchange's report, and forgotten after it (answered here).
   */
  private learn(exchange: Exchange): string[] {
    const refused = exchange.status === 401 || exchange.status === 400;
    const transient: string[] = [];
    const secret = (value: string | undefined, placeholder: string, echo: boolean) => {
      // A token too short to tell from other text is no secret to replace (an issued one is a
      // finding of response.no-secret-echo).
      if (!value || (placeholder === TOKEN_PLACEHOLDER && value.length < MIN_TOKEN_LENGTH)) return;
      const known = this.known.get(value);
      if (known === undefined && refused && !echo) transient.push(value);
      this.known.delete(value);
      this.known.set(value, echo || known === true);
      this.redactor.add(value, placeholder);
      if (echo && known !== true) this.echoSecrets = this.echoing();
      for (const [oldest] of this.known) {
        if (this.known.size <= MAX_SECRETS) break;
        this.forget(oldest);
      }
    };
    for (const [name, value] of Object.entries(exchange.requestHeaders)) {
      if (!CREDENTIAL_HEADER.test(name)) continue;
      // Only the Authorization header surely holds a credential the target accepted: the value of
      // another (`X-Auth-Provider: google-oauth2`) is kept out of reports, not out of answers.
      const accepted = !refused && name.toLowerCase() === "authorization";
      secret(value.replace(/^\s*[A-Za-z][\w-]*\s+(?=\S)/, "").trim(), TOKEN_PLACEHOLDER, accepted);
    }
    const tokenRequest = exchange.operation?.id === "getAccessToken";
    const query = new URL(exchange.url).searchParams;
    const sent = bodySecrets(requestFields(exchange));
    for (const value of [...query.getAll("access_token"), ...(sent.token ? [sent.token] : [])]) {
      secret(value, TOKEN_PLACEHOLDER, !refused && !tokenRequest);
    }
    const accepted = tokenRequest && exchange.status === 200;
    for (const value of [...query.getAll("client_secret"), ...(sent.own ? [sent.own] : [])]) {
      secret(value, tokenRequest ? SECRET_PLACEHOLDER : CONNECTION_SECRET_PLACEHOLDER, accepted);
    }
    secret(sent.connection, CONNECTION_SECRET_PLACEHOLDER, false);
    const issued = (exchange.json as { access_token?: unknown } | undefined)?.access_token;
    if (tokenRequest && typeof issued === "string") secret(issued, TOKEN_PLACEHOLDER, true);
    return transient;
  }

  /** The secrets no answer may echo, as one array (the validators' matcher is built once per set). */
  private echoing(): readonly string[] {
    return [...this.known].filter(([, echo]) => echo).map(([value]) => value);
  }

  private forget(value: string): void {
    const echo = this.known.get(value);
    this.known.delete(value);
    this.redactor.delete(value);
    if (echo) this.echoSecrets = this.echoing();
  }

  /** Judges one exchange; answers the violations it found, to print now. */
  judge(exchange: Exchange, facts: ExchangeFacts): Violation[] {
    const transient = this.learn(exchange);
    try {
      return this.judgeLearned(exchange, facts);
    } finally {
      for (const value of transient) this.forget(value);
    }
  }

  private judgeLearned(recorded: Exchange, facts: ExchangeFacts): Violation[] {
    const exchange = withExcerpt(recorded, this.redactor);
    this.exchanges += 1;
    this.coverage.add(exchange);
    if (facts.requestBodyOmitted || facts.responseBodyOmitted) this.unvalidated += 1;
    const found: ValidationFailure[] = [];
    for (const validator of this.options.requestValidators) this.judged(validator.id);
    found.push(
      ...validateRequest(
        exchange,
        { profile: this.options.profile, requestBytes: facts.requestBytes },
        this.options.requestValidators,
      ),
    );
    if (exchange.transportError) this.incomplete += 1;
    if (this.options.completeness) {
      this.judged(completeAnswer.id);
      if (exchange.transportError) {
        found.push({
          type: completeAnswer.id,
          requirement: `${exchange.method} ${exchange.operation?.path ?? exchange.path} is answered completely within the deadline.`,
          observed:
            exchange.status === undefined
              ? `The target ${exchange.transportError}.`
              : `The target answered ${exchange.status} but ${exchange.transportError}.`,
          key: `${exchange.operation?.id ?? exchange.method} ${exchange.status ?? "none"} ${exchange.transportError.replace(/\d+/g, "#")}`,
        });
      }
    }
    if (exchange.status !== undefined) {
      for (const validator of this.options.responseValidators) this.judged(validator.id);
      found.push(
        ...validateExchange(
          exchange,
          { secrets: this.echoSecrets },
          this.options.responseValidators,
        ),
      );
    }
    return found.map((failure) => this.record(exchange, failure));
  }

  private judged(id: string): void {
    const rule = this.rules.get(id);
    if (rule) rule.judged += 1;
  }

  /**
   * Files a violation under its rule: once per way of breaking it (repeats are counted), at most
   * MAX_REPORTED ways per rule and operation, so a long session keeps a bounded report.
   */
  private record(exchange: Exchange, found: ValidationFailure): Violation {
    const operation = exchange.operation?.id;
    const failure: Failure = this.redactor.value({
      checkId: found.type,
      type: found.type,
      requirement: found.requirement,
      observed: found.observed,
      ...shownBy(exchange),
      curl: curlFor(exchange, this.redactor),
      fingerprint: fingerprint({
        checkId: found.type,
        type: found.type,
        operation,
        shape: found.key,
      }),
    });
    const where = operation
      ? `${operation} (${exchange.method} ${exchange.operation?.path})`
      : `${exchange.method} ${exchange.path}`;
    // One line of inert text: nothing a client or a server sent moves the terminal's cursor.
    const line = inert(
      this.redactor
        .text(`✗ ${where} ${found.type}: ${found.observed} Reproduce: ${failure.curl}`)
        .replace(/[\r\n]+/g, " "),
    );
    const rule = this.rules.get(found.type);
    const kept = rule
      ? this.ledger.file(
          `${found.type}\n${operation ?? "-"}`,
          `${found.type}\n${found.key}`,
          () => ({
            ...failure,
          }),
        )
      : undefined;
    if (rule && kept) rule.failures.push(kept);
    return { failure, ...(operation ? { operation } : {}), line };
  }

  /** The report of the traffic so far: one result per rule, the coverage, the traffic's figures. */
  report(): SuiteReport {
    const checks: CheckResult[] = [...this.rules.values()].map((rule) => ({
      ...rule.info,
      status: rule.failures.length > 0 ? "failed" : rule.judged > 0 ? "passed" : "skipped",
      durationMs: 0,
      requests: rule.judged,
      failures: rule.failures.map((f) => ({ ...f })),
      ...(rule.failures.length === 0 && rule.judged === 0
        ? { skipReason: "no exchange it applies to passed through the proxy" }
        : {}),
    }));
    return withCauses(
      this.redactor.value({
        tool: { name: pkg.name, version: pkg.version },
        baseUrl: this.options.target,
        profile: this.options.profile,
        startedAt: this.startedAt.toISOString(),
        durationMs: Math.round(performance.now() - this.started),
        interrupted: false,
        requests: this.exchanges,
        summary: {
          total: checks.length,
          passed: checks.filter((c) => c.status === "passed").length,
          failed: checks.filter((c) => c.status === "failed").length,
          skipped: checks.filter((c) => c.status === "skipped").length,
        },
        checks,
        coverage: this.coverage.result(),
        traffic: {
          listen: this.options.listen,
          exchanges: this.exchanges,
          incomplete: this.incomplete,
          unvalidatedBodies: this.unvalidated,
          maxBodyBytes: this.options.maxBodyBytes,
        },
      }),
    );
  }
}
