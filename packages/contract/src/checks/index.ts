import { authChecks } from "./auth.js";
import type { Check } from "./check.js";
import { connectionChecks } from "./connections.js";
import { consistencyChecks } from "./consistency.js";
import { documentChecks } from "./document.js";
import { generatedChecks } from "./generated.js";
import { lifecycleChecks } from "./lifecycle.js";
import { negativeChecks } from "./negative.js";
import { replaceIdentityChecks } from "./replace-identity.js";
import { robustnessChecks } from "./robustness.js";
import { statefulChecks } from "./stateful.js";
import { tokenChecks } from "./token.js";
import { unlistedRequestChecks } from "./unlisted-requests.js";
import { userChecks } from "./users.js";

/** Every check, in the order a run executes them. */
export const checks: readonly Check[] = [
  ...tokenChecks,
  ...authChecks,
  ...documentChecks,
  ...lifecycleChecks,
  ...connectionChecks,
  ...negativeChecks,
  ...userChecks,
  ...consistencyChecks,
  ...robustnessChecks,
  ...generatedChecks,
  ...statefulChecks,
  // Checks prompted by mutation testing of the era server (e2e/mutation).
  ...replaceIdentityChecks,
  ...unlistedRequestChecks,
];

export type { Check };
