import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openJournal, sampleStatement, tempJournalPath } from './helpers.js';

const WORKER = fileURLToPath(new URL('./fixtures/append-worker.mjs', import.meta.url));
const LOCK_HOLDER = fileURLToPath(new URL('./fixtures/hold-write-lock.mjs', import.meta.url));
const BUILT_PACKAGE = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PAIRS_PER_WORKER = 200;

function startWorker(path: string, sessionId: string): ChildProcess {
  return spawn(process.execPath, [WORKER, path, sessionId, String(PAIRS_PER_WORKER)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = await once(child, 'exit');
  return code as number | null;
}

describe('several processes on one journal file', () => {
  it('appending at the same time, two processes keep a single valid chain', async () => {
    expect(existsSync(BUILT_PACKAGE), 'the worker imports the built package: run the build first').toBe(true);
    const path = tempJournalPath();
    openJournal(path);
    const workers = [startWorker(path, 'worker-a'), startWorker(path, 'worker-b')];
    const exits = workers.map(exitCode);
    await Promise.all(workers.map((worker) => once(worker.stdout ?? worker, 'data')));
    for (const worker of workers) worker.stdin?.write('go\n');
    expect(await Promise.all(exits)).toEqual([0, 0]);

    const journal = openJournal(path, { readonly: true });
    expect(journal.verify()).toMatchObject({ ok: true, checked: 4 * PAIRS_PER_WORKER, problems: [] });
    const statements = [...journal.statements()];
    expect(statements).toHaveLength(2 * PAIRS_PER_WORKER);
    expect(statements.every((statement) => statement.completed)).toBe(true);
    const switches = statements.filter(
      (statement, index) => index > 0 && statements[index - 1]?.session !== statement.session,
    );
    // The workers' appends really were interleaved, not one process after the other.
    expect(switches.length).toBeGreaterThan(10);
  });

  it('waits for another process that holds the write lock instead of failing', async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const holder = spawn(process.execPath, [LOCK_HOLDER, path, '300'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = exitCode(holder);
    await once(holder.stdout ?? holder, 'data');
    const start = Date.now();
    expect(journal.recordStatement(sampleStatement())).toBe(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    expect(await exit).toBe(0);
    expect(journal.verify()).toMatchObject({ ok: true, checked: 1 });
  });
});
