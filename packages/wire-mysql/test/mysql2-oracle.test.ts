import { describe, expect, it } from 'vitest';
import { Capability, ColumnType, encodePackets, packets, ServerStatus } from '../src/index.js';
import { auth41, mysql2Packets, PacketParser, packetOf, payloadOf } from './fixtures/mysql2.js';

/** mysql2 (node-mysql2 3.24) as an independent writer and reader of the same packets. */
const seed1 = Buffer.from('abcdefgh');
const seed2 = Buffer.from('ijklmnopqrst');
const seed = Buffer.concat([seed1, seed2]);
const mysql2ClientFlags = 0x08baf3ce;

describe('our decoders read what mysql2 writes', () => {
  it('a server greeting from mysql2 server API', () => {
    const greeting = new mysql2Packets.Handshake({
      protocolVersion: 10,
      serverVersion: '8.0.0-sluice',
      capabilityFlags: 0xc3fff7ff,
      connectionId: 77,
      authPluginData1: seed1,
      authPluginData2: seed2,
      characterSet: 45,
      statusFlags: ServerStatus.autocommit,
    }).toPacket(0);
    expect(packets.InitialHandshake.decode(payloadOf(greeting))).toEqual({
      kind: 'initial-handshake',
      protocolVersion: 10,
      serverVersion: '8.0.0-sluice',
      connectionId: 77,
      authPluginData: seed,
      capabilities: 0xc3fff7ff,
      mariadbCapabilities: 0,
      characterSet: 45,
      statusFlags: 2,
      authPluginName: 'mysql_native_password',
    });
  });

  it('a HandshakeResponse41 with its native-password token and connection attributes', () => {
    const response = new mysql2Packets.HandshakeResponse({
      user: 'sluice',
      database: 'shop',
      password: 'sluice-secret',
      authPluginData1: seed1,
      authPluginData2: seed2,
      flags: mysql2ClientFlags,
      mariadbExtendedClientFlags: 0x08,
      charsetNumber: 224,
      connectAttributes: { _client_name: 'Node-MySQL-2', _pid: '1' },
    }).toPacket();
    expect(packets.HandshakeResponse41.decode(payloadOf(response))).toEqual({
      kind: 'handshake-response-41',
      capabilities: mysql2ClientFlags,
      mariadbCapabilities: 0x08,
      maxPacketSize: 0,
      characterSet: 224,
      username: 'sluice',
      authResponse: auth41.calculateToken('sluice-secret', seed1, seed2),
      database: 'shop',
      authPluginName: 'mysql_native_password',
      connectAttributes: new Map([
        ['_client_name', 'Node-MySQL-2'],
        ['_pid', '1'],
      ]),
      zstdCompressionLevel: null,
    });
  });

  it('an SSLRequest', () => {
    const payload = payloadOf(new mysql2Packets.SSLRequest(Capability.protocol41, 45, 0).toPacket());
    expect(packets.isSslRequestPayload(payload)).toBe(true);
    expect(packets.SslRequest.decode(payload)).toEqual({
      kind: 'ssl-request',
      capabilities: Capability.protocol41 | Capability.ssl,
      mariadbCapabilities: 0,
      maxPacketSize: 0,
      characterSet: 45,
    });
  });

  it('COM_CHANGE_USER', () => {
    const flags =
      Capability.protocol41 | Capability.secureConnection | Capability.pluginAuth | Capability.connectAttrs;
    const changeUser = new mysql2Packets.ChangeUser({
      flags,
      user: 'bob',
      database: 'shop',
      password: 'pw',
      authPluginData1: seed1,
      authPluginData2: seed2,
      charsetNumber: 45,
      connectAttributes: { a: 'b' },
    }).toPacket();
    expect(
      packets.ComChangeUser.decode(payloadOf(changeUser), { capabilities: flags, mariadbCapabilities: 0 }),
    ).toEqual({
      kind: 'com-change-user',
      username: 'bob',
      authResponse: auth41.calculateToken('pw', seed1, seed2),
      database: 'shop',
      characterSet: 45,
      authPluginName: 'mysql_native_password',
      connectAttributes: new Map([['a', 'b']]),
    });
  });

  it('COM_QUERY, COM_STMT_PREPARE, COM_STMT_CLOSE and COM_RESET_CONNECTION', () => {
    const query = payloadOf(new mysql2Packets.Query('SELECT ’é’', 224).toPacket());
    expect(packets.ComQuery.decode(query)).toEqual({
      kind: 'com-query',
      query: 'SELECT ’é’',
      attributes: [],
    });
    const prepare = payloadOf(new mysql2Packets.PrepareStatement('SELECT ?', 224).toPacket());
    expect(packets.ComStmtPrepare.decode(prepare)).toEqual({ kind: 'com-stmt-prepare', query: 'SELECT ?' });
    const close = payloadOf(new mysql2Packets.CloseStatement(9).toPacket());
    expect(packets.ComStmtClose.decode(close)).toEqual({ kind: 'com-stmt-close', statementId: 9 });
    const reset = payloadOf(new mysql2Packets.ResetConnection().toPacket());
    expect(packets.ComResetConnection.decode(reset)).toEqual({ kind: 'com-reset-connection' });
  });

  it('COM_STMT_EXECUTE with string, number, NULL and binary parameters', () => {
    const execute = payloadOf(
      new mysql2Packets.Execute(
        4,
        ['ada@example.com', 2.5, null, Buffer.from([0, 255])],
        224,
        'local',
      ).toPacket(),
    );
    const decoded = packets.ComStmtExecute.decode(execute, {
      capabilities: 0,
      mariadbCapabilities: 0,
      parameterCount: 4,
    });
    expect(decoded.statementId).toBe(4);
    expect(decoded.newParamsBound).toBe(true);
    const [text, number, nothing, binary] = decoded.parameters;
    expect(text?.value).toEqual(Buffer.from('ada@example.com'));
    expect(number?.type).toBe(ColumnType.double);
    expect(Buffer.isBuffer(number?.value) && number.value.readDoubleLE(0)).toBe(2.5);
    expect(nothing?.value).toBeNull();
    expect(binary?.value).toEqual(Buffer.from([0, 255]));
  });

  it('OK, EOF and ERR packets', () => {
    // mysql2's server-side OK sizes its buffer without the message, so it sends none.
    const ok = payloadOf(
      mysql2Packets.OK.toPacket({ affectedRows: 3, insertId: 300, serverStatus: 2 }, 'utf8'),
    );
    expect(
      packets.OkPacket.decode(ok, { capabilities: Capability.protocol41, mariadbCapabilities: 0 }),
    ).toMatchObject({
      affectedRows: 3n,
      lastInsertId: 300n,
      statusFlags: 2,
      info: '',
    });
    expect(packets.EofPacket.decode(payloadOf(mysql2Packets.EOF.toPacket(1, 0x22)))).toEqual({
      kind: 'eof-packet',
      warnings: 1,
      statusFlags: 0x22,
    });
    const error = payloadOf(mysql2Packets.Error.toPacket({ code: 1045, message: 'Access denied' }, 'utf8'));
    expect(packets.ErrPacket.decode(error)).toMatchObject({ errorCode: 1045, message: 'Access denied' });
  });
});

describe('mysql2 reads what our encoders write', () => {
  it('a greeting with MariaDB capabilities', () => {
    const payload = packets.InitialHandshake.encode({
      kind: 'initial-handshake',
      protocolVersion: 10,
      serverVersion: '5.5.5-10.11.6-MariaDB',
      connectionId: 9,
      authPluginData: seed,
      capabilities: 0x81bff7fe,
      mariadbCapabilities: 0x1d,
      characterSet: 45,
      statusFlags: 2,
      authPluginName: 'mysql_native_password',
    });
    expect(mysql2Packets.Handshake.fromPacket(packetOf(payload))).toMatchObject({
      protocolVersion: 10,
      serverVersion: '5.5.5-10.11.6-MariaDB',
      connectionId: 9,
      authPluginData1: seed1,
      capabilityFlags: 0x81bff7fe,
      mariadbExtendedCapabilityFlags: 0x1d,
      characterSet: 45,
      statusFlags: 2,
      authPluginName: 'mysql_native_password',
    });
  });

  it('a HandshakeResponse41', () => {
    const payload = packets.HandshakeResponse41.encode({
      kind: 'handshake-response-41',
      capabilities: mysql2ClientFlags,
      mariadbCapabilities: 0x08,
      maxPacketSize: 1 << 24,
      characterSet: 45,
      username: 'ci-bot',
      authResponse: Buffer.alloc(20, 7),
      database: 'orders',
      authPluginName: 'caching_sha2_password',
      connectAttributes: new Map([['program_name', 'sluice']]),
      zstdCompressionLevel: null,
    });
    expect(mysql2Packets.HandshakeResponse.fromPacket(packetOf(payload))).toMatchObject({
      clientFlags: mysql2ClientFlags,
      maxPacketSize: 1 << 24,
      charsetNumber: 45,
      user: 'ci-bot',
      authToken: Buffer.alloc(20, 7),
      database: 'orders',
      authPluginName: 'caching_sha2_password',
      connectAttributes: { program_name: 'sluice' },
    });
  });

  it('an auth switch, an OK with session state, column definitions and text rows', () => {
    const switchRequest = packets.AuthSwitchRequest.encode({
      kind: 'auth-switch-request',
      pluginName: 'mysql_clear_password',
      pluginData: Buffer.alloc(0),
    });
    expect(mysql2Packets.AuthSwitchRequest.fromPacket(packetOf(switchRequest))).toEqual({
      pluginName: 'mysql_clear_password',
      pluginData: Buffer.alloc(0),
    });

    const tracked = { capabilities: Capability.protocol41 | Capability.sessionTrack, mariadbCapabilities: 0 };
    const ok = packets.OkPacket.encode(
      {
        kind: 'ok-packet',
        endOfRows: false,
        affectedRows: 2n,
        lastInsertId: 5n,
        statusFlags: ServerStatus.sessionStateChanged | ServerStatus.autocommit,
        warnings: 0,
        info: 'Rows matched: 2  Changed: 2  Warnings: 0',
        sessionStateChanges: Buffer.from('0105047368 6f70'.replace(' ', ''), 'hex'),
      },
      tracked,
    );
    const connection = {
      config: { bigNumberStrings: false, charsetNumber: 45 },
      serverEncoding: 'utf8',
      _handshakePacket: { capabilityFlags: tracked.capabilities },
    };
    expect(new mysql2Packets.ResultSetHeader(packetOf(ok), connection)).toMatchObject({
      affectedRows: 2,
      insertId: 5,
      changedRows: 2,
      stateChanges: { schema: 'shop' },
    });

    const definition = packets.ColumnDefinition41.encode(
      {
        kind: 'column-definition-41',
        catalog: 'def',
        schema: 'shop',
        table: 'u',
        orgTable: 'users',
        name: 'email',
        orgName: 'email',
        extendedMetadata: [{ key: 0, value: 'inet6' }],
        characterSet: 45,
        columnLength: 400,
        type: ColumnType.varString,
        flags: 1,
        decimals: 0,
      },
      { capabilities: Capability.protocol41, mariadbCapabilities: 0x08 },
    );
    expect(new mysql2Packets.ColumnDefinition(packetOf(definition), 'utf8', true)).toMatchObject({
      name: 'email',
      characterSet: 45,
      columnLength: 400,
      columnType: ColumnType.varString,
      flags: 1,
      extendedTypeName: 'inet6',
    });

    const row = packets.TextRow.encode({
      kind: 'text-row',
      values: [Buffer.from('1'), null, Buffer.alloc(300, 0x61)],
    });
    const rowPacket = packetOf(row);
    const values: (string | null)[] = [];
    while (rowPacket.haveMoreData()) values.push(rowPacket.readLengthCodedString('utf8'));
    expect(values).toEqual(['1', null, 'a'.repeat(300)]);
  });

  it('frames that mysql2 splits back into the same payloads, 16 MiB + 100 included', () => {
    const payloads = [Buffer.from([0x0e]), Buffer.alloc(16 * 1024 * 1024 + 100, 0x5a), Buffer.from([0x01])];
    const wire = Buffer.concat(payloads.map((payload, index) => encodePackets(payload, index * 3)));
    const seen: { sequenceId: number; payload: Buffer }[] = [];
    const parser = new PacketParser((packet) =>
      seen.push({ sequenceId: packet.sequenceId, payload: payloadOf(packet) }),
    );
    for (let offset = 0; offset < wire.length; offset += 1 << 20)
      parser.execute(wire.subarray(offset, offset + (1 << 20)));
    expect(seen.map((packet) => packet.sequenceId)).toEqual([0, 3, 6]);
    expect(seen.map((packet) => packet.payload.length)).toEqual(payloads.map((payload) => payload.length));
    expect(seen[1]?.payload.equals(payloads[1] ?? Buffer.alloc(0))).toBe(true);
  });
});
