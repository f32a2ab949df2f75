import type { MessagePort } from 'node:worker_threads';
import type { AccountRequest } from './account-change.js';
import type { ChainLink } from './chain.js';
import type { JournalErrorCode } from './errors.js';
import type { StoreAddress } from './pg/connect.js';
import type { PurgeResult } from './purge.js';
import type { ReplicaOf } from './schema.js';
import type { SegmentTear } from './segments/segment-source.js';
import type { Account } from './types.js';

/** Slots of the memory the writer's thread and the store worker share (a BigInt64Array). */
export const StoreSlot = {
  /** The newest seq of this gateway's chain appended to the segment log. */
  published: 0,
  /** This gateway's newest seq in the shared store after the last ingest. */
  ingested: 1,
  /** Set by the writer: stop after the request under way. */
  stop: 2,
  /** Set by the worker once it has closed its connections. */
  stopped: 3,
  /** Counts the worker's replies; the writer waits on it for the reply to a request. */
  replies: 4,
  /** 1 while the store cannot be reached or refuses records. */
  failing: 5,
  /** This gateway's newest seq in the replica: what readers in this process see. */
  replicated: 6,
} as const;

export const STORE_SLOTS = 7;

export interface StoreWorkerData {
  readonly journalPath: string;
  readonly directory: string;
  readonly replica: ReplicaOf;
  readonly address: StoreAddress;
  readonly gatewayId: string;
  readonly shared: SharedArrayBuffer;
  /** The worker's end of the channel requests and replies go through. */
  readonly port: MessagePort;
}

export type StoreRequest =
  | { readonly id: number; readonly kind: 'open' }
  | { readonly id: number; readonly kind: 'sync'; readonly upTo: number }
  | { readonly id: number; readonly kind: 'account'; readonly upTo: number; readonly request: AccountRequest }
  | {
      readonly id: number;
      readonly kind: 'purge';
      readonly upTo: number;
      readonly cutoff: Date;
      readonly actor: string;
    }
  | { readonly id: number; readonly kind: 'close'; readonly upTo: number };

export interface StoreReply {
  readonly id: number;
  readonly error?: { readonly code: JournalErrorCode; readonly message: string };
  /** `open`: this gateway's newest record in the store and what recovery found in the segments. */
  readonly head?: ChainLink;
  readonly recovered?: number;
  readonly torn?: SegmentTear;
  /** `account`: the account after the change. */
  readonly account?: Account;
  /** `purge`: what it deleted. */
  readonly purge?: PurgeResult;
}
