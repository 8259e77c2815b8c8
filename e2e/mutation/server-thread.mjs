// One mutant's server, in a worker thread of its own: a fresh module graph, so that every
// module-level value (the seed, the option shapes) is evaluated again under this mutant, and
// nothing of the previous mutant's server survives. The worker's env carries
// __STRYKER_ACTIVE_MUTANT__, which the instrumented code reads when it first runs.
import { parentPort, workerData } from "node:worker_threads";
import { startMutant } from "./start-mutant.mjs";

/** @type {{ target: "era" | "reference", entry: string, clientId: string, clientSecret: string }} */
const { target, entry, clientId, clientSecret } = workerData;
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
try {
  const server = await startMutant(target, entry, { clientId, clientSecret });
  port.postMessage({ url: server.url });
} catch (error) {
  port.postMessage({ error: String(/** @type {Error} */ (error)?.message ?? error) });
}
