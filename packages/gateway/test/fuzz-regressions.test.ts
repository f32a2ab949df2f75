import {
  mysqlCompressedFrame,
  mysqlComQuery,
  mysqlError,
  mysqlLogin,
  mysqlPacket,
  mysqlPackets,
  mysqlPacketsInFrames,
  mysqlSimpleQuery,
  pgErrorFields,
  pgMessages,
  pgStartup,
  pgTyped,
  RawConnection,
} from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

// Minimized counterexamples found by test/fuzz-sockets.test.ts: each ended the connection
// without a protocol error, or let a broken packet reach the server.

let postgres: Harness;
let mysql: MysqlHarness;
beforeAll(async () => {
  [postgres, mysql] = await Promise.all([startHarness(), startMysqlHarness()]);
}, 120_000);
afterAll(() => Promise.all([postgres?.close(), mysql?.close()]));

/** Sends `chunks` and returns the ErrorResponse fields the gateway sent before it closed. */
async function postgresEnding(
  chunks: readonly Buffer[],
  afterStartup: boolean,
): Promise<Map<string, string>> {
  const connection = await RawConnection.open(postgres.port);
  let offset = 0;
  if (afterStartup) {
    connection.write(pgStartup(postgres.agent.name, postgres.pg.database));
    const asked = await connection.until((bytes) => pgMessages(bytes)[0], 5000);
    offset = 5 + (asked?.body.length ?? 0);
  }
  for (const chunk of chunks) connection.write(chunk);
  expect(await connection.waitClosed(5000)).toBe(true);
  const error = pgMessages(connection.bytes, offset).find((message) => message.code === 'E');
  expect(error, 'an ErrorResponse before the close').toBeDefined();
  return pgErrorFields(error?.body ?? Buffer.alloc(0));
}

describe('PostgreSQL startup and password phases answer broken frames with 08P01', () => {
  it('a startup packet declaring 0x7fffffff bytes', async () => {
    const fields = await postgresEnding([Buffer.from('7fffffff00030000', 'hex')], false);
    expect(fields.get('C')).toBe('08P01');
    expect(fields.get('M')).toMatch(/^sluice: declared frame length 2147483647 exceeds/);
  });

  it('a startup packet declaring fewer bytes than its header', async () => {
    const fields = await postgresEnding([Buffer.from('0000000204d2162f', 'hex')], false);
    expect(fields.get('C')).toBe('08P01');
    expect(fields.get('M')).toMatch(/^sluice: declared frame length 2 is below/);
  });

  it('a frame declaring 2.7 GB while the gateway awaits the SASL response', async () => {
    const fields = await postgresEnding([Buffer.from('2ea2ef8407d4fd', 'hex')], true);
    expect(fields.get('C')).toBe('08P01');
    expect(fields.get('M')).toMatch(/^sluice: declared frame length \d+ exceeds/);
  });

  it('a SASLInitialResponse whose data length runs past the frame', async () => {
    const frame = pgTyped(
      'p',
      Buffer.from('SCRAM-SHA-256\0'),
      Buffer.from([0, 0, 0, 12]),
      Buffer.from('n,,n=*,r=ab'),
    );
    const fields = await postgresEnding([frame], true);
    expect(fields.get('C')).toBe('08P01');
    expect(fields.get('M')).toMatch(/^sluice: SASLInitialResponse: /);
  });

  it('a SCRAM client-first message with a broken gs2 header', async () => {
    const data = Buffer.from('x,,n=*,r=abc');
    const frame = pgTyped('p', Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, data.length]), data);
    const fields = await postgresEnding([frame], true);
    expect(fields.get('C')).toBe('08P01');
    expect(fields.get('M')).toMatch(/^sluice: SCRAM: /);
  });
});

describe('PostgreSQL errors quoting client bytes', () => {
  it('a SCRAM attribute holding NUL bytes gets 08P01 that shows them as \\0', async () => {
    const data = Buffer.from('n,,n=*,r\0\0bc');
    const frame = pgTyped('p', Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, data.length]), data);
    const fields = await postgresEnding([frame], true);
    expect(fields.get('C')).toBe('08P01');
    expect(fields.get('M')).toBe('sluice: SCRAM: client-first-message: malformed attribute "r\\0\\0bc"');
  });
});

describe('MySQL command packets', () => {
  it('a command with a sequence id other than 0 gets ERR 1156 from Sluice, and the next session works', async () => {
    const session = await mysqlLogin(mysql.port, mysql.agent.name, mysql.agent.secret, mysql.db.database);
    session.connection.write(mysqlPacket(2, mysqlComQuery('SELECT ? + 1')));
    expect(await session.connection.waitClosed(5000)).toBe(true);
    const [packet] = mysqlPackets(session.connection.bytes, session.offset);
    const error = mysqlError(packet?.payload ?? Buffer.alloc(0));
    expect(error?.errno).toBe(1156);
    expect(error?.sqlState).toBe('08S01');
    expect(error?.message).toBe('sluice: command packet has sequence id 2, expected 0');

    const next = await mysqlLogin(mysql.port, mysql.agent.name, mysql.agent.secret, mysql.db.database);
    expect(await mysqlSimpleQuery(next, 'SELECT 41 + 1')).toEqual({ rows: ['42'] });
    next.connection.destroy();
  });

  it('a compressed frame that does not inflate gets ERR 1157 from Sluice, sent compressed', async () => {
    const session = await mysqlLogin(
      mysql.port,
      mysql.agent.name,
      mysql.agent.secret,
      mysql.db.database,
      true,
    );
    // A deflated COM_QUERY with one byte of its zlib body changed (found by the socket fuzzer).
    const frame = mysqlCompressedFrame(
      0,
      mysqlPacket(0, mysqlComQuery(`SELECT 1 /* ${'padding '.repeat(8)} */`)),
      true,
    );
    frame[20] = (frame[20] ?? 0) ^ 0xff;
    session.connection.write(frame);
    expect(await session.connection.waitClosed(5000)).toBe(true);
    const [packet] = mysqlPacketsInFrames(session.connection.bytes, session.offset);
    const error = mysqlError(packet?.payload ?? Buffer.alloc(0));
    expect(error?.errno).toBe(1157);
    expect(error?.message).toMatch(/^sluice: compressed frame /);
  });
});
