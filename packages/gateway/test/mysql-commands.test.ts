import type { Packet } from '@sluice/wire-mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { errorOf, RawMysqlClient } from './support/mysql-raw-client.js';

let h: MysqlHarness;
let client: RawMysqlClient;
beforeAll(async () => {
  h = await startMysqlHarness({
    policyYaml: `    guardrails: strict
    rules:
      - name: no-vault
        match: { tables: [vault] }
        action: block`,
  });
  await h.db.sql(
    "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) DEFAULT 'none'); CREATE TABLE vault (s INT);",
  );
  client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
});
afterAll(async () => {
  client?.destroy();
  await h?.close();
});

/** Command byte, then its fields (hand-written as the protocol documents them). */
const command = (...parts: (number | string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from([part].flat()))),
  );
const uint32 = (value: number): number[] => [
  value & 0xff,
  (value >> 8) & 0xff,
  (value >> 16) & 0xff,
  value >>> 24,
];

/** Packets up to and including the first that `last` accepts. */
async function until(last: (packet: Packet) => boolean): Promise<Packet[]> {
  const received: Packet[] = [];
  for (;;) {
    const packet = await client.next();
    received.push(packet);
    if (last(packet)) return received;
  }
}
const isEof = (packet: Packet): boolean => packet.payload[0] === 0xfe && packet.payload.length < 9;

describe('the less common commands through Sluice', () => {
  it('relays COM_STATISTICS, COM_SET_OPTION and COM_PING', async () => {
    client.send(command(0x09));
    expect((await client.next()).payload.toString()).toMatch(/^Uptime: \d+/);
    client.send(command(0x1b, [1, 0]));
    expect(isEof(await client.next())).toBe(true);
    client.send(command(0x0e));
    expect((await client.next()).payload[0]).toBe(0x00);
  });

  it('judges COM_FIELD_LIST as SHOW COLUMNS and relays the column definitions with their defaults', async () => {
    client.send(command(0x04, 'items', 0));
    const definitions = await until(isEof);
    expect(definitions).toHaveLength(3);
    expect(definitions[1]?.payload.includes(Buffer.from('none'))).toBe(true);
    const records = [...h.journal.statements({ identity: h.agent.name })];
    expect(records.at(-1)).toMatchObject({ statement: 'SHOW COLUMNS FROM `items`', kind: 'show' });
  });

  it('journals long data sent before COM_STMT_EXECUTE as the parameter, and resets and closes statements', async () => {
    client.send(command(0x16, 'SELECT ? AS v'));
    const prepared = await until((packet) => isEof(packet) && packet.sequenceId === 5);
    const statementId = prepared[0]?.payload.readUInt32LE(1) ?? 0;
    expect(prepared).toHaveLength(5);
    client.send(command(0x18, uint32(statementId), [0, 0], 'long-'));
    client.send(command(0x18, uint32(statementId), [0, 0], 'value'));
    // No NULLs, new types bound: one VAR_STRING, whose value came as long data.
    client.send(command(0x17, uint32(statementId), 0, uint32(1), 0, 1, [0xfd, 0]));
    const result = await until((packet) => isEof(packet) && packet.sequenceId > 3);
    // A binary row: header, NULL bitmap, then the length-prefixed value.
    expect(result[3]?.payload.subarray(3).toString()).toBe('long-value');
    client.send(command(0x1a, uint32(statementId)));
    expect((await client.next()).payload[0]).toBe(0x00);
    client.send(command(0x19, uint32(statementId)));
    client.send(command(0x0e));
    expect((await client.next()).payload[0]).toBe(0x00);
    const records = [...h.journal.statements({ identity: h.agent.name })];
    expect(records.find((r) => r.statement === 'SELECT ? AS v')).toMatchObject({
      parameters: ['long-value'],
      rows: 1,
    });
  });

  it('answers a pipelined execute of the "last prepared" statement with an error when the prepare was blocked', async () => {
    client.send(command(0x16, 'SELECT 1 AS allowed'));
    await until((packet) => isEof(packet) && packet.sequenceId === 3);
    // MariaDB runs statement id 0xFFFFFFFF as the statement prepared last: here the allowed one.
    client.send(command(0x16, 'SELECT s FROM vault'));
    client.send(command(0x17, uint32(0xffffffff), 0, uint32(1)));
    expect(errorOf(await client.next())).toMatchObject({ errno: 1227 });
    expect(errorOf(await client.next())).toMatchObject({
      errno: 1243,
      message: expect.stringMatching(/^sluice: blocked by no-vault/),
    });
  });
});
