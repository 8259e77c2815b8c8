import { startServer } from "@mgmtkit/reference-server";

/**
 * The reference server, as a black box on a free port with an in-memory database and the demo
 * seed. MGMTKIT_TEST_BASE_URL (with MGMTKIT_TEST_CLIENT_ID and MGMTKIT_TEST_CLIENT_SECRET)
 * points the tests at another server instead.
 */
export async function referenceServer(): Promise<{
  url: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}> {
  const url = process.env.MGMTKIT_TEST_BASE_URL;
  if (url) {
    return {
      url,
      clientId: process.env.MGMTKIT_TEST_CLIENT_ID ?? "",
      clientSecret: process.env.MGMTKIT_TEST_CLIENT_SECRET ?? "",
      close: async () => {},
    };
  }
  return startServer({ host: "127.0.0.1", port: 0, db: ":memory:", logger: false });
}

/** A token from the server's own token endpoint, as the tests' setup and clean-up need one. */
export async function accessToken(
  url: string,
  credentials: { clientId: string; clientSecret: string },
): Promise<string> {
  const answer = await fetch(`${url}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      grant_type: "client_credentials",
    }),
  });
  const { access_token } = (await answer.json()) as { access_token: string };
  return access_token;
}
