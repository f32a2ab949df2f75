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

  it('sums the commands of a multi-statement simple query and completes it at ReadyForQuery', () => {
    const { t, completed, server } = tracker();
    const q = run(7);
    t.expect({ kind: 'query', run: q });
    server(complete('INSERT 0 3'));
    server(complete('UPDATE 2'));
    expect(completed).toEqual([]);
    server(ready('I'));
    expect(completed).toEqual([q]);
    expect(rowsOf(q)).toBe(5);
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

  it('completes whatever is in flight when the session is abandoned', () => {
    const { t, completed } = tracker();
    const r = run(4);
    t.expect({ kind: 'query', run: r });
    t.abandon('session ended: client disconnected');
    expect(completed).toEqual([r]);
    expect(r.error).toBe('session ended: client disconnected');
  });
});
