import { makeTestCa, type TestCa } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

/**
 * MariaDB speaks neither caching_sha2_password nor, without configuration, TLS. Sluice's own
 * listener speaks both, so a second gateway in front of it exercises every upstream login path:
 * client → outer Sluice → inner Sluice → MariaDB.
 */
let inner: MysqlHarness;
let ca: TestCa;
const outers: MysqlHarness[] = [];
beforeAll(async () => {
  ca = await makeTestCa();
  inner = await startMysqlHarness({
    connectionYaml: `    tls: { cert: ${ca.serverCert}, key: ${ca.serverKey} }`,
  });
});
afterAll(async () => {
  for (const outer of outers) await outer.close();
  await inner?.close();
});

async function outerGateway(user: string, password: string, query = ''): Promise<MysqlHarness> {
  const outer = await startMysqlHarness({
    db: inner.db,
    upstream: { host: '127.0.0.1', port: inner.port },
    upstreamLogin: { user, password },
    upstreamQuery: query,
  });
  outers.push(outer);
  return outer;
}

/** The identity the inner gateway journalled for a marker statement sent through the outer one. */
async function innerIdentityOf(outer: MysqlHarness, marker: string): Promise<string | undefined> {
  const connection = await mysql.createConnection(outer.options());
  try {
    const [rows] = await connection.query(`SELECT '${marker}' AS marker`);
    expect(rows).toEqual([{ marker }]);
  } finally {
    await connection.end();
  }
  return [...inner.journal.statements()].find((s) => s.statement.includes(marker))?.identity;
}

describe('upstream logins', () => {
  it('answers a switch to caching_sha2_password (fast path)', async () => {
    const secret = inner.addAgent('upstream-sha2', [], ['cachingSha2']);
    const outer = await outerGateway('upstream-sha2', secret);
    expect(await innerIdentityOf(outer, 'via-sha2')).toBe('upstream-sha2');
  });

  it('runs caching_sha2_password full authentication with the server RSA key, without TLS', async () => {
    const secret = inner.addAgent('upstream-rsa', [], []);
    const outer = await outerGateway('upstream-rsa', secret, '?sslmode=disable');
    expect(await innerIdentityOf(outer, 'via-rsa')).toBe('upstream-rsa');
  });

  it('logs in over TLS (sslmode=verify-full) with full authentication in clear inside it', async () => {
    const secret = inner.addAgent('upstream-tls', [], []);
    const outer = await outerGateway('upstream-tls', secret, `?sslmode=verify-full&sslrootcert=${ca.caCert}`);
    expect(await innerIdentityOf(outer, 'via-tls')).toBe('upstream-tls');
  });

  it('refuses an upstream whose certificate the configured CA did not sign', async () => {
    const other = await makeTestCa();
    const secret = inner.addAgent('upstream-wrong-ca', [], []);
    const outer = await outerGateway(
      'upstream-wrong-ca',
      secret,
      `?sslmode=verify-ca&sslrootcert=${other.caCert}`,
    );
    await expect(mysql.createConnection(outer.options())).rejects.toMatchObject({
      message: 'sluice: the upstream database is unavailable',
    });
  });

  it('sends a token with mysql_clear_password when the server switches to it, over TLS only', async () => {
    const token = await inner.issuer.sign({ sub: 'upstream-token' }, { expiresIn: 3600 });
    const outer = await outerGateway('upstream-token', token, `?sslmode=require`);
    expect(await innerIdentityOf(outer, 'via-token')).toBe('upstream-token');
    const plain = await outerGateway('upstream-token', token, '?sslmode=disable');
    await expect(mysql.createConnection(plain.options())).rejects.toMatchObject({
      message: 'sluice: the upstream database is unavailable',
    });
  });
});
