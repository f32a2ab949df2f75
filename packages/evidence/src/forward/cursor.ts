import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Where a destination's position is kept: beside the journal, one file per URL. */
export function cursorPath(journalPath: string, url: string): string {
  return `${journalPath}.forward-${createHash('sha256').update(url).digest('hex').slice(0, 12)}.cursor`;
}

/** The seq of the last record the destination acknowledged; 0 before the first. */
export function readCursor(path: string): number {
  if (!existsSync(path)) return 0;
  const seq = Number.parseInt(readFileSync(path, 'utf8'), 10);
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : 0;
}

/** Written to a temporary file and renamed over the old one, so a crash leaves one or the other. */
export function writeCursor(path: string, seq: number): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${seq}\n`);
  renameSync(temporary, path);
}
