import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryEncodingOf, Capability, ColumnType, packets } from '../src/index.js';

const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const cText = text.filter((value) => !value.includes('\0'));
const bytes = fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array));
const uint16 = fc.integer({ min: 0, max: 0xffff });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const uint64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const sessionTrack = fc.boolean().map((tracked) => ({
  capabilities: Capability.protocol41 | (tracked ? Capability.sessionTrack : 0),
  mariadbCapabilities: 0,
}));

const wireTypes = [
  ColumnType.tiny,
  ColumnType.short,
  ColumnType.long,
  ColumnType.longlong,
  ColumnType.double,
  ColumnType.datetime,
  ColumnType.time,
  ColumnType.varString,
  ColumnType.blob,
  ColumnType.newdecimal,
  ColumnType.json,
];

/** A value of the right on-wire shape for its type. */
function valueFor(type: number): fc.Arbitrary<Buffer> {
  const encoding = binaryEncodingOf(type);
  if (encoding?.kind === 'fixed') {
    return fc
      .uint8Array({ minLength: encoding.bytes, maxLength: encoding.bytes })
      .map((array) => Buffer.from(array));
  }
  if (encoding?.kind === 'length-prefixed') {
    return fc
      .constantFrom(...encoding.allowedLengths)
      .chain((length) => fc.uint8Array({ minLength: length, maxLength: length }))
      .map((array) => Buffer.from(array));
  }
  return bytes;
}

const typedValue = fc
  .constantFrom(...wireTypes)
  .chain((type) => fc.record({ type: fc.constant(type), value: fc.option(valueFor(type), { nil: null }) }));

describe('packets round-trip', () => {
  it('OkPacket, with and without session tracking', () => {
    fc.assert(
      fc.property(
        sessionTrack,
        fc.record({ changed: fc.boolean(), state: bytes }),
        fc.record({
          endOfRows: fc.boolean(),
          affectedRows: uint64,
          lastInsertId: uint64,
          statusFlags: uint16,
          warnings: uint16,
          info: text,
        }),
        (context, session, fields) => {
          const tracked = (context.capabilities & Capability.sessionTrack) !== 0;
          const changed = tracked && session.changed;
          const message = {
            kind: 'ok-packet' as const,
            ...fields,
            statusFlags: changed ? fields.statusFlags | 0x4000 : fields.statusFlags & ~0x4000,
            sessionStateChanges: changed ? session.state : null,
          };
          expect(packets.OkPacket.decode(packets.OkPacket.encode(message, context), context)).toEqual(
            message,
          );
        },
      ),
    );
  });

  it('ErrPacket', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xfffe }),
        fc.option(fc.stringMatching(/^[0-9A-Z]{5}$/), { nil: null }),
        text,
        (errorCode, sqlState, message) => {
          fc.pre(sqlState !== null || !message.startsWith('#'));
          const packet = { kind: 'err-packet' as const, errorCode, sqlState, message };
          expect(packets.ErrPacket.decode(packets.ErrPacket.encode(packet))).toEqual(packet);
        },
      ),
    );
  });

  it('ColumnDefinition41 and TextRow', () => {
    fc.assert(
      fc.property(
        fc.record({
          catalog: text,
          schema: text,
          table: text,
          orgTable: text,
          name: text,
          orgName: text,
          characterSet: uint16,
          columnLength: uint32,
          type: fc.integer({ min: 0, max: 255 }),
          flags: uint16,
          decimals: fc.integer({ min: 0, max: 255 }),
        }),
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 255 }), value: text }), { maxLength: 3 }),
        (fields, extended) => {
          const context = { capabilities: Capability.protocol41, mariadbCapabilities: 0x08 };
          const definition = { kind: 'column-definition-41' as const, ...fields, extendedMetadata: extended };
          const encoded = packets.ColumnDefinition41.encode(definition, context);
          expect(packets.ColumnDefinition41.decode(encoded, context)).toEqual(definition);
        },
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.option(bytes, { nil: null }), { minLength: 1, maxLength: 12 }), (values) => {
        const row = { kind: 'text-row' as const, values };
        expect(packets.TextRow.decode(packets.TextRow.encode(row))).toEqual(row);
      }),
    );
  });

  it('BinaryRow over random column types', () => {
    fc.assert(
      fc.property(fc.array(typedValue, { minLength: 1, maxLength: 20 }), (cells) => {
        const columns = cells.map((cell) => ({ type: cell.type }));
        const row = { kind: 'binary-row' as const, values: cells.map((cell) => cell.value) };
        expect(packets.BinaryRow.decode(packets.BinaryRow.encode(row, columns), columns)).toEqual(row);
      }),
    );
  });

  it('ComStmtExecute with new types and with the types bound before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cell: typedValue, unsigned: fc.boolean() }), { maxLength: 12 }),
        uint32,
        fc.boolean(),
        (cells, statementId, newParamsBound) => {
          const parameters = cells.map(({ cell, unsigned }) => ({
            type: cell.type,
            unsigned,
            name: '',
            value: cell.value,
          }));
          const context = {
            capabilities: Capability.protocol41,
            mariadbCapabilities: 0,
            parameterCount: parameters.length,
            boundTypes: parameters.map(({ type, unsigned, name }) => ({ type, unsigned, name })),
          };
          const execute = {
            kind: 'com-stmt-execute' as const,
            statementId,
            flags: 0,
            iterationCount: 1,
            newParamsBound: newParamsBound && parameters.length > 0,
            parameters,
          };
          expect(
            packets.ComStmtExecute.decode(packets.ComStmtExecute.encode(execute, context), context),
          ).toEqual(execute);
        },
      ),
    );
  });

  it('HandshakeResponse41 and InitialHandshake', () => {
    fc.assert(
      fc.property(
        fc.record({ username: cText, database: cText, plugin: cText, token: bytes }),
        fc.dictionary(text, text, { maxKeys: 4 }),
        uint32,
        ({ username, database, plugin, token }, attributes, maxPacketSize) => {
          const capabilities = 0x08baf3ce;
          const response = {
            kind: 'handshake-response-41' as const,
            capabilities,
            mariadbCapabilities: 0x08,
            maxPacketSize,
            characterSet: 45,
            username,
            authResponse: token,
            database,
            authPluginName: plugin,
            connectAttributes: new Map(Object.entries(attributes)),
            zstdCompressionLevel: null,
          };
          expect(packets.HandshakeResponse41.decode(packets.HandshakeResponse41.encode(response))).toEqual(
            response,
          );
        },
      ),
    );
    fc.assert(
      fc.property(
        cText,
        uint32,
        fc.uint8Array({ minLength: 20, maxLength: 40 }),
        fc.boolean(),
        (serverVersion, connectionId, seed, mariadb) => {
          const greeting = {
            kind: 'initial-handshake' as const,
            protocolVersion: 10,
            serverVersion,
            connectionId,
            authPluginData: Buffer.from(seed),
            capabilities: mariadb ? 0x81bff7fe : 0x81bff7ff,
            mariadbCapabilities: mariadb ? 0x1d : 0,
            characterSet: 45,
            statusFlags: 2,
            authPluginName: 'caching_sha2_password',
          };
          expect(packets.InitialHandshake.decode(packets.InitialHandshake.encode(greeting))).toEqual(
            greeting,
          );
        },
      ),
    );
  });
});
