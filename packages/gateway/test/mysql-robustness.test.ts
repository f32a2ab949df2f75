import { connect } from 'node:net';
import type { StatementRecord } from '@sluice/journal';
import { Command, packets } from '@sluice/wire-mysql';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { errorOf, RawMysqlClient } from './support/mysql-raw-client.js';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness();
});
afterAll(() => h?.close());

/** Sends raw bytes after the greeting, then collects whatever the gateway answers until it closes or 0.7 s pass. */
function rawExchange(port: number, chunks: readonly Buffer[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const done = (): void => {
      socket.destroy();
      resolve(Buffer.concat(received));
    };
    socket.on('data', (chunk) => {
      if (received.length === 0) for (const bytes of chunks) socket.write(bytes);
      received.push(chunk);
    });
    socket.on('close', done);
    socket.on('error', done);
    setTimeout(done, 700);
  });
}

/** The error packets in what the gateway sent after its greeting. */
function errorsIn(answer: Buffer): { errno: number; message: string }[] {
  const errors: { errno: number; message: string }[] = [];
  for (let offset = 0; offset + 4 <= answer.length; ) {
    const length = answer.readUIntLE(offset, 3);
    const payload = answer.subarray(offset + 4, offset + 4 + length);
    if (payload[0] === 0xff) {
      const error = packets.ErrPacket.decode(payload);
      errors.push({ errno: error.errorCode, message: error.message });
    }
    offset += 4 + length;
  }
  return errors;
}

async function stillServes(): Promise<void> {
  const connection = await mysql.createConnection(h.options());
  const [rows] = await connection.query('SELECT 1 AS alive');
  expect(rows).toEqual([{ alive: 1 }]);
  await connection.end();
}

describe('hostile or broken MySQL clients', () => {
  it('answers random bytes after the greeting with a handshake error and keeps serving others', async () => {
    const answer = await rawExchange(h.port, [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    expect(errorsIn(answer)).toEqual([{ errno: 1153, message: 'sluice: packet too large' }]);
    const junk = await rawExchange(h.port, [Buffer.from([5, 0, 0, 1, 1, 2, 3, 4, 5])]);
    expect(errorsIn(junk)).toEqual([{ errno: 1043, message: 'sluice: bad handshake' }]);
    await stillServes();
  });

  it('survives truncated packets and clients that vanish mid-handshake', async () => {
    await rawExchange(h.port, [Buffer.from([40, 0, 0, 1, 0x0f, 0xa2])]);
    await rawExchange(h.port, [Buffer.from([0xff, 0xff])]);
    await stillServes();
  });

  it('answers unknown commands with an error and keeps the session; a broken COM_CHANGE_USER ends it', async () => {
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    client.send(Buffer.from([0x99]));
    expect(errorOf(await client.next())).toEqual({
      errno: 1047,
      message: 'sluice: unsupported command 0x99',
    });
    client.send(Buffer.from([Command.ping]));
    expect((await client.next()).payload[0]).toBe(0);
    // The user name and nothing else: the packet ends before its auth response.
    client.send(Buffer.from([Command.changeUser, 0x72, 0x6f, 0x6f, 0x74, 0]));
    expect(errorOf(await client.next())).toMatchObject({ errno: 1043 });
    expect(await client.closedByServer()).toBe(true);
    client.destroy();
  });

  it('refuses a command over 64 MiB with 1153 and closes only that session', async () => {
    const bystander = await mysql.createConnection(h.options());
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    const huge = Buffer.alloc(65 * 1024 * 1024, 0x20);
    huge[0] = Command.query;
    client.send(huge);
    expect(errorOf(await client.next(10_000))).toMatchObject({ errno: 1153 });
    expect(await client.closedByServer()).toBe(true);
    const [rows] = await bystander.query('SELECT 2 AS two');
    expect(rows).toEqual([{ two: 2 }]);
    await bystander.end();
  });

  it('ends a session whose packets break the sequence, and nobody else notices', async () => {
    const bystander = await mysql.createConnection(h.options());
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    // A full-size packet announces a continuation, which must carry the next sequence id.
    const first = Buffer.alloc(0xffffff + 4, 0x20);
    first.writeUIntLE(0xffffff, 0, 3);
    first[3] = 0;
    first[4] = Command.query;
    client.socket.write(Buffer.concat([first, Buffer.from([1, 0, 0, 7, 0x20])]));
    expect(errorOf(await client.next())).toMatchObject({ errno: 1156 });
    expect(await client.closedByServer()).toBe(true);
    const [rows] = await bystander.query('SELECT 3 AS three');
    expect(rows).toEqual([{ three: 3 }]);
    await bystander.end();
  });

  it('finishes the journal record of a statement whose client vanished mid-result', async () => {
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    client.send(
      Buffer.concat([
        Buffer.from([Command.query]),
        Buffer.from('SELECT SLEEP(0.2), seq FROM seq_1_to_20 /* vanishing */'),
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.destroy();
    let record: StatementRecord | undefined;
    for (let tries = 0; tries < 50; tries++) {
      record = [...h.journal.statements()].find((s) => s.statement.includes('vanishing'));
      if (record?.completed) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(record?.completed).toBe(true);
    expect(record?.error).toMatch(/session ended/);
    await stillServes();
  });
});

describe('gateway shutdown with MySQL sessions', () => {
  it('lets a running statement finish, then closes the session with a reason', async () => {
    const gateway = await startMysqlHarness({ db: h.db });
    const connection = await mysql.createConnection(gateway.options());
    const ended = new Promise<Error>((resolve) => connection.on('error', resolve));
    const running = connection.query('SELECT SLEEP(0.3) AS slept');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = gateway.close();
    const [rows] = await running;
    expect(rows).toEqual([{ slept: 0 }]);
    expect((await ended).message).toBe('sluice: the gateway is shutting down');
    await closing;
    connection.destroy();
  });

  it('does not wait for clients that never close their side of the connection', async () => {
    const gateway = await startMysqlHarness({ db: h.db });
    // One logged in and idle, one that never finished its handshake; neither ever reads or closes.
    const idle = await RawMysqlClient.login(
      gateway.port,
      gateway.agent.name,
      gateway.agent.secret,
      h.db.database,
    );
    const silent = await RawMysqlClient.open(gateway.port);
    const started = Date.now();
    await gateway.gateway.close(100);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await idle.closedByServer(3000)).toBe(true);
    expect(await silent.closedByServer(3000)).toBe(true);
    await gateway.close();
  });
});
