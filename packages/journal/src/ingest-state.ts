/** Slots of the memory the writer's thread and the ingest worker share (a BigInt64Array). */
export const IngestSlot = {
  /** The newest seq the writer has appended to the segment log. */
  published: 0,
  /** The store's newest seq after the last ingest. */
  ingested: 1,
  /** Set by the writer: finish the round under way and stop. */
  stop: 2,
  /** Set by the worker once its store connection is closed. */
  stopped: 3,
} as const;

export const INGEST_SLOTS = 4;

export interface IngestWorkerData {
  readonly journalPath: string;
  readonly directory: string;
  readonly shared: SharedArrayBuffer;
}
