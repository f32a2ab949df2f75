import type Database from 'better-sqlite3';
import { guarded } from './errors.js';
import { BUSY_TIMEOUT_MS } from './schema.js';

/** Between two tries for the write lock. */
const RETRY_MS = 0.2;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `write` (its own `BEGIN IMMEDIATE` transaction), trying for the write lock every
 * RETRY_MS for up to BUSY_TIMEOUT_MS. SQLite's own busy handler waits longer and longer between
 * tries, up to 100 ms, and a gateway that commits without pause holds the lock at nearly every
 * one of them: a CLI's account change then took a tenth of a second or more.
 */
export function writeSoon<T>(db: Database.Database, action: string, write: () => T): T {
  db.pragma('busy_timeout = 0');
  try {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      try {
        return guarded(action, write);
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        Atomics.wait(pause, 0, 0, RETRY_MS);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/** SQLite could not take a lock another connection holds (SQLITE_BUSY and its extended codes). */
function isBusy(error: unknown): boolean {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error && 'code' in cause && String(cause.code).startsWith('SQLITE_BUSY');
}
