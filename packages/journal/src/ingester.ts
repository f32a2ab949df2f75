import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { INGEST_SLOTS, IngestSlot, type IngestWorkerData } from './ingest-state.js';

/** How long closing waits for the worker to finish the round it is in. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * The writer's side of the ingest worker: tells it how far the segment log goes, and learns
 * how far the store has caught up, through shared memory — nothing per append but one store.
 */
export class Ingester {
  private readonly state = new BigInt64Array(new SharedArrayBuffer(INGEST_SLOTS * 8));
  private readonly worker: Worker;
  /** The worker's last failure, cleared when a later round succeeds. */
  failure: string | null = null;

  constructor(journalPath: string, directory: string, headSeq: number) {
    Atomics.store(this.state, IngestSlot.published, BigInt(headSeq));
    Atomics.store(this.state, IngestSlot.ingested, BigInt(headSeq));
    const data: IngestWorkerData = { journalPath, directory, shared: this.state.buffer as SharedArrayBuffer };
    this.worker = new Worker(workerFile(), { workerData: data });
    this.worker.on('message', (message: { error?: string; recovered?: boolean }) => {
      this.failure = message.error ?? null;
    });
    this.worker.on('error', (error) => {
      this.failure = `the journal's ingest worker stopped: ${error.message}`;
    });
    // A worker that ended on its own must not be waited for when the journal closes.
    this.worker.on('exit', () => Atomics.store(this.state, IngestSlot.stopped, 1n));
    this.worker.unref();
  }

  /** Records up to `seq` are in the segment log. */
  published(seq: number): void {
    Atomics.store(this.state, IngestSlot.published, BigInt(seq));
  }

  /** The store has every record up to `seq` (the writer's own thread caught it up). */
  caughtUp(seq: number): void {
    Atomics.store(this.state, IngestSlot.ingested, BigInt(seq));
  }

  /** The store's newest seq as last seen by an ingest. */
  get ingested(): number {
    return Number(Atomics.load(this.state, IngestSlot.ingested));
  }

  /** Stops the worker, waiting (blocking) for the round it is in to end. */
  stop(): void {
    Atomics.store(this.state, IngestSlot.stop, 1n);
    Atomics.notify(this.state, IngestSlot.stop);
    Atomics.wait(this.state, IngestSlot.stopped, 0n, STOP_TIMEOUT_MS);
    void this.worker.terminate();
  }
}

/**
 * The worker's script, next to this module (in the build, and in the packed CLI, which bundles
 * it); the journal's TypeScript sources, run by its tests, start the built one.
 */
function workerFile(): URL {
  const beside = new URL('./ingest-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../dist/ingest-worker.js', beside);
}
