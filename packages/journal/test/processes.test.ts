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
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = await once(child, 'exit');
  return code as number | null;
}

describe('several processes on one journal file', () => {
  it('lets one process write at a time: a second is refused until the first ends, then continues its chain', async () => {
    expect(existsSync(BUILT_PACKAGE), 'the worker imports the built package: run the build first').toBe(true);
    const path = tempJournalPath();
    const first = startWorker(path, 'worker-a');
    const firstExit = exitCode(first);
    await once(first.stdout ?? first, 'data');

    const refused = startWorker(path, 'worker-b');
    let stderr = '';
    refused.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitCode(refused)).not.toBe(0);
    expect(stderr).toMatch(/sluice: the journal .* is written by another Sluice process \(pid \d+\)/);

    first.stdin?.write('go\n');
    expect(await firstExit).toBe(0);
    const second = startWorker(path, 'worker-b');
    const secondExit = exitCode(second);
    await once(second.stdout ?? second, 'data');
    second.stdin?.write('go\n');
    expect(await secondExit).toBe(0);

    const journal = openJournal(path, { readonly: true });
    expect(journal.verify()).toMatchObject({ ok: true, checked: 4 * PAIRS_PER_WORKER, problems: [] });
    const statements = [...journal.statements()];
    expect(statements.map((statement) => statement.session)).toEqual([
      ...Array(PAIRS_PER_WORKER).fill('worker-a'),
      ...Array(PAIRS_PER_WORKER).fill('worker-b'),
    ]);
    expect(statements.every((statement) => statement.completed)).toBe(true);
  });

  it("appends without waiting for another process that holds the store's write lock", async () => {
    const path = tempJournalPath();
    const journal = openJournal(path);
    const holder = spawn(process.execPath, [LOCK_HOLDER, path, '300'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = exitCode(holder);
    await once(holder.stdout ?? holder, 'data');
    const start = Date.now();
    expect(journal.recordStatement(sampleStatement())).toBe(1);
    expect(Date.now() - start).toBeLessThan(100);
    // The store takes the record once the other process lets go.
    journal.flush();
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    expect(await exit).toBe(0);
    expect(openJournal(path, { readonly: true }).verify()).toMatchObject({ ok: true, checked: 1 });
  });
});
