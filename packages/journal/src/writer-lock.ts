import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JournalError } from './errors.js';

/**
 * One process writes a journal: it holds an exclusive SQLite lock on a small file beside the
 * journal for as long as it runs. The operating system drops the lock when the process ends,
 * even by `kill -9`, so a crashed gateway never leaves a stale lock behind.
 */
export class WriterLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock in `directory`, or throws JournalError 'locked' naming the process that has it. */
  static take(directory: string, journalPath: string): WriterLock {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const db = new Database(join(directory, 'writer.lock'));
    try {
      db.pragma('busy_timeout = 0');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      throw new JournalError(
        'locked',
        `sluice: the journal ${journalPath} is written by another Sluice process${holder(directory)}; ` +
          'one gateway writes a journal: stop it first, or change it through its admin API',
        { cause: error },
      );
    }
    writeFileSync(join(directory, 'writer.pid'), `${process.pid}\n`, { mode: 0o600 });
    return new WriterLock(db);
  }

  release(): void {
    if (!this.db.open) return;
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}

function holder(directory: string): string {
  try {
    const pid = readFileSync(join(directory, 'writer.pid'), 'utf8').trim();
    return /^\d+$/.test(pid) ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
