import { parentPort, workerData } from 'node:worker_threads';
import { IngestSlot, type IngestWorkerData } from './ingest-state.js';
import { openDatabase } from './schema.js';
import { SegmentIngest } from './segments/segment-ingest.js';

/** Between two looks at what the writer has appended: bounds how long readers wait for a record. */
const POLL_MS = 20;
/** After a failed round (store busy or unwritable), before the next try. */
const RETRY_MS = 1000;

// The ingest worker: moves the records the gateway appends to the segment log into the store,
// on a thread of its own, so that no store write ever runs on the relay's event loop.
const { journalPath, directory, shared } = workerData as IngestWorkerData;
const state = new BigInt64Array(shared);
const db = openDatabase(journalPath, false);
const ingest = new SegmentIngest(db, directory);
let failing = false;

while (Atomics.load(state, IngestSlot.stop) === 0n) {
  const published = Atomics.load(state, IngestSlot.published);
  let pause = POLL_MS;
  if (published > Atomics.load(state, IngestSlot.ingested)) {
    try {
      const round = ingest.run(Number(published), 'live');
      Atomics.store(state, IngestSlot.ingested, BigInt(round.head.seq));
      if (failing) parentPort?.postMessage({ recovered: true });
      failing = false;
    } catch (error) {
      if (!failing)
        parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
      failing = true;
      pause = RETRY_MS;
    }
  }
  Atomics.wait(state, IngestSlot.stop, 0n, pause);
}
db.close();
Atomics.store(state, IngestSlot.stopped, 1n);
Atomics.notify(state, IngestSlot.stopped);
