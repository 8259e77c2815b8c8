// The writer thread of a file database: it applies batches of writes and syncs them to disk while
// the main thread goes on reading and accepting requests.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "./schema.js";
import { createBatchWriter, type WriteOp } from "./writes.js";

const port = parentPort;
if (!port) throw new Error("write-worker runs as a worker thread only.");
const db = openDatabase((workerData as { location: string }).location);
const write = createBatchWriter(db);

port.on("message", (message: { ops: WriteOp[] } | { close: true }) => {
  if ("close" in message) {
    db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ outcomes: write(message.ops) });
  } catch (error) {
    // The commit itself failed (disk full, I/O error): every write of the batch failed.
    port.postMessage({ failed: (error as Error).message });
  }
});
