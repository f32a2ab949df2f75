// How fast a gateway's records reach a shared store (journal.store), beside the SQLite journal
// of its own: appends as the gateway makes them (statements queued per event-loop turn, each with
// its outcome), then the time until the store holds them all (ingest) and until this gateway's
// replica does. Prints records per second; run after `pnpm build`.
//
//   node scripts/bench/store-ingest.mjs [records, default 200000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStore, Journal, migrateStore } from '../../packages/journal/dist/index.js';
import { scoped } from './lib/processes.mjs';
import { startPostgres } from './lib/servers.mjs';

const RECORDS = Number(process.argv[2] ?? 200_000);
const PER_TURN = 64;

const statement = (index) => ({
  sessionId: `s${index % 16}`,
  identity: 'ci-bot',
  groups: ['ci'],
  connection: 'orders',
  protocol: 'postgres',
  clientAddress: '127.0.0.1:50432',
  text: `SELECT id, email FROM users WHERE id = $1 /* ${index} */`,
  parameters: [String(index)],
  kind: 'select',
  tables: ['public.users'],
  decision: 'allowed',
  rule: null,
  reason: null,
  approver: null,
  maskedColumns: ['email'],
});

/** Appends RECORDS records (half statements, half outcomes) in turns of PER_TURN statements. */
async function appendAll(journal) {
  const started = performance.now();
  for (let index = 0; index < RECORDS / 2; ) {
    const handles = [];
    for (let count = 0; count < PER_TURN && index < RECORDS / 2; count++, index++) {
      handles.push(journal.queueStatement(statement(index)));
    }
    await new Promise((resolve) => journal.afterCommit(resolve));
    for (const handle of handles)
      journal.completeStatement(handle, { rows: 1, durationMs: 0.2, error: null });
  }
  journal.flush();
  return performance.now() - started;
}

async function until(condition) {
  const started = performance.now();
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  return performance.now() - started;
}

const rate = (count, ms) => `${Math.round((count / ms) * 1000).toLocaleString('en')} records/s`;

await scoped(async () => {
  const pg = await startPostgres();
  await pg.superSql("CREATE ROLE sluice_store LOGIN PASSWORD 'bench'");
  await pg.superSql('CREATE DATABASE sluice_store OWNER sluice_store');
  const address = {
    host: pg.host,
    port: pg.port,
    user: 'sluice_store',
    database: 'sluice_store',
    password: 'bench',
    sslMode: 'disable',
    sslRootCert: undefined,
  };
  const client = await connectStore(address, 'bench');
  await migrateStore(client);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-store-bench-'));
  try {
    for (const mode of ['sqlite', 'store']) {
      const journal = Journal.open(
        join(dir, `${mode}.db`),
        mode === 'store' ? { store: address, gatewayId: 'gw-bench' } : {},
      );
      const appendMs = await appendAll(journal);
      // Ingest ran alongside the appends; what is left is the lag behind them.
      const lagMs = await until(() => journal.writeState().unIngested === 0);
      const replicaStarted = performance.now();
      journal.verify();
      const verifyMs = performance.now() - replicaStarted;
      console.log(
        `${mode.padEnd(6)} appended ${RECORDS.toLocaleString('en')} in ${Math.round(appendMs)} ms (${rate(RECORDS, appendMs)}); ` +
          `in the store ${Math.round(lagMs)} ms after the last append (${rate(RECORDS, appendMs + lagMs)} overall); ` +
          `verify of the ${mode === 'store' ? 'replica' : 'file'} ${Math.round(verifyMs)} ms`,
      );
      journal.close();
    }
    // Read-your-writes: a read right after each append waits for the replica to hold it.
    const writer = Journal.open(join(dir, 'store.db'), { store: address, gatewayId: 'gw-bench' });
    const reads = 500;
    const readsStarted = performance.now();
    for (let index = 0; index < reads; index++) {
      writer.recordStatement(statement(index));
      writer.tail(1);
    }
    const perRead = (performance.now() - readsStarted) / reads;
    console.log(
      `an append then a read in the writing gateway: ${perRead.toFixed(2)} ms each (${reads} times)`,
    );
    writer.close();
    const pulledStarted = performance.now();
    const late = Journal.open(join(dir, 'late.db'), { store: address, gatewayId: 'gw-late' });
    const pulledMs = performance.now() - pulledStarted;
    console.log(
      `a new gateway's replica pulled ${RECORDS.toLocaleString('en')} records at open in ${Math.round(pulledMs)} ms (${rate(RECORDS, pulledMs)})`,
    );
    late.close();
  } finally {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
