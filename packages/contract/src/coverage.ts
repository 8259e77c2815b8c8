import { type OperationModel, operations } from "@mgmtkit/spec/model";
import type { Exchange } from "./exchange.js";
import type { OperationCoverage } from "./types.js";

/**
 * Counts, per operation of the spec, the requests and the answers under each documented status
 * (and the undocumented ones), one exchange at a time: a run counts its exchanges at the end, a
 * proxy counts as traffic passes and keeps no exchange.
 */
export class CoverageTally {
  private readonly tallies = new Map<
    OperationModel,
    { requests: number; statuses: Record<string, number>; undocumented: Record<string, number> }
  >(
    operations.map((op) => [
      op,
      {
        requests: 0,
        statuses: Object.fromEntries([...op.responses.keys()].map((key) => [key, 0])),
        undocumented: {},
      },
    ]),
  );

  add(exchange: Exchange): void {
    const tally = exchange.operation && this.tallies.get(exchange.operation);
    if (!tally) return;
    tally.requests += 1;
    if (exchange.status === undefined) return;
    if (exchange.documented) {
      tally.statuses[exchange.documented] = (tally.statuses[exchange.documented] ?? 0) + 1;
    } else {
      tally.undocumented[exchange.status] = (tally.undocumented[exchange.status] ?? 0) + 1;
    }
  }

  /** Every operation of the spec, in its order, with what was counted so far. */
  result(): OperationCoverage[] {
    return operations.map((op) => {
      const tally = this.tallies.get(op);
      return {
        operationId: op.id,
        method: op.method,
        path: op.path,
        requests: tally?.requests ?? 0,
        statuses: { ...tally?.statuses },
        undocumented: { ...tally?.undocumented },
      };
    });
  }
}
