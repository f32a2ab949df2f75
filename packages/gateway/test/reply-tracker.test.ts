import { backend } from '@sluice/wire-postgres';
import { describe, expect, it } from 'vitest';
import { ReplyTracker, rowsOf, type StatementRun } from '../src/postgres/reply-tracker.js';

function run(id: number): StatementRun {
  return { id, startedAt: 0n, dataRows: 0, taggedRows: null, error: null };
}

function tracker() {
  const completed: StatementRun[] = [];
  const statuses: string[] = [];
  const t = new ReplyTracker({ complete: (r) => completed.push(r), ready: (s) => statuses.push(s) });
  const server = (frame: Buffer): void => t.onServerFrame(frame[0] ?? 0, frame);
  return { t, completed, statuses, server };
}

const parseComplete = backend.ParseComplete.encode({ kind: 'parse-complete' });
const bindComplete = backend.BindComplete.encode({ kind: 'bind-complete' });
const dataRow = backend.DataRow.encode({ kind: 'data-row', values: [Buffer.from('1')] });
const complete = (tag: string): Buffer => backend.CommandComplete.encode({ kind: 'command-complete', tag });
const ready = (status: 'I' | 'T' | 'E'): Buffer =>
  backend.ReadyForQuery.encode({ kind: 'ready-for-query', status });
const error = (message: string): Buffer =>
  backend.ErrorResponse.encode({
    kind: 'error-response',
    fields: new Map([
      ['S', 'ERROR'],
      ['C', '22012'],
      ['M', message],
    ]),
  });

describe('ReplyTracker', () => {
  it('attributes rows and errors of a pipeline to each Execute, and skips what follows an error', () => {
    const { t, completed, statuses, server } = tracker();
    const [a, b, c] = [run(1), run(2), run(3)];
    t.expect({ kind: 'parse' });
    t.expect({ kind: 'bind' });
    t.expect({ kind: 'execute', run: a, portal: '' });
    t.expect({ kind: 'bind' });
    t.expect({ kind: 'execute', run: b, portal: '' });
    t.expect({ kind: 'bind' });
    t.expect({ kind: 'execute', run: c, portal: '' });
    t.expect({ kind: 'sync' });
    for (const frame of [
      parseComplete,
      bindComplete,
      dataRow,
      dataRow,
      complete('SELECT 2'),
      bindComplete,
      error('division by zero'),
      ready('I'),
    ]) {
      server(frame);
    }
    expect(completed.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rowsOf(a)).toBe(2);
    expect(b.error).toBe('division by zero');
    expect(c.error).toMatch(/^not executed/);
    expect(statuses).toEqual(['I']);
    expect(t.idle).toBe(true);
  });

  it('completes each statement of a multi-statement query at its own CommandComplete or error', () => {
    const { t, completed, server } = tracker();
    const [insert, update, select] = [run(7), run(8), run(9)];
    t.expect({ kind: 'query', runs: [insert, update, select], current: 0 });
    server(complete('INSERT 0 3'));
    server(complete('UPDATE 2'));
    expect(completed).toEqual([insert, update]);
    server(error('division by zero'));
    server(ready('I'));
    expect(completed).toEqual([insert, update, select]);
    expect([rowsOf(insert), rowsOf(update)]).toEqual([3, 2]);
    expect(select.error).toBe('division by zero');
  });

  it('keeps one run across Executes of a suspended portal', () => {
    const { t, completed, server } = tracker();
    const r = run(9);
    t.expect({ kind: 'execute', run: r, portal: 'c1' });
    server(dataRow);
    server(backend.PortalSuspended.encode({ kind: 'portal-suspended' }));
    expect(completed).toEqual([]);
    const resumed = t.takeSuspended('c1');
    expect(resumed).toBe(r);
    t.expect({ kind: 'execute', run: r, portal: 'c1' });
    server(dataRow);
    server(complete('SELECT 2'));
    expect(completed).toEqual([r]);
  });

  it('replaces the error of a blocked statement in a pipeline, drops its completions and lets the Sync answer', () => {
    const { t, statuses } = tracker();
    const sluiceError = error('sluice: blocked by guardrail:ddl: DROP TABLE is not allowed');
    t.expect({ kind: 'blocked', error: sluiceError, extended: true });
    t.expect({ kind: 'sync' });
    expect(t.onServerFrame(0x31, parseComplete)).toBeNull();
    expect(t.onServerFrame(0x32, bindComplete)).toBeNull();
    expect(t.onServerFrame(0x45, error('sluice: blocked'))).toBe(sluiceError);
    const z = ready('E');
    expect(t.onServerFrame(0x5a, z)).toBeUndefined();
    expect(statuses).toEqual(['E']);
    expect(t.idle).toBe(true);
  });

  it('lets a blocked statement go unanswered when an earlier error of the pipeline made the server skip it', () => {
    const { t, completed, server } = tracker();
    const r = run(5);
    t.expect({ kind: 'execute', run: r, portal: '' });
    t.expect({ kind: 'blocked', error: error('sluice: blocked by guardrail:ddl: no'), extended: true });
    t.expect({ kind: 'sync' });
    server(error('division by zero'));
    expect(completed).toEqual([r]);
    expect(t.onServerFrame(0x5a, ready('I'))).toBeUndefined();
    expect(t.idle).toBe(true);
  });

  it('swallows the reply to a Close of its own before a name is reused', () => {
    const { t } = tracker();
    t.expect({ kind: 'close', hidden: true });
    t.expect({ kind: 'parse' });
    const closeComplete = backend.CloseComplete.encode({ kind: 'close-complete' });
    expect(t.onServerFrame(0x33, closeComplete)).toBeNull();
    expect(t.onServerFrame(0x31, parseComplete)).toBeUndefined();
    expect(t.idle).toBe(true);
  });

  it('completes whatever is in flight when the session is abandoned', () => {
    const { t, completed } = tracker();
    const r = run(4);
    t.expect({ kind: 'query', runs: [r], current: 0 });
    t.abandon('session ended: client disconnected');
    expect(completed).toEqual([r]);
    expect(r.error).toBe('session ended: client disconnected');
  });
});
