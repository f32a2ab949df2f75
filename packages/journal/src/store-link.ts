import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { AccountRequest } from './account-change.js';
import type { ChainLink } from './chain.js';
import { JournalError } from './errors.js';
import type { StoreAddress } from './pg/connect.js';
import type { PurgeResult } from './purge.js';
import type { ReplicaOf } from './schema.js';
import type { SegmentTear } from './segments/segment-source.js';
import {
  STORE_SLOTS,
  type StoreReply,
  type StoreRequest,
  StoreSlot,
  type StoreWorkerData,
} from './store-state.js';
import type { Account } from './types.js';

/** How long opening waits for the worker to connect, take the gateway's lock and catch up. */
const OPEN_TIMEOUT_MS = 15_000;
/** How long a read waits for the replica to show this gateway's own records. */
const CATCH_UP_TIMEOUT_MS = 2000;
/** How long an account change or a purge waits for the store. */
const ACCOUNT_TIMEOUT_MS = 10_000;
/** How long closing waits for the last records to reach the store. */
const CLOSE_TIMEOUT_MS = 10_000;

type Request = StoreRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface StoreStart {
  readonly link: StoreLink;
  readonly head: ChainLink;
  readonly recovered: number;
  readonly torn: SegmentTear;
}

/**
 * The writer's side of the store worker (one per gateway in store mode). Appends reach the
 * worker through shared memory as in the SQLite mode; the few calls that must wait for the store
 * (opening, a read's catch-up, an account change, closing) are requests on a message channel,
 * answered while this thread blocks on the shared reply counter, so the journal's API stays synchronous.
 */
export class StoreLink {
  private readonly state = new BigInt64Array(new SharedArrayBuffer(STORE_SLOTS * 8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private nextId = 0;
  /** The worker's last failure, cleared when a later round succeeds. */
  failure: string | null = null;

  private constructor(
    journalPath: string,
    directory: string,
    replica: ReplicaOf,
    address: StoreAddress,
    gatewayId: string,
  ) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: StoreWorkerData = {
      journalPath,
      directory,
      replica,
      address,
      gatewayId,
      shared: this.state.buffer as SharedArrayBuffer,
      port: channel.port2,
    };
    this.worker = new Worker(workerFile(), { workerData: data, transferList: [channel.port2] });
    this.worker.on('message', (message: { error?: string; recovered?: boolean }) => {
      this.failure = message.error ?? null;
    });
    this.worker.on('error', (error) => {
      this.failure = `sluice: the journal's store worker stopped: ${error.message}`;
      Atomics.store(this.state, StoreSlot.failing, 1n);
    });
    this.worker.on('exit', () => Atomics.store(this.state, StoreSlot.stopped, 1n));
    this.worker.unref();
  }

  /**
   * Starts the worker and waits until it has connected, taken the gateway's lock on the store,
   * moved what the segment log held into the store and brought the replica up to date.
   */
  static start(
    journalPath: string,
    directory: string,
    replica: ReplicaOf,
    address: StoreAddress,
    gatewayId: string,
  ): StoreStart {
    const link = new StoreLink(journalPath, directory, replica, address, gatewayId);
    const reply = link.request({ kind: 'open' }, OPEN_TIMEOUT_MS);
    if (!reply || reply.error || !reply.head) {
      void link.worker.terminate();
      if (reply?.error) throw new JournalError(reply.error.code, reply.error.message);
      throw new JournalError(
        'unavailable',
        `sluice: the shared store at ${address.host}:${address.port}/${address.database} did not answer within ` +
          `${OPEN_TIMEOUT_MS / 1000} s: check journal.store and that the store is up`,
      );
    }
    Atomics.store(link.state, StoreSlot.ingested, BigInt(reply.head.seq));
    return { link, head: reply.head, recovered: reply.recovered ?? 0, torn: reply.torn ?? null };
  }

  published(seq: number): void {
    Atomics.store(this.state, StoreSlot.published, BigInt(seq));
  }

  /** This gateway's newest seq in the shared store. */
  get ingested(): number {
    return Number(Atomics.load(this.state, StoreSlot.ingested));
  }

  get failing(): boolean {
    return Atomics.load(this.state, StoreSlot.failing) !== 0n;
  }

  /**
   * Read-your-writes: waits (briefly) until the replica holds this gateway's records up to
   * `headSeq`. While the store fails, readers get the replica as it is, at once.
   */
  catchUp(headSeq: number): void {
    if (Number(Atomics.load(this.state, StoreSlot.replicated)) >= headSeq || this.failing) return;
    this.request({ kind: 'sync', upTo: headSeq }, CATCH_UP_TIMEOUT_MS);
  }

  /** An account change made in the store by the worker; returns the account and the chain's new head. */
  changeAccount(request: AccountRequest, headSeq: number): { account: Account; head: ChainLink } {
    if (this.failing) {
      throw new JournalError(
        'unavailable',
        'sluice: the shared store is unreachable; account changes wait until it is back',
      );
    }
    const reply = this.request({ kind: 'account', upTo: headSeq, request }, ACCOUNT_TIMEOUT_MS);
    if (reply?.error) throw new JournalError(reply.error.code, reply.error.message);
    if (!reply?.account || !reply.head) {
      throw new JournalError(
        'unavailable',
        'sluice: the shared store is unreachable; account changes wait until it is back',
      );
    }
    return { account: reply.account, head: reply.head };
  }

  /** Deletes this gateway's records older than `cutoff` from the store, journalling a checkpoint. */
  purge(cutoff: Date, actor: string, headSeq: number): { result: PurgeResult; head: ChainLink } {
    if (this.failing) {
      throw new JournalError(
        'unavailable',
        'sluice: the shared store is unreachable; purges wait until it is back',
      );
    }
    const reply = this.request({ kind: 'purge', upTo: headSeq, cutoff, actor }, ACCOUNT_TIMEOUT_MS);
    if (reply?.error) throw new JournalError(reply.error.code, reply.error.message);
    if (!reply?.purge || !reply.head) {
      throw new JournalError(
        'unavailable',
        'sluice: the shared store is unreachable; purges wait until it is back',
      );
    }
    return { result: reply.purge, head: reply.head };
  }

  /** Moves the last records into the store (if it can be reached) and stops the worker. */
  close(headSeq: number): void {
    if (Atomics.load(this.state, StoreSlot.stopped) === 0n) {
      this.request({ kind: 'close', upTo: headSeq }, CLOSE_TIMEOUT_MS);
    }
    void this.worker.terminate();
  }

  private request(request: Request, timeoutMs: number): StoreReply | null {
    const id = ++this.nextId;
    this.port.postMessage({ ...request, id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.state, StoreSlot.replies);
      for (
        let received = receiveMessageOnPort(this.port);
        received;
        received = receiveMessageOnPort(this.port)
      ) {
        const reply = received.message as StoreReply;
        if (reply.id === id) return reply;
      }
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.load(this.state, StoreSlot.stopped) !== 0n) return null;
      Atomics.wait(this.state, StoreSlot.replies, seen, Math.min(left, 100));
    }
  }
}

/** The worker's script beside this module (in the build and the packed CLI); sources run by tests start the built one. */
function workerFile(): URL {
  const beside = new URL('./store-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../dist/store-worker.js', beside);
}
