import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, statfsSync, writeSync } from 'node:fs';
import { JournalError } from '../errors.js';
import { segmentPath } from './segment-files.js';

/** `none`: survives a crash of the process; `always`: fdatasync per append, survives power loss. */
export type JournalSync = 'none' | 'always';

/** Segments roll at this size unless the journal is opened with another. */
export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

/** The free space is looked up again after this long, or after this many bytes appended. */
const FREE_SPACE_CHECK_MS = 1000;
const FREE_SPACE_CHECK_BYTES = 1024 * 1024;

/**
 * Appends encoded records to the active segment file with one write per append, on a
 * descriptor held open; a new segment starts once the active one reaches its size limit.
 * A failed write is cut back off the file, so a later append never follows a partial record.
 */
export class SegmentWriter {
  private file: number | null = null;
  private size = 0;
  private freeCheckedAt = 0;
  private appendedSinceCheck = 0;
  private belowFloor: JournalError | null = null;

  /** `minFreeBytes`: appends are refused while the disk has less free space (0: no floor). */
  constructor(
    private readonly directory: string,
    private readonly sync: JournalSync,
    private readonly maxBytes: number,
    private readonly minFreeBytes = 0,
  ) {}

  /**
   * Appends the records `firstSeq`…; throws (having written nothing) if the file cannot take
   * them, or if they hold statements (`statements`) and the disk is below its floor.
   */
  append(bytes: Buffer, firstSeq: number, statements = true): void {
    if (statements) this.checkFreeSpace(bytes.length);
    if (this.file === null || this.size >= this.maxBytes) this.roll(firstSeq);
    const file = this.file as number;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(file, bytes, written);
      if (this.sync === 'always') fdatasyncSync(file);
    } catch (error) {
      this.cutBack(file);
      throw error;
    }
    this.size += bytes.length;
  }

  close(): void {
    if (this.file === null) return;
    const file = this.file;
    this.file = null;
    closeSync(file);
  }

  /**
   * Refuses new statements before the disk fills, while there is still room for the records of
   * statements already running, of sessions ending, and for the store they are ingested into.
   */
  private checkFreeSpace(bytes: number): void {
    if (this.minFreeBytes === 0) return;
    this.appendedSinceCheck += bytes;
    const now = Date.now();
    if (now - this.freeCheckedAt < FREE_SPACE_CHECK_MS && this.appendedSinceCheck < FREE_SPACE_CHECK_BYTES) {
      if (this.belowFloor === null) return;
      throw this.belowFloor;
    }
    this.freeCheckedAt = now;
    this.appendedSinceCheck = 0;
    const disk = statfsSync(this.directory);
    const free = disk.bavail * disk.bsize;
    this.belowFloor =
      free < this.minFreeBytes
        ? new JournalError(
            'disk-full',
            `the disk holding the journal has ${megabytes(free)} free, below journal.min_free_space (${megabytes(this.minFreeBytes)})`,
          )
        : null;
    if (this.belowFloor) throw this.belowFloor;
  }

  private roll(firstSeq: number): void {
    this.close();
    this.file = openSync(segmentPath(this.directory, firstSeq), 'a', 0o600);
    this.size = 0;
    if (this.sync === 'always') this.syncDirectory();
  }

  /** A write that failed may have left part of a record: cut it off, or start a new segment next time. */
  private cutBack(file: number): void {
    try {
      ftruncateSync(file, this.size);
    } catch {
      this.close();
    }
  }

  /** A new file survives power loss only once its folder entry is on disk. */
  private syncDirectory(): void {
    const directory = openSync(this.directory, 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}
