import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchPostgres, startPostgres, TestkitError } from '../src/index.js';
import { listenOn } from './support/scripts.js';

let pg: ScratchPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(() => pg?.stop());

interface PsqlResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** The psql CLI as a user would run it, with only PGPASSWORD in its environment. */
function psqlCli(user: string, password: string | undefined, sql: string): Promise<PsqlResult> {
  const args = [
    '-X',
    '-A',
    '-t',
    '-h',
    pg.host,
    '-p',
    String(pg.port),
    '-U',
    user,
    '-d',
    pg.database,
    '-c',
    sql,
  ];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '5' };
  if (password !== undefined) env.PGPASSWORD = password;
  return new Promise((resolve) => {
    execFile('/usr/bin/psql', args, { env }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: stdout.trim(), stderr });
    });
  });
}

function authenticationLogLines(): string[] {
  return readFileSync(join(pg.dir, 'postgres.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('connection authenticated'));
}

describe('startPostgres', () => {
  it('answers the superuser over TCP, in the app database', async () => {
    expect(await pg.psql('SELECT current_user, current_database()')).toBe(`postgres|${pg.database}`);
    expect(pg.host).toBe('127.0.0.1');
    expect(pg.database).toBe('app');
    expect(pg.superuser.password).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rejects with the server error when SQL fails', async () => {
    const failure = pg.psql('SELECT * FROM no_such_table');
    await expect(failure).rejects.toBeInstanceOf(TestkitError);
    await expect(failure).rejects.toThrow(/relation "no_such_table" does not exist/);
  });

  it.each([
    ['scram', 'scram-sha-256'],
    ['md5', 'md5'],
    ['clear', 'password'],
  ] as const)('lets the %s role log in with the %s method', async (role, method) => {
    const user = pg.roles[role];
    const result = await psqlCli(user, pg.rolePassword, 'SELECT current_user');
    expect(result).toMatchObject({ ok: true, stdout: user });
    expect(authenticationLogLines()).toContainEqual(
      expect.stringContaining(`identity="${user}" method=${method}`),
    );
  });

  it('lets the trust role in without a password', async () => {
    const result = await psqlCli(pg.roles.trust, undefined, 'SELECT current_user');
    expect(result).toMatchObject({ ok: true, stdout: 'sluice_trust' });
  });

  it('stores the md5 role password as md5 and the scram role password as a SCRAM verifier', async () => {
    const stored = await pg.psql(
      `SELECT rolname || '=' || rolpassword FROM pg_authid WHERE rolname IN ('sluice_md5', 'sluice_scram') ORDER BY 1`,
    );
    const [md5, scram] = stored.split('\n');
    expect(md5).toMatch(/^sluice_md5=md5[0-9a-f]{32}$/);
    expect(scram).toMatch(/^sluice_scram=SCRAM-SHA-256\$/);
  });

  it('refuses a wrong password for the scram role', async () => {
    const result = await psqlCli(pg.roles.scram, 'not-the-password', 'SELECT 1');
    expect(result.ok).toBe(false);
    expect(result.stderr).toMatch(/password authentication failed for user "sluice_scram"/);
  });

  it('refuses an unknown role even with the shared password', async () => {
    const result = await psqlCli('nobody', pg.rolePassword, 'SELECT 1');
    expect(result.ok).toBe(false);
  });

  it('lets the scram role create tables that the other roles can use', async () => {
    await pg.psql('CREATE TABLE shared_notes (id int, body text)', { user: pg.roles.scram });
    await pg.psql(`INSERT INTO shared_notes VALUES (1, 'from md5')`, { user: pg.roles.md5 });
    await pg.psql(`INSERT INTO shared_notes VALUES (2, 'from trust')`, { user: pg.roles.trust });
    expect(await pg.psql('SELECT body FROM shared_notes ORDER BY id', { user: pg.roles.clear })).toBe(
      'from md5\nfrom trust',
    );
  });

  it('builds URLs psql accepts, superuser by default and percent-encoded', async () => {
    expect(pg.url()).toBe(`postgres://postgres:${pg.superuser.password}@127.0.0.1:${pg.port}/app`);
    expect(pg.url('a b', 'p@ss:word')).toBe(`postgres://a%20b:p%40ss%3Aword@127.0.0.1:${pg.port}/app`);
    const asScram = await new Promise<string>((resolve, reject) => {
      execFile(
        '/usr/bin/psql',
        ['-X', '-A', '-t', pg.url(pg.roles.md5), '-c', 'SELECT current_user'],
        (error, out) => (error ? reject(error) : resolve(out.trim())),
      );
    });
    expect(asScram).toBe('sluice_md5');
  });
});

describe('ScratchPostgres.stop', () => {
  it('removes the directory, frees the port, and can be called again', async () => {
    const other = await startPostgres();
    expect(existsSync(join(other.dir, 'data', 'PG_VERSION'))).toBe(true);
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    await expect(listenOn(other.port)).resolves.toBeUndefined();
    await expect(other.stop()).resolves.toBeUndefined();
  });

  it('runs two servers at once, each with its own data', async () => {
    const second = await startPostgres();
    try {
      expect(second.port).not.toBe(pg.port);
      expect(second.dir).not.toBe(pg.dir);
      await second.psql('CREATE TABLE only_in_second (id int)');
      expect(await second.psql(`SELECT to_regclass('only_in_second') IS NOT NULL`)).toBe('t');
      expect(await pg.psql(`SELECT to_regclass('only_in_second') IS NOT NULL`)).toBe('f');
    } finally {
      await second.stop();
    }
  });
});

describe('ScratchPostgres.pause and resume', () => {
  it('takes the server away, ending its connections and refusing new ones, then brings it back on the same port and data', async () => {
    const other = await startPostgres();
    try {
      await other.psql('CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)');
      const open = connect(other.port, other.host);
      await new Promise((resolve) => open.once('connect', resolve));
      const ended = new Promise((resolve) => open.once('close', resolve));
      open.on('error', () => undefined);

      await other.pause();
      await ended;
      await expect(connectionRefusal(other.port)).resolves.toBe('ECONNREFUSED');
      await expect(other.psql('SELECT 1')).rejects.toThrow(/Connection refused/);

      await other.resume();
      expect(await other.psql('SELECT id FROM kept')).toBe('42');
    } finally {
      await other.stop();
    }
    expect(existsSync(other.dir)).toBe(false);
  });
});

function connectionRefusal(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
