import { unlinkSync } from 'node:fs';
import type { ChainLink } from './chain.js';
import { guarded } from './errors.js';
import type { Ingester } from './ingester.js';
import { listSegments } from './segments/segment-files.js';
import type { SegmentIngest } from './segments/segment-ingest.js';

/**
 * Where a journal of its own keeps its records: the SQLite file, filled by the ingest worker,
 * or by the writer's own thread when a reader must see everything at once.
 */
export class LocalIngest {
  constructor(
    private readonly ingest: SegmentIngest,
    private readonly ingester: Ingester,
    private readonly directory: string,
  ) {}

  get ingested(): number {
    return this.ingester.ingested;
  }

  get failure(): string | null {
    return this.ingester.failure;
  }

  published(seq: number): void {
    this.ingester.published(seq);
  }

  /** Brings the store up to `headSeq` on this thread: readers in this process then see everything. */
  catchUp(headSeq: number): void {
    if (this.ingester.ingested >= headSeq) return;
    const round = guarded('ingest the segment log', () => this.ingest.run(headSeq, 'live'));
    this.ingester.caughtUp(round.head.seq);
  }

  /** After a change written to the store directly: its newest record is the chain's head. */
  afterDirect(action: string): ChainLink {
    const head = guarded(action, () => this.ingest.head());
    this.ingester.published(head.seq);
    this.ingester.caughtUp(head.seq);
    return head;
  }

  /** Stops the worker and ingests everything; the segments go once the store holds all of them. */
  close(headSeq: number): void {
    this.ingester.stop();
    guarded('ingest the segment log', () => this.ingest.run(headSeq, 'live'));
    if (this.ingest.head().seq === headSeq) {
      for (const segment of listSegments(this.directory)) unlinkSync(segment.path);
    }
  }
}
