import { startServer } from "@mgmtkit/reference-server";

// An in-memory server on a free port with fixed credentials and no seeded data, as a test needs it.
const server = await startServer({
  port: 0,
  db: ":memory:",
  clientId: "test-client",
  clientSecret: "test-secret",
  seed: false,
});
console.log(`Listening on ${server.url}`);

// ... run the code under test against server.url ...

await server.close();
