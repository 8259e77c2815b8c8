// The server of a mutation target, started from its entry module on a free loopback port: one
// way for both runners (server-thread.mjs in a worker, judge-mutant.mjs in a process).

/**
 * @param {"era" | "reference"} target
 * @param {string} entry the file URL of the target's entry module (mutated or not)
 * @param {{ clientId: string, clientSecret: string }} credentials
 * @returns {Promise<{ url: string }>}
 */
export async function startMutant(target, entry, { clientId, clientSecret }) {
  const module = await import(entry);
  return target === "reference"
    ? module.startServer({
        host: "127.0.0.1",
        port: 0,
        db: ":memory:",
        logger: false,
        clientId,
        clientSecret,
      })
    : module.startEraServer({ host: "127.0.0.1", port: 0, clientId, clientSecret, strict: true });
}
