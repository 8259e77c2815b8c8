import { randomBytes } from "node:crypto";
import { CoverageTally } from "./coverage.js";
import { curlFor } from "./curl.js";
import { type Exchange, type Sender, shownBy, withExcerpt, withoutLongText } from "./exchange.js";
import { fingerprint, fingerprintOf } from "./fingerprint.js";
import { FindingsLedger } from "./ledger.js";
import {
  MIN_TOKEN_LENGTH,
  type Redactor,
  SECRET_PLACEHOLDER,
  TOKEN_PLACEHOLDER,
} from "./redact.js";
import { Created, SentConnections } from "./sent.js";
import { type RequestSpec, Transport, type TransportOptions } from "./transport.js";
import type { Failure, Profile } from "./types.js";
import { type ResponseValidator, type ValidationFailure, validateExchange } from "./validators.js";
import type { WorkPool } from "./work-pool.js";

/**
 * Bodies longer than this are let go once the validators have read them: checks keep exchanges
 * (a generated case keeps every one until its operation is shrunk), and a server's 16 MiB answers
 * must not add up. What a report quotes (`excerpt`) and the parsed JSON stay.
 */
const KEPT_TEXT = 64 * 1024;

/** A failure as a check or a validator reports it; the run adds the check id. */
export type Finding = Omit<Failure, "checkId" | "type"> & { type?: string };

/** The state one run shares between its setup, its checks and its clean-up. */
export class RunState {
  readonly runId = randomBytes(3).toString("hex");
  /** What the run may have created; all is deleted at the end, whatever happened. */
  readonly created = new Created();
  /** What the run sent each connection it created or replaced. */
  readonly sent = new SentConnections();
  /** The run's own token request, made before any check. */
  setupExchange: Exchange | undefined;
  readonly transport: Transport;
  /** The run's slots, shared by its checks and the parts they spread (`CheckContext.parallel`). */
  pool: WorkPool | undefined;
  private readonly failures = new Map<string, Failure[]>();
  private readonly secrets = new Set<string>();
  /** The secrets as one array, made again when one is added: the validators' matcher is built once per set. */
  private echoSecrets: readonly string[] = [];
  /** The validators' findings, filed by check and rule. */
  private readonly ledger = new FindingsLedger("answer");
  private counter = 0;
  /** Generated cases and stateful sequences sent. */
  readonly generated = { cases: 0, sequences: 0 };
  /** Every exchange of the run, counted as it completes (none is kept). */
  readonly coverage = new CoverageTally();
  requests = 0;

  constructor(
    transport: Omit<TransportOptions, "keep">,
    readonly redactor: Redactor,
    readonly credentials: { clientId?: string; clientSecret?: string; token?: string },
    /** The response validators every exchange a check sends goes through. */
    private readonly validators: readonly ResponseValidator[],
    /** The generated and stateful phases' settings. */
    readonly generation: { seed: number; maxExamples: number; profile: Profile } = {
      seed: 0,
      maxExamples: 2,
      profile: "core",
    },
  ) {
    this.transport = new Transport({ ...transport, keep: (e) => this.keep(e) });
    this.addSecret(credentials.clientSecret, SECRET_PLACEHOLDER);
    this.addSecret(credentials.token, TOKEN_PLACEHOLDER);
  }

  /**
   * Sends a check's request: what it sends a connection is registered before any answer (a list
   * read meanwhile already knows it), and what it creates once the answer says so.
   */
  async send(req: RequestSpec, sender: Sender): Promise<Exchange> {
    const creates = this.sent.register(req);
    const exchange = await this.transport.send(req, sender);
    this.created.settle(creates, exchange, this.transport.token);
    return exchange;
  }

  /**
   * A value no report may print (it shows `placeholder`) and, unless it is only derived from a
   * secret by a check (an altered token the server was sent), no answer may echo.
   */
  addSecret(value: string | undefined, placeholder: string, { derived = false } = {}): void {
    if (!value) return;
    // A token too short to be told from other text is a finding (response.no-secret-echo); the
    // values a check derives from it are as short, and no more secret.
    const short = value.length < MIN_TOKEN_LENGTH - (derived ? 1 : 0);
    if (short && placeholder.startsWith(derived ? "${MGMTKIT_TOKEN" : TOKEN_PLACEHOLDER)) return;
    if (!derived && !this.secrets.has(value)) {
      this.secrets.add(value);
      this.echoSecrets = [...this.secrets];
    }
    this.redactor.add(value, placeholder);
  }

  /**
   * What the run's response validators find in an exchange, without reporting it: the generated
   * phases judge their requests themselves, and report only the shrunk failing case.
   */
  judge(exchange: Exchange): ValidationFailure[] {
    const known = this.judged.get(exchange);
    if (known) return known;
    const found = validateExchange(
      exchange,
      { secrets: this.echoSecrets, sentConnection: (name) => this.sent.of(name) },
      this.validators,
    );
    this.judged.set(exchange, found);
    return found;
  }

  /** What the validators found in each exchange, judged once as it completed. */
  private readonly judged = new WeakMap<Exchange, ValidationFailure[]>();

  /** Sees every exchange as it completes, and answers the copy the run keeps of it. */
  private keep(recorded: Exchange): Exchange {
    this.requests += 1;
    this.coverage.add(recorded);
    // Every token the server issues is a secret from the moment it exists; one too short to
    // tell from the text around it is a finding of response.no-secret-echo instead.
    const body = recorded.json as { access_token?: unknown } | undefined;
    if (recorded.operation?.id === "getAccessToken" && typeof body?.access_token === "string") {
      this.addSecret(body.access_token, TOKEN_PLACEHOLDER);
    }
    const quoted = withExcerpt(recorded, this.redactor);
    // Judged now, while the whole body is at hand, whether a check judges it later or not.
    const found = this.judge(quoted);
    const exchange = withoutLongText(quoted, KEPT_TEXT);
    this.judged.set(exchange, found);
    // Only a check's own requests are judged here: a probe's answer is the check's to judge, and
    // the run's setup, clean-up and liveness requests judge no one.
    if (exchange.purpose === "check" && exchange.checkId !== undefined) {
      for (const failure of found) this.reportValidation(exchange.checkId, exchange, failure);
    }
    return exchange;
  }

  /**
   * Reports a validator's finding under the check that sent the request: once per way of
   * breaking the rule (later answers that break it the same way are counted), and at most
   * MAX_REPORTED ways per check and rule.
   */
  private reportValidation(checkId: string, exchange: Exchange, found: ValidationFailure): void {
    const rule = `${checkId}\n${found.type}`;
    const failure = this.ledger.file(rule, `${rule}\n${found.key}`, () => ({
      checkId,
      type: found.type,
      requirement: found.requirement,
      observed: found.observed,
      ...shownBy(exchange),
      curl: curlFor(exchange, this.redactor),
      fingerprint: fingerprint({
        checkId,
        type: found.type,
        operation: exchange.operation?.id,
        shape: found.key,
      }),
    }));
    if (failure) this.failuresOf(checkId).push(failure);
  }

  /** A connection name no one else uses: `mgmtkit-contract-<run>-<label>-<n>`. */
  uniqueName(label: string): string {
    this.counter += 1;
    return `mgmtkit-contract-${this.runId}-${label}-${this.counter}`;
  }

  /** The failures reported so far under a check. */
  failuresOf(checkId: string): Failure[] {
    let list = this.failures.get(checkId);
    if (!list) {
      list = [];
      this.failures.set(checkId, list);
    }
    return list;
  }

  report(checkId: string, finding: Finding): void {
    const failure: Failure = { checkId, type: finding.type ?? "check", ...finding };
    failure.fingerprint = fingerprintOf(failure, this.transport.baseUrl);
    this.failuresOf(checkId).push(failure);
  }

  /** Reports a failure as it is (the generated phases give it its type, seed and case). */
  reportFailure(failure: Failure): void {
    this.failuresOf(failure.checkId).push(failure);
  }
}
