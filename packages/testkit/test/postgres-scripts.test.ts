import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/index.js';
import { listening, printedNames, runScript, sourced, tempDirs } from './support/scripts.js';

const tempDir = tempDirs('sluice-script-');

describe('scripts/start-postgres.sh', () => {
  it('prints only shell-sourceable PG* lines on stdout, in a directory it was given', async () => {
    const parent = tempDir();
    // Run as root, the server runs as postgres, which must be able to reach the directory.
    chmodSync(parent, 0o755);
    const dir = join(parent, 'server');
    const started = await runScript('start-postgres.sh', ['--dir', dir]);
    try {
      expect(started.status).toBe(0);
      expect(printedNames(started.stdout)).toEqual([
        'PGHOST',
        'PGPORT',
        'PGDIR',
        'PGSUPERUSER',
        'PGSUPERPASSWORD',
        'PGDATABASE',
        'PGAPPPASSWORD',
      ]);
      const values = sourced(started.stdout);
      expect(values.get('PGDIR')).toBe(dir);
      expect(values.get('PGHOST')).toBe('127.0.0.1');
      expect(values.get('PGAPPPASSWORD')).toBe('sluice-test-pw');
      expect(existsSync(join(dir, 'postgres.log'))).toBe(true);
      expect(started.stderr).toContain('ready on 127.0.0.1:');
    } finally {
      expect((await runScript('stop-postgres.sh', [dir])).status).toBe(0);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('uses the port it is told to', async () => {
    // A port found free can be taken by another test's socket before the server binds it;
    // only that collision earns another port.
    let port = await freePort();
    let started = await runScript('start-postgres.sh', ['--port', String(port)]);
    for (
      let attempt = 1;
      attempt < 3 && started.stderr.includes(`port ${port} is already in use`);
      attempt++
    ) {
      port = await freePort();
      started = await runScript('start-postgres.sh', ['--port', String(port)]);
    }
    const dir = sourced(started.stdout).get('PGDIR') ?? '';
    try {
      expect(started.status).toBe(0);
      expect(sourced(started.stdout).get('PGPORT')).toBe(String(port));
    } finally {
      await runScript('stop-postgres.sh', [dir]);
    }
  });

  it('fails with a one-line reason and the server log when its port is taken, leaving nothing behind', async () => {
    const blocker = await listening();
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await runScript('start-postgres.sh', ['--port', String(port)]);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`start-postgres: port ${port} is already in use`);
      expect(result.stderr).toContain('could not bind IPv4 address');
      const dir = /initdb in (\S+)\/data/.exec(result.stderr)?.[1] ?? '';
      expect(dir).not.toBe('');
      expect(existsSync(dir)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('refuses a directory that is not empty and leaves its files alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keep-me'), 'precious');
    const result = await runScript('start-postgres.sh', ['--dir', dir]);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe(`start-postgres: ${dir} is not empty; give an empty or new directory`);
    expect(existsSync(join(dir, 'keep-me'))).toBe(true);
  });

  it.runIf(process.getuid?.() === 0)(
    'says so when the postgres user cannot reach the directory',
    async () => {
      const dir = join(tempDir(), 'server');
      const result = await runScript('start-postgres.sh', ['--dir', dir]);
      expect(result.status).not.toBe(0);
      expect(result.stderr.trim()).toBe(
        `start-postgres: user postgres cannot write ${dir} (is a parent directory closed to it?)`,
      );
      expect(existsSync(dir)).toBe(false);
    },
  );

  it('rejects an argument it does not know', async () => {
    const result = await runScript('start-postgres.sh', ['--verbose']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown argument '--verbose'");
  });
});

describe('scripts/stop-postgres.sh', () => {
  it('succeeds for a directory that is already gone', async () => {
    const result = await runScript('stop-postgres.sh', [join(tempDir(), 'never-made')]);
    expect(result.status).toBe(0);
  });

  it('refuses to delete a directory that start-postgres.sh did not make', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'documents'));
    const result = await runScript('stop-postgres.sh', [dir]);
    expect(result.status).not.toBe(0);
    expect(existsSync(join(dir, 'documents'))).toBe(true);
  });
});
