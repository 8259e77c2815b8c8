import type { Strategy } from "@mgmtkit/spec/model";
import type fc from "fast-check";
import type { PhaseContext } from "../context.js";
import { describeAnswer, type Exchange, statusIn } from "../exchange.js";
import { point } from "../open-points.js";
import type { RequestSpec } from "../transport.js";

/**
 * The model a stateful sequence keeps of the server, and the server's side of it: every answer
 * is judged as it arrives, and the first disagreement ends the sequence.
 */

/** What the last create or replace of a slot sent. */
export interface Sent {
  name: string;
  status: 0 | 1;
  strategy: Strategy;
  options: Record<string, unknown>;
}

export interface Model {
  /** Live connections by slot: what the last create or replace sent, and the created id. */
  live: Map<number, { sent: Sent; id: unknown; clientId: unknown }>;
  /** Slots whose connection was deleted and not created again. */
  gone: Set<number>;
}

/** One way the server disagreed with the model. */
export class Disagreement extends Error {
  constructor(
    readonly code: string,
    readonly requirement: string,
    readonly observed: string,
    readonly exchange: Exchange | undefined,
  ) {
    super(requirement);
  }
}

/** The server side of one sequence: its names and every request it sent. */
export class Real {
  readonly steps: Exchange[] = [];
  constructor(
    readonly ctx: PhaseContext,
    readonly names: string[],
  ) {}

  async send(req: RequestSpec): Promise<Exchange> {
    const exchange = await this.ctx.probe(req);
    this.steps.push(exchange);
    if (exchange.stopped) {
      // Not the server's disagreement: the run stopped (the check is then skipped).
      throw new Disagreement("stopped", "The run goes on.", "The run stopped.", undefined);
    }
    if (exchange.status === undefined || exchange.transportError) {
      throw new Disagreement(
        "transport",
        "The server answers every request completely, within the deadline.",
        `The server ${describeAnswer(exchange)}.`,
        exchange,
      );
    }
    const found = this.ctx.judge(exchange)[0];
    if (found) throw new Disagreement(found.type, found.requirement, found.observed, exchange);
    return exchange;
  }

  expect(
    exchange: Exchange,
    allowed: Array<number | "4xx">,
    code: string,
    requirement: string,
  ): void {
    if (!statusIn(exchange.status, allowed)) {
      throw new Disagreement(
        code,
        requirement,
        `The server ${describeAnswer(exchange)}.`,
        exchange,
      );
    }
  }

  differs(exchange: Exchange, code: string, requirement: string, problem: string | undefined) {
    if (problem) {
      throw new Disagreement(
        code,
        requirement,
        `The server ${describeAnswer(exchange)} [${problem}].`,
        exchange,
      );
    }
  }
}

/**
 * What a name that holds no connection answers: 404, or 410 (open point delete.gone-status; a
 * server may keep a tombstone for any name a DELETE addressed).
 */
export const absent = (_model: Model, _slot: number) => [
  ...point("delete.gone-status").under("core").statuses,
];

export type Command = fc.AsyncCommand<Model, Real>;
