import { unlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { JournalError } from './errors.js';
import { ReplicaPull } from './pg/replica-pull.js';
import { changeStoreAccount } from './pg/store-accounts.js';
import { connectReader, connectWriter } from './pg/store-connections.js';
import { ingestIntoStore } from './pg/store-ingest.js';
import { purgeStoreChain } from './pg/store-purge.js';
import { openDatabase } from './schema.js';
import { listSegments } from './segments/segment-files.js';
import { SegmentSource } from './segments/segment-source.js';
import { type StoreReply, type StoreRequest, StoreSlot, type StoreWorkerData } from './store-state.js';

/** Between two looks at what the writer has appended. */
const POLL_MS = 20;
/** After a failed round, before the next try with a fresh connection. */
const RETRY_MS = 1000;
/** The replica pulls this often even without a notification (a safety net for a lost one). */
const PULL_MS = 500;
/** Accounts are copied this often even without a notification. */
const ACCOUNTS_MS = 5000;
/** How long opening pulls the replica before it reports the gateway open (within the writer's 15 s). */
const OPEN_PULL_MS = 8000;
/** How long one round pulls at most, so that a replica far behind does not hold up this gateway's own ingest. */
const ROUND_PULL_MS = 1000;

// The store worker: moves this gateway's records from the segment log into the shared
// PostgreSQL store and keeps the local SQLite file a replica of the store, on a thread of its
// own (node-postgres is asynchronous; the journal's readers and writer are not).
const data = workerData as StoreWorkerData;
const { address, gatewayId, port } = data;
const state = new BigInt64Array(data.shared);
const source = new SegmentSource(data.directory);
let db: Database.Database | null = null;
let replica: ReplicaPull | null = null;
let writer: pg.Client | null = null;
let reader: pg.Client | null = null;
let failure: string | null = null;
let pullWanted = false;
let accountsWanted = false;
let queue: Promise<unknown> = Promise.resolve();

/** Runs store work one piece at a time: the loop's rounds and the writer's requests share the connections. */
function serial<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

function reply(message: StoreReply): void {
  port.postMessage(message);
  Atomics.add(state, StoreSlot.replies, 1n);
  Atomics.notify(state, StoreSlot.replies);
}

/** Replies with a JournalError; any other failure is the store's, told in `unreachableMessage`. */
function replyError(id: number, error: unknown, unreachableMessage = unreachable(error)): void {
  const journalError =
    error instanceof JournalError ? error : new JournalError('unavailable', unreachableMessage);
  reply({ id, error: { code: journalError.code, message: journalError.message } });
}

function unreachable(error: unknown): string {
  return `sluice: the shared store at ${address.host}:${address.port}/${address.database} cannot be used (${describe(error)}); records wait in the segment log`;
}

function setFailure(error: unknown): void {
  const message = error instanceof JournalError ? error.message : unreachable(error);
  if (failure !== message) parentPort?.postMessage({ error: message });
  failure = message;
  Atomics.store(state, StoreSlot.failing, 1n);
  void dropConnections();
}

function clearFailure(): void {
  if (failure === null) return;
  failure = null;
  Atomics.store(state, StoreSlot.failing, 0n);
  parentPort?.postMessage({ recovered: true });
}

async function dropConnections(): Promise<void> {
  const clients = [writer, reader];
  writer = null;
  reader = null;
  await Promise.all(clients.map((client) => client?.end().catch(() => undefined)));
}

async function writerClient(): Promise<pg.Client> {
  if (writer) return writer;
  const client = await connectWriter(address, gatewayId);
  // Errors on an idle connection: the next round finds it gone and connects again.
  client.on('error', () => {
    if (writer === client) writer = null;
  });
  writer = client;
  return client;
}

async function readerClient(): Promise<pg.Client> {
  if (reader) return reader;
  const client = await connectReader(address, gatewayId, (note) => {
    pullWanted ||= note.records;
    accountsWanted ||= note.accounts;
  });
  client.on('error', () => {
    if (reader === client) reader = null;
  });
  reader = client;
  return client;
}

async function ingest(upTo: number, mode: 'live' | 'recover') {
  const round = await ingestIntoStore(await writerClient(), gatewayId, source, upTo, mode);
  Atomics.store(state, StoreSlot.ingested, BigInt(round.head.seq));
  return round;
}

async function pull(accounts: boolean, deadline?: number): Promise<void> {
  if (!replica) return;
  const client = await readerClient();
  pullWanted = false;
  if (accounts) {
    accountsWanted = false;
    await replica.copyAccounts(client);
  }
  if (await replica.pull(client, deadline)) pullWanted = true;
  Atomics.store(state, StoreSlot.replicated, BigInt(replica.ownHead));
}

async function open(): Promise<StoreReply & { id: number }> {
  db = openDatabase(data.journalPath, false, data.replica);
  replica = new ReplicaPull(db, gatewayId);
  const round = await ingest(Number.MAX_SAFE_INTEGER, 'recover');
  // Everything whole is in the store now; a torn tail must not be appended after.
  for (const segment of listSegments(data.directory)) unlinkSync(segment.path);
  Atomics.store(state, StoreSlot.published, BigInt(round.head.seq));
  // A gateway joining a large store does not wait for all of it: the loop pulls the rest.
  await pull(true, Date.now() + OPEN_PULL_MS);
  return { id: 0, head: round.head, recovered: round.ingested, torn: round.torn };
}

async function handle(request: StoreRequest): Promise<void> {
  switch (request.kind) {
    case 'open':
      try {
        reply({ ...(await serial(open)), id: request.id });
        void loop();
      } catch (error) {
        replyError(request.id, error);
        await stop();
      }
      return;
    case 'sync':
      await serial(async () => {
        try {
          if (request.upTo > Number(Atomics.load(state, StoreSlot.ingested)))
            await ingest(request.upTo, 'live');
          await pull(false, Date.now() + ROUND_PULL_MS);
          clearFailure();
        } catch (error) {
          setFailure(error);
        }
      });
      reply({ id: request.id });
      return;
    case 'account':
      await serial(async () => {
        try {
          const client = await writerClient();
          const change = await changeStoreAccount(client, gatewayId, source, request.upTo, request.request);
          Atomics.store(state, StoreSlot.ingested, BigInt(change.head.seq));
          Atomics.store(state, StoreSlot.published, BigInt(change.head.seq));
          await pull(true).catch(() => undefined);
          reply({ id: request.id, account: change.account, head: change.head });
        } catch (error) {
          if (!(error instanceof JournalError)) setFailure(error);
          replyError(
            request.id,
            error,
            'sluice: the shared store is unreachable; account changes wait until it is back',
          );
        }
      });
      return;
    case 'purge':
      await serial(async () => {
        try {
          const client = await writerClient();
          const purge = await purgeStoreChain(
            client,
            gatewayId,
            source,
            request.upTo,
            request.cutoff,
            request.actor,
          );
          Atomics.store(state, StoreSlot.ingested, BigInt(purge.head.seq));
          Atomics.store(state, StoreSlot.published, BigInt(purge.head.seq));
          await pull(false).catch(() => undefined);
          reply({ id: request.id, purge: purge.result, head: purge.head });
        } catch (error) {
          if (!(error instanceof JournalError)) setFailure(error);
          replyError(
            request.id,
            error,
            'sluice: the shared store is unreachable; purges wait until it is back',
          );
        }
      });
      return;
    case 'close':
      Atomics.store(state, StoreSlot.stop, 1n);
      await serial(async () => {
        try {
          await ingest(request.upTo, 'live');
          if (Number(Atomics.load(state, StoreSlot.ingested)) >= request.upTo) {
            for (const segment of listSegments(data.directory)) unlinkSync(segment.path);
          }
        } catch {
          // The segments stay: the next start ingests them.
        }
      });
      await dropConnections();
      db?.close();
      db = null;
      reply({ id: request.id });
      await stop();
      return;
  }
}

async function loop(): Promise<void> {
  let lastPull = 0;
  let lastAccounts = Date.now();
  while (Atomics.load(state, StoreSlot.stop) === 0n) {
    let pause = POLL_MS;
    const now = Date.now();
    const published = Number(Atomics.load(state, StoreSlot.published));
    const ingestDue = published > Number(Atomics.load(state, StoreSlot.ingested));
    const pullDue = pullWanted || now - lastPull >= PULL_MS || ingestDue;
    const accountsDue = accountsWanted || now - lastAccounts >= ACCOUNTS_MS;
    if (ingestDue || pullDue || accountsDue || failure !== null) {
      await serial(async () => {
        if (Atomics.load(state, StoreSlot.stop) !== 0n) return;
        try {
          if (ingestDue || failure !== null) await ingest(published, 'live');
          if (pullDue || accountsDue || failure !== null) {
            await pull(accountsDue, Date.now() + ROUND_PULL_MS);
          }
          clearFailure();
        } catch (error) {
          setFailure(error);
          pause = RETRY_MS;
        }
      });
      if (pullDue) lastPull = now;
      if (accountsDue) lastAccounts = now;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function stop(): Promise<void> {
  await dropConnections();
  db?.close();
  db = null;
  Atomics.store(state, StoreSlot.stopped, 1n);
  Atomics.notify(state, StoreSlot.stopped);
}

port.on('message', (request: StoreRequest) => void handle(request));

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
