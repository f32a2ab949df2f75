import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, MARIADB_CLIENT_PATH } from '../src/index.js';
import { listening, printedNames, runScript, sourced, tempDirs } from './support/scripts.js';

const tempDir = tempDirs('sluice-script-');
const runningAsRoot = process.getuid?.() === 0;

/** `SELECT CURRENT_USER()` as the app user of the server a start script described. */
function appUserLogin(values: Map<string, string>): Promise<string> {
  const args = ['--no-defaults', '-N', '-B', '--protocol=TCP'];
  args.push('-h', values.get('MYHOST') ?? '', '-P', values.get('MYPORT') ?? '');
  args.push('-u', values.get('MYAPPUSER') ?? '', `--password=${values.get('MYAPPPASSWORD')}`);
  args.push('-D', values.get('MYDATABASE') ?? '', '-e', 'SELECT CURRENT_USER()');
  return new Promise((resolve, reject) => {
    execFile(MARIADB_CLIENT_PATH ?? 'mariadb', args, (error, stdout, stderr) =>
      error ? reject(new Error(stderr)) : resolve(stdout.trim()),
    );
  });
}

describe('scripts/start-mariadb.sh', () => {
  it('prints only shell-sourceable MY* lines on stdout, in a directory it was given', async () => {
    const parent = tempDir();
    // Run as root, the server runs as mysql, which must be able to reach the directory.
    chmodSync(parent, 0o755);
    const dir = join(parent, 'server');
    const started = await runScript('start-mariadb.sh', ['--dir', dir]);
    try {
      expect(started.status).toBe(0);
      expect(printedNames(started.stdout)).toEqual([
        'MYHOST',
        'MYPORT',
        'MYDIR',
        'MYSUPERUSER',
        'MYSUPERPASSWORD',
        'MYDATABASE',
        'MYAPPUSER',
        'MYAPPPASSWORD',
      ]);
      const values = sourced(started.stdout);
      expect(values.get('MYDIR')).toBe(dir);
      expect(values.get('MYHOST')).toBe('127.0.0.1');
      expect(values.get('MYSUPERUSER')).toBe('root');
      expect(values.get('MYDATABASE')).toBe('app');
      expect(values.get('MYAPPUSER')).toBe('sluice_native');
      expect(values.get('MYAPPPASSWORD')).toBe('sluice-test-pw');
      expect(await appUserLogin(values)).toBe('sluice_native@%');
      expect(readFileSync(join(dir, 'mariadb.log'), 'utf8')).toContain('ready for connections');
      expect(started.stderr).toContain('ready on 127.0.0.1:');
    } finally {
      expect((await runScript('stop-mariadb.sh', [dir])).status).toBe(0);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('uses the port it is told to', async () => {
    // A port found free can be taken by another test's socket before the server binds it;
    // only that collision earns another port.
    let port = await freePort();
    let started = await runScript('start-mariadb.sh', ['--port', String(port)]);
    for (
      let attempt = 1;
      attempt < 3 && started.stderr.includes(`port ${port} is already in use`);
      attempt++
    ) {
      port = await freePort();
      started = await runScript('start-mariadb.sh', ['--port', String(port)]);
    }
    const dir = sourced(started.stdout).get('MYDIR') ?? '';
    try {
      expect(started.status).toBe(0);
      expect(sourced(started.stdout).get('MYPORT')).toBe(String(port));
    } finally {
      await runScript('stop-mariadb.sh', [dir]);
    }
  });

  it('fails with a one-line reason and the server log when its port is taken, leaving nothing behind', async () => {
    const blocker = await listening();
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await runScript('start-mariadb.sh', ['--port', String(port)]);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`start-mariadb: port ${port} is already in use`);
      expect(result.stderr).toContain('Address already in use');
      const dir = /mariadb-install-db in (\S+)\/data/.exec(result.stderr)?.[1] ?? '';
      expect(dir).not.toBe('');
      expect(existsSync(dir)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('refuses a directory that is not empty and leaves its files alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keep-me'), 'precious');
    const result = await runScript('start-mariadb.sh', ['--dir', dir]);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe(`start-mariadb: ${dir} is not empty; give an empty or new directory`);
    expect(existsSync(join(dir, 'keep-me'))).toBe(true);
  });

  it.runIf(runningAsRoot)('says so when the mysql user cannot reach the directory', async () => {
    const dir = join(tempDir(), 'server');
    const result = await runScript('start-mariadb.sh', ['--dir', dir]);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `start-mariadb: user mysql cannot write ${dir} (is a parent directory closed to it?)`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it.runIf(runningAsRoot)('starts and stops a server for a user who is not root', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const mysqlUid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }));
    chownSync(parent, mysqlUid, -1);
    const dir = join(parent, 'server');
    const started = await runScript('start-mariadb.sh', ['--dir', dir], 'mysql');
    try {
      expect(started.stderr).not.toContain('failed');
      expect(started.status).toBe(0);
      expect(await appUserLogin(sourced(started.stdout))).toBe('sluice_native@%');
    } finally {
      expect((await runScript('stop-mariadb.sh', [dir], 'mysql')).status).toBe(0);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects an argument it does not know', async () => {
    const result = await runScript('start-mariadb.sh', ['--verbose']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown argument '--verbose'");
  });
});

describe('scripts/stop-mariadb.sh', () => {
  it('succeeds for a directory that is already gone', async () => {
    const result = await runScript('stop-mariadb.sh', [join(tempDir(), 'never-made')]);
    expect(result.status).toBe(0);
  });

  it('refuses to delete a directory that start-mariadb.sh did not make', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'documents'));
    const result = await runScript('stop-mariadb.sh', [dir]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('does not look like a directory made by start-mariadb.sh');
    expect(existsSync(join(dir, 'documents'))).toBe(true);
  });

  it('does not signal a process that a stale pid file names, and still removes the directory', async () => {
    const dir = join(tempDir(), 'server');
    mkdirSync(join(dir, 'data'), { recursive: true });
    // This test runner is alive and is no MariaDB server: stopping must leave it alone.
    writeFileSync(join(dir, 'mariadb.pid'), `${process.pid}\n`);
    const result = await runScript('stop-mariadb.sh', [dir]);
    expect(result.status).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});
