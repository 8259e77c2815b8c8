import type { RunState } from "./run-state.js";

/** Bad options: the suite cannot run as asked (the CLI exits 2). */
export class SuiteConfigError extends Error {
  override name = "SuiteConfigError";
}

/** The target cannot be judged at all: unreachable, or it refused the credentials (the CLI exits 2). */
export class SuiteSetupError extends Error {
  override name = "SuiteSetupError";
}

/** The token request of "A token is obtained using the POST method" (API endpoint) (`type=web_server` unless `extra` says otherwise). */
export function tokenForm(
  credentials: { clientId: string; clientSecret: string },
  extra: Record<string, string> = { type: "web_server" },
): Record<string, string> {
  return {
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    ...extra,
    grant_type: "client_credentials",
  };
}

/**
 * Obtains the run's token: with client credentials, through the token request of "A token is
 * obtained using the POST method" (API endpoint) (the exchange is reported under `judge`, the check that holds the server to that request); with a
 * token, by probing that the server accepts it.
 */
export async function obtainToken(
  run: RunState,
  judge: string | undefined,
  token?: string,
): Promise<void> {
  const { transport } = run;
  const baseUrl = transport.baseUrl;
  const { clientId, clientSecret } = run.credentials;
  if (clientId && clientSecret) {
    const exchange = await transport.send(
      {
        method: "POST",
        path: "/oauth/token",
        auth: { kind: "none" },
        form: tokenForm({ clientId, clientSecret }),
      },
      judge === undefined ? { purpose: "setup" } : { purpose: "check", checkId: judge },
    );
    run.setupExchange = exchange;
    if (exchange.unreachable) {
      throw new SuiteSetupError(`Cannot reach ${baseUrl}: the server ${exchange.transportError}.`);
    }
    const body = exchange.json as { access_token?: unknown; error?: unknown } | undefined;
    if (exchange.status === 400 || exchange.status === 401) {
      const error = typeof body?.error === "string" ? ` (${body.error})` : "";
      throw new SuiteSetupError(
        `The server refused the client credentials: POST /oauth/token answered ${exchange.status}${error}; check --client-id and --client-secret.`,
      );
    }
    // Any other failure is the server's: `judge` reports it and the checks that need a token are skipped.
    if (exchange.status === 200 && typeof body?.access_token === "string" && body.access_token) {
      transport.token = body.access_token;
    }
    return;
  }
  transport.token = token;
  const probe = await transport.send(
    { method: "GET", path: "/api/connections" },
    { purpose: "setup" },
  );
  if (probe.unreachable)
    throw new SuiteSetupError(`Cannot reach ${baseUrl}: the server ${probe.transportError}.`);
  if (probe.status === 401) {
    throw new SuiteSetupError(
      "The server refused the access token given with --token (GET /api/connections answered 401).",
    );
  }
}

/** Deletes every connection the run may have created and not deleted yet, as many at once as the run's checks ran. */
export async function sweep(run: RunState): Promise<void> {
  if (!run.transport.token) return;
  const remove = (name: string) =>
    run.transport.send(
      { method: "DELETE", path: `/api/connections/${encodeURIComponent(name)}` },
      { purpose: "cleanup" },
    );
  await Promise.all(
    run.created.pending.map((name) => (run.pool ? run.pool.run(() => remove(name)) : remove(name))),
  );
}
