import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Journal } from '@sluice/journal';
import { makeTestCa, type RunningHaproxy, startHaproxy, type TestCa } from '@sluice/testkit';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { loginOutcome } from './support/raw-postgres.js';

/**
 * Listeners behind Debian's HAProxy, which names each client in a PROXY protocol header
 * (`send-proxy-v2` for PostgreSQL, `send-proxy` for MySQL). Clients bind other loopback
 * addresses (127.0.0.3, …) to stand for other hosts; HAProxy itself connects from 127.0.0.1,
 * the one address listed in `proxy_protocol_from`.
 */
const TRUSTED = '    proxy_protocol_from: [127.0.0.1]';

function clientAddressOf(journal: Journal, marker: string): string | undefined {
  return [...journal.statements()].find((record) => record.statement.includes(marker))?.client_address;
}

describe('a PostgreSQL listener behind HAProxy with send-proxy-v2', () => {
  let h: Harness;
  let haproxy: RunningHaproxy<'postgres'>;
  let ca: TestCa;
  const logLines: string[] = [];
  beforeAll(async () => {
    ca = await makeTestCa();
    h = await startHarness({
      connectionYaml: `${TRUSTED}\n    tls: { cert: ${ca.serverCert}, key: ${ca.serverKey} }`,
      logLines,
    });
    haproxy = await startHaproxy({
      frontends: ['postgres'],
      servers: [{ name: 'gw', ports: { postgres: h.port }, healthPort: undefined }],
      sendProxy: 'v2',
    });
  });
  afterAll(async () => {
    await haproxy?.stop();
    await h?.close();
  });

  it('journals the client HAProxy names, not HAProxy', async () => {
    const client = new pg.Client({
      connectionString: h.url().replace(`:${h.port}/`, `:${haproxy.ports.postgres}/`),
    });
    await client.connect();
    try {
      await client.query("SELECT 'behind-haproxy' AS marker");
      const local = (client as unknown as { connection: { stream: { localPort: number } } }).connection.stream
        .localPort;
      expect(clientAddressOf(h.journal, 'behind-haproxy')).toBe(`127.0.0.1:${local}`);
    } finally {
      await client.end();
    }
  });

  it('starts TLS after the header, inside the protocol, and journals the client as well', async () => {
    const client = new pg.Client({
      connectionString: h.url().replace(`:${h.port}/`, `:${haproxy.ports.postgres}/`),
      ssl: { ca: readFileSync(ca.caCert, 'utf8'), servername: 'localhost' },
    });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT 'tls-behind-haproxy' AS marker");
      expect(rows).toEqual([{ marker: 'tls-behind-haproxy' }]);
      const stream = (
        client as unknown as { connection: { stream: { encrypted?: boolean; localPort: number } } }
      ).connection.stream;
      expect(stream.encrypted).toBe(true);
      expect(clientAddressOf(h.journal, 'tls-behind-haproxy')).toBe(`127.0.0.1:${stream.localPort}`);
    } finally {
      await client.end();
    }
  });

  it('throttles the host that guesses, not every client of the balancer', async () => {
    const login = (user: string, password: string, from: string): Promise<string> =>
      loginOutcome(haproxy.ports.postgres, user, password, h.pg.database, from);
    for (let attempt = 0; attempt < 20; attempt++)
      expect(await login(`guess-${attempt}`, 'not-a-token', '127.0.0.3')).toMatch(/^28P01: /);
    const token = await h.issuer.sign({ sub: 'patient' });
    expect(await login('patient', token, '127.0.0.3')).toMatch(
      /^28000: sluice: too many failed sign-ins from 127\.0\.0\.3; try again in \d+ s$/,
    );
    expect(await login('patient', token, '127.0.0.4')).toBe('ok');
  });

  it('refuses a connection from the balancer that does not start with a header', async () => {
    // The driver connects from 127.0.0.1, the listed balancer's address, straight to the gateway.
    const client = new pg.Client({ connectionString: h.url() });
    await expect(client.connect()).rejects.toMatchObject({
      code: '08P01',
      message:
        'sluice: bad PROXY protocol header: the connection does not start with a PROXY protocol header',
    });
    await client.end().catch(() => undefined);
  });

  it('takes a TCP health check of the balancer (connect, close) for no failed sign-in', async () => {
    // Logged with every failed sign-in; the journal counts repeats within 10 s as one record.
    const failures = () => logLines.filter((line) => line.includes('bad PROXY protocol header')).length;
    const before = failures();
    for (let check = 0; check < 3; check++) {
      const socket = connect({ port: h.port, host: '127.0.0.1' });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.end();
      await new Promise((resolve) => socket.once('close', resolve));
    }
    // A header cut short is a failure: the same connection with a few bytes.
    const cut = connect({ port: h.port, host: '127.0.0.1' });
    cut.on('error', () => undefined);
    await new Promise((resolve) => cut.once('connect', resolve));
    cut.end('PROXY TCP4 ');
    await new Promise((resolve) => cut.once('close', resolve));
    await vi.waitFor(() => expect(failures()).toBe(before + 1), { timeout: 2000, interval: 20 });
  });

  it('reads a header from an address not listed as part of the startup packet, and refuses it', async () => {
    const socket = connect({ port: h.port, host: '127.0.0.1', localAddress: '127.0.0.6' });
    const answer = new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', () => undefined);
    });
    socket.write(`PROXY TCP4 203.0.113.7 127.0.0.1 40001 ${h.port}\r\n`);
    expect(await answer).toContain('sluice: ');
    const failures = h.journal.records.search({ type: 'sign_in_failed' }).records;
    expect(JSON.stringify(failures)).not.toContain('203.0.113.7');
  });
});

describe('a MySQL listener behind HAProxy with send-proxy (version 1)', () => {
  let h: MysqlHarness;
  let haproxy: RunningHaproxy<'mysql'>;
  beforeAll(async () => {
    h = await startMysqlHarness({ connectionYaml: TRUSTED });
    haproxy = await startHaproxy({
      frontends: ['mysql'],
      servers: [{ name: 'gw', ports: { mysql: h.port }, healthPort: undefined }],
      sendProxy: 'v1',
    });
  });
  afterAll(async () => {
    await haproxy?.stop();
    await h?.close();
  });

  it('journals the client HAProxy names, from the address it connected from', async () => {
    const connection = await mysql.createConnection(
      h.options(undefined, undefined, {
        // mysql2 does not bind localAddress itself: its socket comes from here.
        stream: () => connect({ port: haproxy.ports.mysql, host: '127.0.0.1', localAddress: '127.0.0.5' }),
      }),
    );
    try {
      await connection.query("SELECT 'mysql-behind-haproxy' AS marker");
      const local = (connection as unknown as { connection: { stream: { localPort: number } } }).connection
        .stream.localPort;
      expect(clientAddressOf(h.journal, 'mysql-behind-haproxy')).toBe(`127.0.0.5:${local}`);
    } finally {
      await connection.end();
    }
  });

  it('tells a client that connects straight from the balancer address, which waits for a greeting', async () => {
    const started = Date.now();
    await expect(mysql.createConnection(h.options())).rejects.toMatchObject({
      errno: 1043,
      message: 'sluice: bad PROXY protocol header: no PROXY protocol header within 3 s',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });
});
