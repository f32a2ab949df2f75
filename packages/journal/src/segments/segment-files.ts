import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SEGMENT_NAME = /^(\d{16})\.seg$/;

/** A segment file, named after the seq of its first record. */
export interface SegmentFile {
  readonly firstSeq: number;
  readonly path: string;
}

/** The folder beside a journal file that holds its segment log and its writer's lock. */
export function segmentDirectory(journalPath: string): string {
  return `${journalPath}.segments`;
}

export function segmentPath(directory: string, firstSeq: number): string {
  return join(directory, `${String(firstSeq).padStart(16, '0')}.seg`);
}

/** The segments in a folder, oldest first; none when the folder does not exist. */
export function listSegments(directory: string): SegmentFile[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const segments: SegmentFile[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match?.[1]) segments.push({ firstSeq: Number(match[1]), path: join(directory, name) });
  }
  return segments.sort((a, b) => a.firstSeq - b.firstSeq);
}
