import type { ScratchPostgres } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreAddress, verifyStore } from '../src/index.js';
import { eventually, openJournal, sampleStatement, tempJournalPath } from './helpers.js';
import { onStore, pgCtl, startStore } from './store-helpers.js';

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
});
