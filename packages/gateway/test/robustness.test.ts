import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** Sends raw bytes, then collects whatever the gateway answers until it closes or 0.7 s pass. */
function rawExchange(port: number, chunks: readonly Buffer[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const done = (): void => {
      socket.destroy();
      resolve(Buffer.concat(received));
    };
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('close', done);
    socket.on('error', done);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    setTimeout(done, 700);
  });
}

async function stillServes(): Promise<void> {
  const client = new pg.Client({ connectionString: h.url() });
  await client.connect();
  expect((await client.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
  await client.end();
}

function startupPacket(user: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0app\0\0`);
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(196608, 4);
  return Buffer.concat([header, body]);
}

describe('hostile or broken clients', () => {
  it('answers random bytes with a protocol error and keeps serving others', async () => {
    const answer = await rawExchange(h.port, [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    expect(answer.length === 0 || answer[0] === 0x45).toBe(true);
    await stillServes();
  });

  it('refuses a startup packet claiming a huge length without allocating it', async () => {
    const huge = Buffer.alloc(8);
    huge.writeInt32BE(0x7fffffff, 0);
    huge.writeInt32BE(196608, 4);
    await rawExchange(h.port, [huge]);
    await stillServes();
  });

  it('survives truncated frames and clients that vanish mid-startup', async () => {
    const startup = startupPacket(h.agent.name);
    await rawExchange(h.port, [startup.subarray(0, 5)]);
    await rawExchange(h.port, [startup.subarray(0, startup.length - 3)]);
    await stillServes();
  });

  it('answers SSLRequest with N when TLS is not configured, then continues in clear', async () => {
    const ssl = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    const answer = await rawExchange(h.port, [ssl]);
    expect(answer.subarray(0, 1).toString()).toBe('N');
  });

  it('answers GSSENCRequest with N, then SSLRequest with N, then reads the startup in clear', async () => {
    const gssenc = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30]);
    const ssl = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    const answer = await rawExchange(h.port, [gssenc, ssl, startupPacket(h.agent.name)]);
    expect(answer.subarray(0, 2).toString()).toBe('NN');
    // Then the server asks for SASL authentication: 'R', length, code 10.
    expect(answer[2]).toBe(0x52);
    expect(answer.readInt32BE(7)).toBe(10);
  });

  it('ends a session that sends an unknown message type after login, and nobody else notices', async () => {
    const victim = new pg.Client({ connectionString: h.url() });
    const bystander = new pg.Client({ connectionString: h.url() });
    await victim.connect();
    await bystander.connect();
    const ended = new Promise<Error>((resolve) => victim.on('error', resolve));
    const stream = (victim as unknown as { connection: { stream: NodeJS.WritableStream } }).connection.stream;
    stream.write(Buffer.from([0x7a, 0, 0, 0, 4]));
    expect((await ended).message).toMatch(/^sluice: unexpected message type 'z'/);
    expect((await bystander.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await bystander.end();
    await victim.end().catch(() => undefined);
  });

  it('finishes the journal record of a statement whose client vanished mid-result', async () => {
    const client = new pg.Client({ connectionString: h.url() });
    client.on('error', () => undefined);
    await client.connect();
    const stream = (
      client as unknown as { connection: { stream: NodeJS.WritableStream & { destroy(): void } } }
    ).connection.stream;
    client
      .query('SELECT g, pg_sleep(0.001) FROM generate_series(1, 2000) g /* vanishing */')
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const record = [...h.journal.statements()].find((s) => s.statement.includes('vanishing'));
    expect(record?.completed).toBe(true);
    expect(record?.error).toMatch(/session ended/);
    await stillServes();
  });
});
