import { describe, expect, it } from 'vitest';
import { openJournal, sampleSession, sampleStatement } from './helpers.js';

describe('reading statements', () => {
  it('joins each statement with its outcome, in SPEC §7 field names', () => {
    const journal = openJournal();
    journal.startSession(sampleSession());
    const id = journal.recordStatement(sampleStatement({ rule: 'ci-may-read', reason: 'read only' }));
    journal.completeStatement(id, { rows: 3, durationMs: 1.25, error: null });

    const [record, ...rest] = [...journal.statements()];
    expect(rest).toEqual([]);
    expect(record).toEqual({
      id,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      session: 'session-1',
      identity: 'ci-bot',
      groups: ['ci'],
      connection: 'orders',
      protocol: 'postgres',
      client_address: '127.0.0.1:50432',
      statement: 'SELECT id, email FROM users WHERE id = $1',
      parameters: ['42'],
      kind: 'select',
      tables: ['public.users'],
      decision: 'allowed',
      rule: 'ci-may-read',
      reason: 'read only',
      approver: null,
      masked_columns: ['email'],
      rows: 3,
      duration_ms: 1.25,
      error: null,
      completed: true,
      hash: journal.tail(3)[1]?.hash,
    });
  });

  it('shows a statement without an outcome as not completed', () => {
    const journal = openJournal();
    const finished = journal.recordStatement(sampleStatement({ text: 'SELECT 1' }));
    const interrupted = journal.recordStatement(sampleStatement({ text: 'SELECT pg_sleep(60)' }));
    journal.completeStatement(finished, {
      rows: null,
      durationMs: 0.5,
      error: 'relation "t" does not exist',
    });

    const records = [...journal.statements()];
    expect(
      records.map((record) => [record.id, record.completed, record.rows, record.duration_ms, record.error]),
    ).toEqual([
      [finished, true, null, 0.5, 'relation "t" does not exist'],
      [interrupted, false, null, null, null],
    ]);
  });

  it('keeps the first outcome when a statement is completed twice', () => {
    const journal = openJournal();
    const id = journal.recordStatement(sampleStatement());
    journal.completeStatement(id, { rows: 1, durationMs: 1, error: null });
    journal.completeStatement(id, { rows: 2, durationMs: 2, error: null });
    expect([...journal.statements()].map((record) => record.rows)).toEqual([1]);
  });

  it('filters by identity, connection, decision and time, oldest first', async () => {
    const journal = openJournal();
    const first = journal.recordStatement(sampleStatement({ identity: 'ci-bot', connection: 'orders' }));
    const second = journal.recordStatement(
      sampleStatement({
        identity: 'etl',
        connection: 'billing',
        protocol: 'mysql',
        decision: 'blocked',
        rule: 'no-payroll',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date();
    const third = journal.recordStatement(
      sampleStatement({ identity: 'ci-bot', connection: 'billing', decision: 'denied' }),
    );
    const ids = (query: Parameters<typeof journal.statements>[0]) =>
      [...journal.statements(query)].map((record) => record.id);

    expect(ids({})).toEqual([first, second, third]);
    expect(ids({ identity: 'ci-bot' })).toEqual([first, third]);
    expect(ids({ connection: 'billing' })).toEqual([second, third]);
    expect(ids({ decision: 'blocked' })).toEqual([second]);
    expect(ids({ identity: 'ci-bot', connection: 'billing' })).toEqual([third]);
    expect(ids({ since })).toEqual([third]);
    expect(ids({ identity: 'nobody' })).toEqual([]);
    expect(ids({ identity: undefined, decision: undefined })).toEqual([first, second, third]);
  });

  it('leaves sessions and account events out of the statements', () => {
    const journal = openJournal();
    journal.startSession(sampleSession());
    journal.createAccount({ name: 'ci-bot', groups: [], expiresAt: null, verifiers: {} }, 'alice');
    const id = journal.recordStatement(sampleStatement());
    journal.endSession('session-1', 'client closed');
    expect([...journal.statements()].map((record) => record.id)).toEqual([id]);
  });

  it('lists the statements present when asked, while appends go on', () => {
    const journal = openJournal();
    for (let index = 0; index < 3; index += 1)
      journal.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
    const iterator = journal.statements();
    expect(iterator.next().value?.statement).toBe('SELECT 0');
    expect([...journal.statements()].map((record) => record.statement)).toEqual([
      'SELECT 0',
      'SELECT 1',
      'SELECT 2',
    ]);
    const appended = journal.recordStatement(sampleStatement({ text: 'SELECT 3' }));
    journal.completeStatement(appended, { rows: 1, durationMs: 1, error: null });
    expect([...iterator].map((record) => record.statement)).toEqual(['SELECT 1', 'SELECT 2']);
    expect([...journal.statements()]).toHaveLength(4);
  });

  it('reads a journal larger than one page completely and in order', () => {
    const journal = openJournal();
    const blocked: number[] = [];
    for (let index = 0; index < 2600; index += 1) {
      const decision = index % 3 === 0 ? 'blocked' : 'allowed';
      const id = journal.recordStatement(sampleStatement({ text: `SELECT ${index}`, decision }));
      if (decision === 'blocked') blocked.push(id);
      journal.completeStatement(id, { rows: index, durationMs: 1, error: null });
    }
    const all = [...journal.statements()];
    expect(all).toHaveLength(2600);
    expect(all.map((record) => record.rows)).toEqual(Array.from({ length: 2600 }, (_, index) => index));
    expect([...journal.statements({ decision: 'blocked' })].map((record) => record.id)).toEqual(blocked);
  });
});

describe('tail', () => {
  it('returns the newest records oldest first, with parsed payloads', () => {
    const journal = openJournal();
    journal.startSession(sampleSession());
    const id = journal.recordStatement(sampleStatement());
    journal.completeStatement(id, { rows: 1, durationMs: 1, error: null });
    journal.endSession('session-1', 'idle timeout');

    const tail = journal.tail(2);
    expect(tail.map((entry) => [entry.seq, entry.type, entry.ref])).toEqual([
      [3, 'statement_end', String(id)],
      [4, 'session_end', 'session-1'],
    ]);
    expect(tail[1]?.payload).toEqual({ reason: 'idle timeout' });
    expect(journal.tail(100)).toHaveLength(4);
    expect(journal.tail(0)).toEqual([]);
    expect(journal.tail(1)[0]?.payload).toEqual({ reason: 'idle timeout' });
    expect(journal.tail(4)[0]?.payload).toMatchObject({ identity: 'ci-bot', auth_method: 'scram-sha-256' });
  });
});
