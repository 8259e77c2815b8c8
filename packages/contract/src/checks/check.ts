import type { PhaseContext } from "../context.js";
import type { CheckInfo } from "../types.js";

export interface Check extends CheckInfo {
  /** Whether the check needs an access token (all but a few token checks do). Default: true. */
  needsToken?: boolean;
  /**
   * The check that judges the run's own token request (made before any check): when that
   * request fails for a reason of the server's, the failure is reported here. Default: false.
   */
  judgesSetupToken?: boolean;
  /**
   * Whether the check reads state other checks change while they run (a whole list read twice
   * and compared, a count): it runs when no other check does. Default: false.
   */
  runsAlone?: boolean;
  /**
   * Runs the check. The run hands every check a `PhaseContext`; a hand-written check reads only
   * the `CheckContext` it extends, the generated and stateful phases the rest.
   */
  run(ctx: PhaseContext): Promise<void>;
}
