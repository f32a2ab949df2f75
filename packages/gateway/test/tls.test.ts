import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { makeTestCa, type TestCa } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

const run = promisify(execFile);

let h: Harness;
let ca: TestCa;
beforeAll(async () => {
  ca = await makeTestCa();
  h = await startHarness({ connectionYaml: `    tls: { cert: ${ca.serverCert}, key: ${ca.serverKey} }` });
});
afterAll(() => h?.close());

async function psqlConninfo(sslmode: string, extra: string[] = []): Promise<string> {
  const conninfo = [
    'host=127.0.0.1',
    `port=${h.port}`,
    `user=${h.agent.name}`,
    `dbname=${h.pg.database}`,
    `sslmode=${sslmode}`,
    ...extra,
  ].join(' ');
  const { stdout } = await run('psql', ['-X', conninfo, '-c', '\\conninfo', '-Atc', 'SELECT 41 + 1'], {
    env: { ...process.env, PGPASSWORD: h.agent.secret },
  });
  return stdout;
}

describe('TLS termination', () => {
  it('serves psql with sslmode=require', async () => {
    const out = await psqlConninfo('require');
    expect(out).toMatch(/SSL connection \(protocol: TLSv1\.[23]/);
    expect(out).toContain('42');
  });

  it('passes sslmode=verify-full against the test CA', async () => {
    const out = await psqlConninfo('verify-full', [`sslrootcert=${ca.caCert}`]);
    expect(out).toMatch(/SSL connection/);
  });

  it('fails verify-full when the client trusts a different CA', async () => {
    const other = await makeTestCa();
    await expect(psqlConninfo('verify-full', [`sslrootcert=${other.caCert}`])).rejects.toThrow(
      /certificate verify failed/,
    );
  });

  it('refuses plaintext bytes pipelined behind SSLRequest (CVE-2021-23214)', async () => {
    const { connect } = await import('node:net');
    const ssl = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    const injected = Buffer.from([0, 0, 0, 9, 0, 3, 0, 0, 0]);
    const answer = await new Promise<Buffer>((resolve) => {
      const socket = connect(h.port, '127.0.0.1', () => socket.write(Buffer.concat([ssl, injected])));
      const received: Buffer[] = [];
      socket.on('data', (chunk) => received.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(received)));
      socket.on('error', () => undefined);
    });
    expect(answer.subarray(0, 1).toString()).toBe('E');
    expect(answer.toString()).toContain('sluice: data received after SSLRequest');
  });

  it('serves node-postgres over TLS, including a JWT login', async () => {
    const token = await h.issuer.sign({ sub: 'tls-user' });
    const client = new pg.Client({
      connectionString: h.url('tls-user', token),
      ssl: { ca: readFileSync(ca.caCert, 'utf8'), servername: 'localhost' },
    });
    await client.connect();
    expect((await client.query('SELECT current_setting($1) AS v', ['server_version_num'])).rows[0].v).toMatch(
      /^15/,
    );
    await client.end();
  });
});
