import { describe, expect, it } from 'vitest';
import { openJournal, sampleSession, sampleStatement } from './helpers.js';

describe('search', () => {
  function filled() {
    const journal = openJournal();
    journal.startSession(sampleSession());
    journal.recordStatement(sampleStatement({ text: 'SELECT 1' }));
    journal.recordStatement(
      sampleStatement({
        identity: 'etl',
        groups: ['etl'],
        text: 'DELETE FROM payroll',
        kind: 'delete',
        tables: ['payroll'],
        decision: 'blocked',
        rule: 'no-payroll',
      }),
    );
    journal.recordStatement(
      sampleStatement({ sessionId: 'session-2', connection: 'billing', text: 'SELECT 100%' }),
    );
    journal.recordSignInFailure({
      user: 'mallory',
      method: 'scram-sha-256',
      cause: 'unknown-user',
      reason: 'unknown user',
      clientAddress: '127.0.0.1:1',
      connection: 'orders',
      protocol: 'postgres',
      count: 1,
      firstAt: new Date().toISOString(),
      lastAt: new Date().toISOString(),
    });
    return journal;
  }

  it('narrows by each field and pages newest first', () => {
    const journal = filled();
    const seqs = (query: Parameters<typeof journal.records.search>[0]) =>
      journal.records.search(query).records.map((r) => r.seq);
    expect(seqs({})).toEqual([5, 4, 3, 2, 1]);
    expect(seqs({ identity: 'etl' })).toEqual([3]);
    expect(seqs({ decision: 'blocked' })).toEqual([3]);
    expect(seqs({ kind: 'select' })).toEqual([4, 2]);
    expect(seqs({ group: 'etl' })).toEqual([3]);
    expect(seqs({ table: 'payroll' })).toEqual([3]);
    expect(seqs({ connection: 'billing' })).toEqual([4]);
    expect(seqs({ session: 'session-2' })).toEqual([4]);
    expect(seqs({ text: '100%' })).toEqual([4]);
    expect(seqs({ text: 'payroll' })).toEqual([3]);
    expect(seqs({ type: 'sign_in_failed' })).toEqual([5]);
    expect(seqs({ from: new Date(Date.now() + 60_000) })).toEqual([]);
    const first = journal.records.search({ limit: 2 });
    expect(first.records.map((r) => r.seq)).toEqual([5, 4]);
    expect(first.next).toBe(4);
    const last = journal.records.search({ limit: 3, before: 2 });
    expect(last).toMatchObject({ records: [{ seq: 1 }], next: null });
  });

  it('refuses statement fields on other record types and bad limits', () => {
    const journal = filled();
    expect(() => journal.records.search({ type: 'session_start', decision: 'blocked' })).toThrow(
      /statement records/,
    );
    expect(() => journal.records.search({ limit: 0 })).toThrow(/limit/);
  });
});
