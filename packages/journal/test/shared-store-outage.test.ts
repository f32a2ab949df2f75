import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ScratchPostgres } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreAddress, verifyStore } from '../src/index.js';
import { eventually, openJournal, sampleStatement, tempJournalPath } from './helpers.js';
import { onStore, pgCtl, startStore } from './store-helpers.js';

const APPENDER = fileURLToPath(new URL('./fixtures/append-forever.mjs', import.meta.url));

let server: ScratchPostgres;
let address: StoreAddress;

beforeAll(async () => {
  ({ server, address } = await startStore());
});

afterAll(async () => {
  await server?.stop();
});

describe('a gateway of a shared store while the store is down', () => {
  it('keeps appending to the segment log, reports the failure, and catches up once the store is back', async () => {
    const journal = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-a' });
    for (let index = 0; index < 100; index++)
      journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
    journal.flush();
    expect(journal.writeState()).toMatchObject({ unIngested: 0, ingestFailure: null });

    pgCtl(server, 'stop');
    try {
      for (let index = 100; index < 1100; index++) {
        journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
      }
      await eventually(() => journal.writeState().ingestFailure !== null, 'the failure is reported', 5000);
      expect(journal.writeState().ingestFailure).toMatch(/^sluice: the shared store at .* cannot be used/);
      expect(journal.writeState().unIngested).toBe(1000);
      // Reads do not wait for a store that is down: they see the replica as it was.
      const started = Date.now();
      expect([...journal.statements()]).toHaveLength(100);
      expect(Date.now() - started).toBeLessThan(500);
      expect(() =>
        journal.createAccount({ name: 'etl', groups: [], expiresAt: null, verifiers: {} }, 'admin'),
      ).toThrow('sluice: the shared store is unreachable; account changes wait until it is back');
    } finally {
      pgCtl(server, 'start');
    }

    await eventually(() => journal.writeState().unIngested === 0, 'the store catches up', 10_000);
    await eventually(() => journal.writeState().ingestFailure === null, 'the failure clears', 5000);
    expect([...journal.statements()].map((statement) => statement.statement)).toEqual(
      Array.from({ length: 1100 }, (_, index) => `SELECT ${index}`),
    );
    const counts = await onStore(address, (client) =>
      client.query<{ rows: string; seqs: string; last: string }>(
        "SELECT count(*) AS rows, count(DISTINCT seq) AS seqs, max(seq) AS last FROM records WHERE gateway = 'gw-a'",
      ),
    );
    expect(counts.rows[0]).toEqual({ rows: '1100', seqs: '1100', last: '1100' });
    expect(journal.verify()).toMatchObject({ ok: true, checked: 1100 });
    expect(await verifyStore(address)).toMatchObject({ ok: true, checked: 1100 });
  });

  it('after kill -9 of a gateway whose store was down, has every statement it forwarded in the store, once', async () => {
    const path = tempJournalPath();
    const shared = JSON.stringify({ store: address, gatewayId: 'gw-crash' });
    const child: ChildProcess = spawn(process.execPath, [APPENDER, path, String(1 << 16), shared], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const forwarded: number[] = [];
    let buffered = '';
    let stopped = false;
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the appender exited with ${code}`)));
        child.stdout?.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) if (/^\d+$/.test(line)) forwarded.push(Number(line));
          if (!stopped && forwarded.length >= 500) {
            stopped = true;
            pgCtl(server, 'stop');
          }
          if (forwarded.length >= 20_000) resolve();
        });
      });
      child.removeAllListeners('exit');
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    } finally {
      if (stopped) pgCtl(server, 'start');
    }
    const journal = openJournal(path, { store: address, gatewayId: 'gw-crash' });
    expect(journal.recovery?.records).toBeGreaterThan(10_000);
    const seqs = await onStore(address, async (client) => {
      const found = await client.query<{ seq: string }>(
        "SELECT seq FROM records WHERE gateway = 'gw-crash' AND type = 'statement' ORDER BY seq",
      );
      return found.rows.map((row) => Number(row.seq));
    });
    expect(new Set(seqs).size).toBe(seqs.length);
    const stored = new Set(seqs);
    expect(forwarded.filter((seq) => !stored.has(seq))).toEqual([]);
    expect((await verifyStore(address)).ok).toBe(true);
    expect(journal.verify().ok).toBe(true);
  });
});
