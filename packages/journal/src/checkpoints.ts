import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Records appended between two checkpoints: about what SQLite's default of 1,000 WAL pages holds. */
const RECORDS_PER_CHECKPOINT = 8192;
/**
 * Commits between two checkpoints. Each small commit appends a page or two to the WAL, and a
 * commit costs more the longer the WAL it appends to (about a third more at 4,000 commits than
 * at 500): a busy gateway's one-statement commits would reach 8,192 records only after that.
 */
const COMMITS_PER_CHECKPOINT = 500;
/** Past this many WAL pages SQLite checkpoints on the writer's thread: when the worker falls behind. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 16_000;
/** SQLite's own default, for a journal whose worker cannot run. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** WAL pages the writer's thread may be left to copy itself. */
const SMALL_REMAINDER_PAGES = 64;
const MAX_WORKER_ROUNDS = 8;

// Its own connection copies the WAL into the database file — reads, writes and fsyncs that
// would otherwise stall the writer's event loop for tens of milliseconds every few thousand
// records. PASSIVE never waits for another connection. A string, so that the journal's
// TypeScript sources (in tests) and its build start the same code.
const WORKER_SOURCE = `
const { closeSync, fsyncSync, openSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // Each round copies what was appended during the one before, so the rounds get shorter
    // until what is left for the writer's thread is small.
    let copiedBefore = 0;
    for (let round = 0; round < ${MAX_WORKER_ROUNDS}; round++) {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      const copied = result.checkpointed - copiedBefore;
      copiedBefore = result.checkpointed;
      if (result.busy !== 0 || (round > 0 && copied <= ${SMALL_REMAINDER_PAGES})) break;
    }
    // SQLite syncs the database file only when a checkpoint reaches the end of the WAL, which
    // here the writer's last small one does: flushing the copied pages now leaves it little.
    const file = openSync(workerData.path, 'r');
    try {
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
  } catch {
    // Failing: the next round tries again, and SQLite's fallback still bounds the WAL.
  }
  parentPort.postMessage('done');
});
`;

/**
 * Checkpoints of a writing journal, on a worker thread. The worker copies what the WAL held
 * when it started; the few pages appended meanwhile are then copied on the writer's own
 * connection, which leaves the WAL fully copied so that the next commit starts it over instead
 * of growing it.
 */
export class Checkpoints {
  private worker: Worker | null = null;
  private unavailable = false;
  private running = false;
  private appended = 0;
  private commits = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  }

  /** A transaction with `records` records committed. */
  committed(records: number): void {
    this.appended += records;
    this.commits += 1;
    if (this.running || this.unavailable) return;
    if (this.appended < RECORDS_PER_CHECKPOINT && this.commits < COMMITS_PER_CHECKPOINT) return;
    const worker = this.worker ?? this.start();
    if (!worker) return;
    this.running = true;
    this.appended = 0;
    this.commits = 0;
    worker.postMessage('checkpoint');
  }

  /** The worker finishes a checkpoint it is in, closes its connection and ends. */
  close(): void {
    this.unavailable = true;
    this.worker?.postMessage('close');
    this.worker = null;
  }

  private start(): Worker | null {
    try {
      // The worker loads the same better-sqlite3 as this module (and, bundled, as the bundle).
      const driver = fileURLToPath(import.meta.resolve('better-sqlite3'));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: this.path, driver } });
      // A journal left open must not keep the process alive.
      worker.unref();
      worker.on('message', () => this.finished());
      worker.on('error', () => this.fallBack());
      worker.on('exit', () => this.fallBack());
      this.worker = worker;
      return worker;
    } catch {
      this.fallBack();
      return null;
    }
  }

  private finished(): void {
    this.running = false;
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failing: the next round tries again.
    }
  }

  private fallBack(): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.running = false;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}
