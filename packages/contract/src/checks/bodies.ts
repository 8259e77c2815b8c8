import { exampleConnections, type Strategy, strategies } from "@mgmtkit/spec/model";

/** A create body the suite sends: every field a strict reading may require, and nothing odd. */
export interface ConnectionBody {
  name: string;
  status: 0 | 1;
  strategy: string;
  options: Record<string, unknown>;
}

function example(strategy: string) {
  if (!strategies.includes(strategy as Strategy)) throw new Error(`no strategy ${strategy}`);
  return exampleConnections[strategy as Strategy];
}

/** A complete create body for a strategy: the spec's example connection under a fresh name. */
export function createBody(name: string, strategy = "google-oauth2"): ConnectionBody {
  const { status, options } = example(strategy);
  return {
    name,
    status: status ?? 1,
    strategy,
    options: structuredClone(options ?? {}),
  };
}

/**
 * Options for a replace that differ from the example's, to prove a replace persists: every
 * boolean option flipped and the client secret renewed, or, where the example has neither,
 * tenant_domain changed.
 */
export function replacementOptions(strategy: string): Record<string, unknown> {
  const options = createBody("replacement", strategy).options;
  let changed = false;
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === "boolean") {
      options[key] = !value;
      changed = true;
    }
  }
  if (typeof options.client_secret === "string") {
    options.client_secret = `${options.client_secret}-RENEWED`;
    changed = true;
  }
  if (!changed)
    options.tenant_domain = `replaced.${String(options.tenant_domain ?? "example.com")}`;
  return options;
}
