import type { Readable, Writable } from 'node:stream';

/** Pieces smaller than this on average are copied into one buffer rather than written one by one. */
const SMALL_PIECE_BYTES = 4096;

/**
 * Collects the frames to forward from one input chunk. Adjacent frames of the same chunk are
 * merged back into one slice, so an unmodified stream is written with one call per chunk and
 * without copying. A chunk whose rows were masked is a run of small pieces (each rewritten row
 * between the slices around it): those are copied into one buffer and written once, as a write
 * per piece costs the stream far more than the copy.
 */
export class OutputBatch {
  private readonly pieces: Buffer[] = [];
  private piecesBytes = 0;
  private buffer: ArrayBufferLike | undefined;
  private start = 0;
  private end = 0;

  add(bytes: Buffer): void {
    if (bytes.buffer === this.buffer && bytes.byteOffset === this.end) {
      this.end += bytes.length;
      return;
    }
    this.closeRun();
    this.buffer = bytes.buffer;
    this.start = bytes.byteOffset;
    this.end = bytes.byteOffset + bytes.length;
  }

  get empty(): boolean {
    return this.buffer === undefined && this.pieces.length === 0;
  }

  /** Writes everything collected; returns false when the destination asks to slow down. */
  flushTo(destination: Writable): boolean {
    this.closeRun();
    if (this.pieces.length === 0) return true;
    let ok = true;
    if (this.pieces.length === 1) {
      ok = destination.write(this.pieces[0]);
    } else if (this.piecesBytes < SMALL_PIECE_BYTES * this.pieces.length) {
      ok = destination.write(Buffer.concat(this.pieces, this.piecesBytes));
    } else {
      destination.cork();
      for (const piece of this.pieces) ok = destination.write(piece);
      destination.uncork();
    }
    this.pieces.length = 0;
    this.piecesBytes = 0;
    return ok;
  }

  private closeRun(): void {
    if (this.buffer === undefined) return;
    this.pieces.push(Buffer.from(this.buffer, this.start, this.end - this.start));
    this.piecesBytes += this.end - this.start;
    this.buffer = undefined;
  }
}

/** Writes a batch; when the destination is full, its source pauses until the destination drains. */
export function flushWithBackPressure(batch: OutputBatch, destination: Writable, source: Readable): void {
  if (batch.empty || destination.destroyed) return;
  if (batch.flushTo(destination)) return;
  source.pause();
  destination.once('drain', () => {
    if (!source.destroyed) source.resume();
  });
}
