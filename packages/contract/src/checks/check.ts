import type { CheckContext } from "../context.js";
import type { CheckInfo } from "../types.js";

export interface Check extends CheckInfo {
  /** Whether the check needs an access token (all but a few token checks do). Default: true. */
  needsToken?: boolean;
  /** Runs after every other check, because it judges the answers the whole run collected. */
  late?: boolean;
  run(ctx: CheckContext): Promise<void>;
}
