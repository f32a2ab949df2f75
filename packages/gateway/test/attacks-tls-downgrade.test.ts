import { networkInterfaces } from 'node:os';
import { makeTestCa, type TestCa } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

/**
 * A client on another machine that skips TLS on a listener that offers it. Sluice has no
 * setting that requires TLS of every client (SPEC §2: `tls` is optional, clients choose), but
 * the one credential that travels in clear, a JWT, is refused without TLS from anywhere but
 * loopback, before the client is asked for it. Needs an address other than loopback to listen
 * on, as a remote client would reach.
 */
const remote = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe.skipIf(remote === undefined)('TLS skipped by a remote client of a TLS listener', () => {
  let ca: TestCa;
  let h: Harness;
  let my: MysqlHarness;
  beforeAll(async () => {
    ca = await makeTestCa();
    const tls = `    tls: { cert: ${ca.serverCert}, key: ${ca.serverKey} }`;
    h = await startHarness({ listenHost: remote, connectionYaml: tls });
    my = await startMysqlHarness({ listenHost: remote, connectionYaml: tls });
  });
  afterAll(async () => {
    await h?.close();
    await my?.close();
  });

  const pgUrl = (user: string, password: string): string =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${remote}:${h.port}/${h.pg.database}`;
  // The test CA's certificate names 127.0.0.1 and localhost, not this address.
  const trustCa = (): { ca: string; checkServerIdentity: () => undefined } => ({
    ca: ca.caPem,
    checkServerIdentity: () => undefined,
  });

  it('PostgreSQL: refuses a JWT sent without SSLRequest and never asks for it; accepts it over TLS', async () => {
    const token = await h.issuer.sign({ sub: 'remote-agent' });
    let asked = false;
    const clear = new pg.Client({ connectionString: pgUrl('remote-agent', token), ssl: false });
    // pg calls the password function only when the server asks for a password.
    const clearAsked = new pg.Client({
      connectionString: pgUrl('remote-agent', ''),
      ssl: false,
      password: () => {
        asked = true;
        return token;
      },
    });
    for (const client of [clear, clearAsked]) {
      await expect(client.connect()).rejects.toMatchObject({
        code: '28000',
        message: 'sluice: token logins need TLS or a loopback connection',
      });
      await client.end().catch(() => undefined);
    }
    expect(asked).toBe(false);
    const secure = new pg.Client({ connectionString: pgUrl('remote-agent', token), ssl: trustCa() });
    await secure.connect();
    const { rows } = await secure.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    await secure.end();
  });

  it('MySQL: refuses a JWT from a client that did not set CLIENT_SSL; accepts it over TLS', async () => {
    const token = await my.issuer.sign({ sub: 'remote-agent' });
    const clear = my.options('remote-agent', token, { host: remote, enableCleartextPlugin: true });
    await expect(mysql.createConnection(clear)).rejects.toMatchObject({
      errno: 1045,
      message: 'sluice: token logins need TLS or a loopback connection',
    });
    const secure = await mysql.createConnection(
      my.options('remote-agent', token, { host: remote, enableCleartextPlugin: true, ssl: trustCa() }),
    );
    const [rows] = await secure.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    await secure.end();
  });

  it('still serves service accounts without TLS: their secret never travels (SCRAM, native scramble)', async () => {
    const client = new pg.Client({ connectionString: pgUrl(h.agent.name, h.agent.secret), ssl: false });
    await client.connect();
    await client.end();
    const connection = await mysql.createConnection(my.options(undefined, undefined, { host: remote }));
    await connection.end();
  });
});
