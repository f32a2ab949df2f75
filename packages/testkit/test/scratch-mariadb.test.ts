import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARIADB_CLIENT_PATH, type ScratchMariadb, startMariadb, TestkitError } from '../src/index.js';
import { listenOn } from './support/scripts.js';

let my: ScratchMariadb;
beforeAll(async () => {
  my = await startMariadb();
});
afterAll(() => my?.stop());

interface CliResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** The mariadb CLI as a user would run it over TCP, with nothing from the environment but PATH. */
function mariadbCli(user: string, password: string | undefined, sql: string): Promise<CliResult> {
  const args = [
    '--no-defaults',
    '-N',
    '-B',
    '--protocol=TCP',
    '-h',
    my.host,
    '-P',
    String(my.port),
    '-u',
    user,
  ];
  if (password !== undefined) args.push(`--password=${password}`);
  args.push('-D', my.database, '-e', sql);
  return new Promise((resolve) => {
    execFile(
      MARIADB_CLIENT_PATH ?? 'mariadb',
      args,
      { env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => {
        resolve({ ok: !error, stdout: stdout.trim(), stderr });
      },
    );
  });
}

// What mysql_native_password stores: '*' and the hex of SHA1(SHA1(password)).
function nativePasswordHash(password: string): string {
  const inner = createHash('sha1').update(password).digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

describe('startMariadb', () => {
  it('answers the superuser over TCP, in the app database of its own server', async () => {
    expect(await my.sql('SELECT CURRENT_USER(), DATABASE()')).toBe('root@127.0.0.1\tapp');
    expect(my.host).toBe('127.0.0.1');
    expect(my.port).not.toBe(3306);
    expect(my.superuser).toEqual({ user: 'root', password: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await my.sql('SELECT @@datadir')).toBe(`${join(my.dir, 'data')}/`);
  });

  it.each([
    ['superuser', 'root@127.0.0.1'],
    ['appUser', 'sluice_native@%'],
  ] as const)('lets the %s log in with the mariadb CLI', async (which, currentUser) => {
    const { user, password } = my[which];
    const result = await mariadbCli(user, password, 'SELECT CURRENT_USER()');
    expect(result).toMatchObject({ ok: true, stdout: currentUser });
  });

  it('stores the app user password for mysql_native_password', async () => {
    expect(my.appUser).toEqual({ user: 'sluice_native', password: 'sluice-test-pw' });
    const stored = await my.sql(
      `SELECT plugin, authentication_string FROM mysql.user WHERE user = 'sluice_native'`,
    );
    expect(stored).toBe(`mysql_native_password\t${nativePasswordHash('sluice-test-pw')}`);
  });

  it('refuses a wrong password', async () => {
    const result = await mariadbCli(my.appUser.user, 'not-the-password', 'SELECT 1');
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(`Access denied for user 'sluice_native'@'127.0.0.1'`);
  });

  it('leaves no passwordless root behind', async () => {
    const result = await mariadbCli('root', undefined, 'SELECT 1');
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('Access denied');
    expect(await my.sql(`SELECT GROUP_CONCAT(host ORDER BY host) FROM mysql.user WHERE user = 'root'`)).toBe(
      '127.0.0.1,localhost',
    );
  });

  it('lets the app user create and use tables in the app database, and nothing else', async () => {
    const asApp = { user: my.appUser.user };
    await my.sql('CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)', asApp);
    await my.sql(`INSERT INTO notes VALUES (1, 'first'), (2, 'second')`, asApp);
    expect(await my.sql('SELECT body FROM notes ORDER BY id', asApp)).toBe('first\nsecond');
    await expect(my.sql('SELECT COUNT(*) FROM mysql.user', asApp)).rejects.toThrow(/SELECT command denied/);
  });

  it('keeps four-byte UTF-8 text intact', async () => {
    await my.sql('CREATE TABLE reactions (emoji VARCHAR(10))');
    await my.sql(`INSERT INTO reactions VALUES ('😀')`);
    expect(await my.sql('SELECT HEX(emoji) FROM reactions')).toBe('F09F9880');
  });

  it('rejects with the client error alone when SQL fails', async () => {
    const failure = my.sql('SELECT * FROM no_such_table');
    await expect(failure).rejects.toBeInstanceOf(TestkitError);
    await expect(failure).rejects.toMatchObject({
      code: 'mariadb-failed',
      message: `ERROR 1146 (42S02) at line 1: Table 'app.no_such_table' doesn't exist`,
    });
  });

  it('sends a statement larger than one 16 MiB packet', async () => {
    const length = 17 * 1024 * 1024;
    expect(await my.sql(`SELECT LENGTH('${'x'.repeat(length)}')`)).toBe(String(length));
  });

  it('builds URLs, superuser by default and percent-encoded', () => {
    expect(my.url()).toBe(`mysql://root:${my.superuser.password}@127.0.0.1:${my.port}/app`);
    expect(my.url('sluice_native')).toBe(`mysql://sluice_native:sluice-test-pw@127.0.0.1:${my.port}/app`);
    expect(my.url('a b', 'p@ss:word')).toBe(`mysql://a%20b:p%40ss%3Aword@127.0.0.1:${my.port}/app`);
    expect(my.url('stranger')).toBe(`mysql://stranger@127.0.0.1:${my.port}/app`);
  });
});

describe('ScratchMariadb.stop', () => {
  it('removes the directory, frees the port, and can be called again', async () => {
    const other = await startMariadb();
    expect(existsSync(join(other.dir, 'data', 'mysql'))).toBe(true);
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    await expect(listenOn(other.port)).resolves.toBeUndefined();
    await expect(other.stop()).resolves.toBeUndefined();
  });

  it('runs two servers at once, each with its own data', async () => {
    const second = await startMariadb();
    try {
      expect(second.port).not.toBe(my.port);
      expect(second.dir).not.toBe(my.dir);
      await second.sql('CREATE TABLE only_in_second (id INT)');
      const exists = `SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_in_second'`;
      expect(await second.sql(exists)).toBe('1');
      expect(await my.sql(exists)).toBe('0');
    } finally {
      await second.stop();
    }
  });
});
