import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MARIADB_CLIENT_PATH, makeTestCa, type TestCa } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const run = promisify(execFile);

let h: MysqlHarness;
let ca: TestCa;
beforeAll(async () => {
  ca = await makeTestCa();
  h = await startMysqlHarness({
    connectionYaml: `    tls: { cert: ${ca.serverCert}, key: ${ca.serverKey} }`,
  });
});
afterAll(() => h?.close());

async function cipherOf(options: mysql.ConnectionOptions): Promise<string> {
  const connection = await mysql.createConnection(options);
  try {
    const [rows] = await connection.query('SELECT 41 + 1 AS answer');
    expect(rows).toEqual([{ answer: 42 }]);
    const inner = connection as unknown as {
      connection: { stream: { getCipher?: () => { version: string } } };
    };
    const socket = inner.connection.stream;
    return socket.getCipher?.().version ?? 'none';
  } finally {
    await connection.end();
  }
}

describe('TLS termination for MySQL clients', () => {
  it('serves mysql2 over TLS verified against the test CA', async () => {
    const version = await cipherOf(h.options(undefined, undefined, { ssl: { ca: ca.caPem } }));
    expect(version).toMatch(/^TLSv1\.[23]$/);
  });

  it('refuses a client that trusts a different CA', async () => {
    const other = await makeTestCa();
    await expect(
      mysql.createConnection(h.options(undefined, undefined, { ssl: { ca: other.caPem } })),
    ).rejects.toThrow(/self-signed|unable to verify|certificate/);
  });

  it('takes the secret in clear inside TLS for caching_sha2_password full authentication', async () => {
    const secret = h.addAgent('tls-full-auth', [], []);
    expect(await cipherOf(h.options('tls-full-auth', secret, { ssl: { ca: ca.caPem } }))).toMatch(/^TLSv1/);
  });

  it('accepts a JWT over TLS', async () => {
    const token = await h.issuer.sign({ sub: 'tls-user' });
    const options = h.options('tls-user', token, { ssl: { ca: ca.caPem }, enableCleartextPlugin: true });
    expect(await cipherOf(options)).toMatch(/^TLSv1/);
  });

  it('serves the mariadb client with --ssl-verify-server-cert', async () => {
    const { stdout } = await run(
      MARIADB_CLIENT_PATH ?? 'mariadb',
      [
        ...['--no-defaults', '--protocol=TCP', '-h', '127.0.0.1', '-P', String(h.port), '-u', h.agent.name],
        ...['--ssl', `--ssl-ca=${ca.caCert}`, '--ssl-verify-server-cert', '-N', '-B'],
        ...['-e', "SHOW SESSION STATUS LIKE 'Ssl_version'; SELECT 'through'"],
      ],
      { env: { PATH: process.env.PATH, MYSQL_PWD: h.agent.secret } },
    );
    // The upstream connection itself is not encrypted: Sluice terminates the client's TLS.
    expect(stdout.split('\n')).toEqual(['Ssl_version\t', 'through', '']);
  });
});
