import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ColumnType,
  decodeSessionStateChanges,
  nativePasswordVerifier,
  PacketSplitter,
  verifyNativePassword,
} from '../src/index.js';
import { type Decoded, followConversation, splitStream } from './fixtures/conversation.js';

/**
 * Byte streams recorded from MariaDB 10.11 with mysql2 and the mariadb CLI as clients
 * (scripts/record-mariadb-fixtures.mjs).
 */
interface Capture {
  readonly client: string;
  readonly server: string;
}
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/mariadb-captures.json', import.meta.url), 'utf8'),
) as {
  readonly captures: Record<string, Capture>;
};
const captures = recorded.captures;

function capture(name: string): { client: Buffer; server: Buffer } {
  const found = captures[name];
  if (!found) throw new Error(`no capture ${name}`);
  return { client: Buffer.from(found.client, 'hex'), server: Buffer.from(found.server, 'hex') };
}

function follow(name: string): { client: Decoded[]; server: Decoded[] } {
  const { client, server } = capture(name);
  return followConversation(client, server);
}

function kinds(log: readonly Decoded[]): string[] {
  return log.map((message) => message.kind);
}

function rowValues(log: readonly Decoded[], kind: 'text-row' | 'binary-row'): (string | null)[][] {
  return log
    .filter((message) => message.kind === kind)
    .map((message) =>
      (message.values as (Buffer | null)[]).map((value) => value?.toString('latin1') ?? null),
    );
}

describe.each(Object.keys(captures))('capture %s', (name) => {
  it.each(['client', 'server'] as const)('%s stream splits the same at every offset', (side) => {
    const stream = capture(name)[side];
    const whole = splitStream(stream).map((packet) => packet.bytes.toString('hex'));
    for (let cut = 0; cut <= stream.length; cut++) {
      const splitter = new PacketSplitter({ maxPacketBytes: 1 << 20 });
      const seen: string[] = [];
      splitter.push(stream.subarray(0, cut), (packet) => seen.push(packet.bytes.toString('hex')));
      splitter.push(stream.subarray(cut), (packet) => seen.push(packet.bytes.toString('hex')));
      expect(seen).toEqual(whole);
    }
  });

  it('decodes packet by packet and re-encodes every packet to the bytes received', () => {
    expect(() => follow(name)).not.toThrow();
  });
});

describe('what the captures hold', () => {
  it('text queries: rows with NULL, an insert OK, an ERR and session state', () => {
    const { server, client } = follow('textQueries');
    const greeting = server[0];
    expect(greeting).toMatchObject({ kind: 'initial-handshake', authPluginName: 'mysql_native_password' });
    expect(String(greeting?.serverVersion)).toMatch(/10\.11\..*MariaDB/);
    const response = client[0];
    expect(response).toMatchObject({ kind: 'handshake-response-41', username: 'sluice', database: 'shop' });
    // The recorded mysql2 token passes Sluice's server-side check for the account's password only.
    const token = response?.authResponse as Buffer;
    const seed = greeting?.authPluginData as Buffer;
    expect(verifyNativePassword(token, seed, nativePasswordVerifier('sluice-secret'))).toBe(true);
    expect(verifyNativePassword(token, seed, nativePasswordVerifier('sluice-secreT'))).toBe(false);
    expect(rowValues(server, 'text-row')).toEqual([
      ['1', 'ada@example.com', '123-45-6789'],
      ['2', 'bob@example.com', null],
    ]);
    const oks = server.filter((message) => message.kind === 'ok-packet');
    expect(decodeSessionStateChanges(oks[0]?.sessionStateChanges as Buffer)).toEqual([
      { kind: 'schema', schema: 'shop' },
    ]);
    expect(oks[1]).toMatchObject({ affectedRows: 1n, lastInsertId: 3n });
    expect(server.find((message) => message.kind === 'err-packet')).toMatchObject({
      errorCode: 1146,
      sqlState: '42S02',
    });
    expect(kinds(client).slice(1)).toEqual(['com-query', 'com-query', 'com-query', 'com-ping', 'com-quit']);
  });

  it('prepared statements: parameters bound by mysql2 and a binary row of every column type', () => {
    const { server, client } = follow('preparedStatements');
    const execute = client.find((message) => message.kind === 'com-stmt-execute');
    expect(execute?.parameters).toMatchObject([
      { type: ColumnType.double },
      { type: ColumnType.varString, value: Buffer.from('héllo') },
    ]);
    const definitions = server.filter((message) => message.kind === 'column-definition-41');
    const uuid = definitions.find((definition) => definition.name === 'u');
    expect(uuid?.extendedMetadata).toEqual([{ key: 0, value: 'uuid' }]);
    const [kindsRow] = rowValues(server, 'binary-row');
    expect(kindsRow?.[13]).toBe(Buffer.from('héllo').toString('latin1'));
    expect(kindsRow?.[18]).toBe('6ccd780c-baba-1026-9564-5b8c656024db');
    expect(kindsRow?.[19]).toBeNull();
    expect(
      rowValues(server, 'binary-row')
        .slice(1)
        .map((row) => row[1]),
    ).toEqual(['ada@example.com', 'bob@example.com', 'cy@example.com']);
    expect(kinds(client)).toContain('com-stmt-close');
  });

  it('multi-statements, COM_CHANGE_USER with an auth switch, COM_RESET_CONNECTION', () => {
    const { server, client } = follow('multiStatementsAndChangeUser');
    expect(rowValues(server, 'text-row')).toEqual([['1'], ['2']]);
    expect(kinds(client).slice(1)).toEqual([
      'com-query',
      'com-change-user',
      'auth-switch-response',
      'com-reset-connection',
      'com-quit',
    ]);
    expect(server.find((message) => message.kind === 'auth-switch-request')).toMatchObject({
      pluginName: 'mysql_native_password',
    });
  });

  it('access denied: ERR 1045 with SQLSTATE 28000 right after the handshake', () => {
    const { server } = follow('accessDenied');
    expect(server[1]).toMatchObject({ kind: 'err-packet', errorCode: 1045, sqlState: '28000' });
  });

  it('the mariadb CLI: metadata flags, COM_INIT_DB, COM_STATISTICS, LOCAL INFILE and a progress report', () => {
    const { server, client } = follow('cliSession');
    expect(server.find((message) => message.kind === 'column-count')).toMatchObject({
      metadataFollows: true,
    });
    expect(kinds(client)).toEqual(
      expect.arrayContaining(['com-init-db', 'com-statistics', 'local-infile-data']),
    );
    expect(server.find((message) => message.kind === 'statistics')?.text).toMatch(/^Uptime: /);
    expect(String(server.find((message) => message.kind === 'local-infile-request')?.filename)).toMatch(
      /rows\.csv$/,
    );
    expect(server.find((message) => message.kind === 'progress-report')).toMatchObject({
      info: 'End bulk insert',
    });
  });

  it('an auth switch to client_ed25519', () => {
    const { server } = follow('ed25519AuthSwitch');
    const switchRequest = server.find((message) => message.kind === 'auth-switch-request');
    expect(switchRequest?.pluginName).toBe('client_ed25519');
    expect(switchRequest?.pluginData).toHaveLength(32);
  });
});
