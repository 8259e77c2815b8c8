import { randomBytes } from "node:crypto";
import type { Exchange } from "./exchange.js";
import { type Redactor, TOKEN_PLACEHOLDER } from "./redact.js";
import { trackConnections } from "./setup.js";
import { Transport } from "./transport.js";
import type { Failure } from "./types.js";

/** A failure as a check or a validator reports it; the run adds the check id. */
export type Finding = Omit<Failure, "checkId" | "type"> & { type?: string };

/** The state one run shares between its setup, its checks and its clean-up. */
export class RunState {
  readonly runId = randomBytes(3).toString("hex");
  /** Names the suite tried to create; all are deleted at the end, whatever happened. */
  readonly created = new Set<string>();
  /** The run's own token request, made before any check. */
  setupExchange: Exchange | undefined;
  readonly transport: Transport;
  private readonly failures = new Map<string, Failure[]>();
  private counter = 0;

  constructor(
    transport: { baseUrl: string; timeoutMs: number; maxResponseBytes: number },
    readonly redactor: Redactor,
    readonly credentials: { clientId?: string; clientSecret?: string },
  ) {
    this.transport = new Transport({ ...transport, onExchange: (e) => this.observe(e) });
  }

  /** Sees every exchange as it completes. */
  private observe(exchange: Exchange): void {
    // Every token the server issues is a secret from the moment it exists.
    const body = exchange.json as { access_token?: unknown } | undefined;
    if (
      exchange.operation?.operationId === "getAccessToken" &&
      typeof body?.access_token === "string"
    ) {
      this.redactor.add(body.access_token, TOKEN_PLACEHOLDER);
    }
    trackConnections(this, exchange);
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
    this.failuresOf(checkId).push({ checkId, type: "check", ...finding });
  }
}
