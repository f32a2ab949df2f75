import type { Packet } from '@sluice/wire-mysql';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';
import { errorOf, RawMysqlClient } from './support/mysql-raw-client.js';

/**
 * Attacks on the MySQL path: changing to an identity Sluice did not authenticate, resetting away
 * what Sluice tracks of the session, and running statements by stale or reused ids.
 */
let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness({
    policyYaml: `    guardrails: strict
    rules:
      - name: no-vault
        match: { tables: [vault] }
        action: block
      - name: no-secretdb
        match: { tables: [secretdb.*] }
        action: block`,
  });
  await h.db.sql('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20)); CREATE TABLE vault (s INT);');
  // The upstream login may read secretdb: only Sluice's rule stands between the caller and it.
  await h.db.sql(
    "CREATE DATABASE secretdb; CREATE TABLE secretdb.t (v VARCHAR(20)); INSERT INTO secretdb.t VALUES ('top-secret');",
  );
  const hosts = await h.db.sql(`SELECT host FROM mysql.user WHERE user = '${h.db.appUser.user}'`);
  for (const host of hosts.trim().split('\n'))
    await h.db.sql(`GRANT ALL ON secretdb.* TO '${h.db.appUser.user}'@'${host}'`);
});
afterAll(() => h?.close());
beforeEach(async () => {
  await h.db.sql(
    "DELETE FROM items; INSERT INTO items VALUES (1, 'one'); DELETE FROM vault; INSERT INTO vault VALUES (7);",
  );
});

const itemsExist = async (): Promise<string> =>
  (await h.db.sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'items'")).trim();

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
const isEof = (packet: Packet): boolean => packet.payload[0] === 0xfe && packet.payload.length < 9;
const isErr = (packet: Packet): boolean => packet.payload[0] === 0xff;

async function until(client: RawMysqlClient, last: (packet: Packet) => boolean): Promise<Packet[]> {
  const received: Packet[] = [];
  for (;;) {
    const packet = await client.next();
    received.push(packet);
    if (last(packet)) return received;
  }
}

/** COM_STMT_PREPARE; the statement id, or the ERR packet. */
async function prepare(client: RawMysqlClient, sql: string): Promise<number | Packet> {
  client.send(command(0x16, sql));
  const first = await client.next();
  if (isErr(first)) return first;
  const columns = first.payload.readUInt16LE(5);
  const params = first.payload.readUInt16LE(7);
  const blocks = (params > 0 ? 1 : 0) + (columns > 0 ? 1 : 0);
  for (let seen = 0; seen < blocks; ) if (isEof(await client.next())) seen++;
  return first.payload.readUInt32LE(1);
}

/** COM_STMT_EXECUTE without parameters; every packet of the answer. */
async function execute(client: RawMysqlClient, id: number): Promise<Packet[]> {
  client.send(command(0x17, uint32(id), 0, uint32(1)));
  const first = await client.next();
  if (isErr(first) || first.payload[0] === 0x00) return [first];
  const rest = await until(client, isEof);
  return [first, ...rest, ...(await until(client, (p) => isEof(p) || isErr(p)))];
}

describe('COM_CHANGE_USER and COM_RESET_CONNECTION', () => {
  it('refuses to change to an upstream account Sluice does not know, with its real password', async () => {
    for (const login of [h.db.superuser, h.db.appUser]) {
      const connection = await mysql.createConnection(
        h.options(undefined, undefined, { enableCleartextPlugin: true }),
      );
      connection.on('error', () => undefined);
      try {
        await expect(
          connection.changeUser({ user: login.user, password: login.password }),
        ).rejects.toMatchObject({
          errno: 1045,
          message: expect.stringMatching(/^sluice: /),
        });
      } finally {
        connection.destroy();
      }
    }
    const sessions = await h.db.sql(
      "SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'root' AND command <> 'Query'",
    );
    expect(Number(sessions.trim())).toBeLessThanOrEqual(1);
  });

  it('keeps the upstream login after a change of user: the caller never becomes another database user', async () => {
    const other = h.addAgent('change-target');
    const connection = await mysql.createConnection(h.options());
    try {
      await connection.changeUser({ user: 'change-target', password: other });
      const [rows] = await connection.query('SELECT CURRENT_USER() AS who');
      expect((rows as { who: string }[])[0]?.who.split('@')[0]).toBe(h.db.appUser.user);
    } finally {
      await connection.end();
    }
  });

  it('follows the quoting mode COM_RESET_CONNECTION restores, so a quote cannot hide a statement', async () => {
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    try {
      client.send(command(0x03, "SET sql_mode = 'NO_BACKSLASH_ESCAPES'"));
      expect((await client.next()).payload[0]).toBe(0x00);
      client.send(command(0x1f));
      expect((await client.next()).payload[0]).toBe(0x00);
      client.send(command(0x03, "SET sql_mode = 'NO_BACKSLASH_ESCAPES'"));
      expect((await client.next()).payload[0]).toBe(0x00);
      // Without backslash escapes this is a SELECT, then a DROP.
      client.send(command(0x03, "SELECT 'a\\'; DROP TABLE items; -- '"));
      const answer = await client.next();
      expect(isErr(answer)).toBe(true);
      expect(errorOf(answer).errno).toBe(1227);
    } finally {
      client.destroy();
    }
    expect(await itemsExist()).toBe('1');
  });

  it('forgets prepared statements at COM_RESET_CONNECTION: a stale id runs nothing', async () => {
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    try {
      const id = await prepare(client, "UPDATE items SET name = 'reset-stale' WHERE id = 1");
      expect(typeof id).toBe('number');
      client.send(command(0x1f));
      expect((await client.next()).payload[0]).toBe(0x00);
      const replies = await execute(client, id as number);
      expect(isErr(replies[0] as Packet)).toBe(true);
    } finally {
      client.destroy();
    }
    expect((await h.db.sql('SELECT name FROM items WHERE id = 1')).trim()).toBe('one');
  });
});

describe('server commands that act beyond the session', () => {
  it('refuses replication, shutdown, debug and COM_PROCESS_KILL commands; the session stays usable', async () => {
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    try {
      const victim = Number((await h.db.sql('SELECT CONNECTION_ID()')).trim());
      for (const [name, bytes] of [
        ['COM_SHUTDOWN', command(0x08, 0)],
        ['COM_PROCESS_KILL', command(0x0c, uint32(victim))],
        ['COM_DEBUG', command(0x0d)],
        ['COM_BINLOG_DUMP', command(0x12, uint32(4), [0, 0], uint32(1), 'mysql-bin.000001')],
        ['COM_REGISTER_SLAVE', command(0x15, uint32(99), 0, 0, 0, [0, 0], uint32(0), uint32(0))],
        ['COM_BINLOG_DUMP_GTID', command(0x1e, [0, 0], uint32(1), uint32(0))],
      ] as const) {
        client.send(bytes);
        const answer = await client.next();
        expect(isErr(answer), name).toBe(true);
        expect(errorOf(answer), name).toMatchObject({
          errno: 1047,
          message: expect.stringMatching(/^sluice: unsupported command/),
        });
      }
      client.send(command(0x0e));
      expect((await client.next()).payload[0]).toBe(0x00);
    } finally {
      client.destroy();
    }
    expect((await h.db.sql('SELECT 1')).trim()).toBe('1');
  });
});

describe('another database than the connection’s', () => {
  const reads = async (connection: mysql.Connection): Promise<string> => {
    const outcome = await connection.query('SELECT v FROM t').then(
      ([rows]) => JSON.stringify(rows),
      (error: { errno?: number }) => `error ${error.errno}`,
    );
    return outcome;
  };

  it('never reads a table of a blocked database, however the session got there', async () => {
    // The upstream login itself may: the test would prove nothing otherwise.
    expect(await h.db.sql('SELECT v FROM t', { user: h.db.appUser.user, database: 'secretdb' })).toContain(
      'top-secret',
    );
    const outcomes: string[] = [];
    // At login, by the handshake's database.
    outcomes.push(
      await mysql.createConnection(h.options(undefined, undefined, { database: 'secretdb' })).then(
        async (connection) => {
          const read = await reads(connection);
          await connection.end();
          return read;
        },
        (error: { errno?: number }) => `login error ${error.errno}`,
      ),
    );
    const connection = await mysql.createConnection(h.options());
    try {
      // USE as a statement, then COM_INIT_DB, then COM_CHANGE_USER with a database.
      outcomes.push(
        await connection.query('USE secretdb').then(
          () => reads(connection),
          (e: { errno?: number }) => `use error ${e.errno}`,
        ),
      );
      outcomes.push(
        await connection
          .changeUser({ user: h.agent.name, password: h.agent.secret, database: 'secretdb' })
          .then(
            () => reads(connection),
            (e: { errno?: number }) => `change error ${e.errno}`,
          ),
      );
    } finally {
      connection.destroy();
    }
    expect(outcomes).toHaveLength(3);
    expect(outcomes.join(' ')).not.toContain('top-secret');
  });
});

describe('prepared statements by stale or reused ids', () => {
  it('runs nothing for an id closed before, even when a blocked prepare follows', async () => {
    const client = await RawMysqlClient.login(h.port, h.agent.name, h.agent.secret, h.db.database);
    try {
      const id = await prepare(client, 'SELECT 1 AS allowed');
      expect(typeof id).toBe('number');
      client.send(command(0x19, uint32(id as number)));
      const blocked = await prepare(client, 'SELECT s FROM vault');
      expect(errorOf(blocked as Packet).errno).toBe(1227);
      for (const stale of [id as number, (id as number) + 1, 0xffffffff]) {
        const replies = await execute(client, stale);
        expect(isErr(replies[0] as Packet), `id ${stale}`).toBe(true);
        expect(JSON.stringify(replies.map((p) => p.payload.toString('latin1')))).not.toContain('\u0007');
      }
      // The connection is still usable.
      const again = await prepare(client, 'SELECT 2 AS fine');
      expect(typeof again).toBe('number');
    } finally {
      client.destroy();
    }
  });

  it('refuses a blocked statement prepared through SQL, and its EXECUTE', async () => {
    const connection = await mysql.createConnection(h.options());
    try {
      for (const sql of [
        "PREPARE p FROM 'SELECT s FROM vault'",
        "PREPARE p FROM 'DROP TABLE items'",
        'EXECUTE p',
      ]) {
        await expect(connection.query(sql), sql).rejects.toMatchObject({ errno: 1227 });
      }
    } finally {
      await connection.end();
    }
    expect(await itemsExist()).toBe('1');
  });
});
