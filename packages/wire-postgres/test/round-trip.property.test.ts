import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backend, frontend, type MessageCodec } from '../src/index.js';

/** Text that can travel as a C string: any code point but NUL. */
const cText = fc.string({ unit: 'binary', maxLength: 40 }).filter((text) => !text.includes('\0'));
const bytes = fc.uint8Array({ maxLength: 64 }).map((array) => Buffer.from(array));
const nullableBytes = fc.option(bytes, { nil: null });
const format = fc.integer({ min: 0, max: 1 });
const oid = fc.integer({ min: 0, max: 0xffffffff });
const int16 = fc.integer({ min: -32768, max: 32767 });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const target = fc.constantFrom('statement' as const, 'portal' as const);

function roundTrips<M extends { readonly kind: string }>(
  codec: MessageCodec<M>,
  message: fc.Arbitrary<M>,
): void {
  fc.assert(
    fc.property(message, (value) => {
      expect(codec.decode(codec.encode(value))).toEqual(value);
    }),
  );
}

describe('frontend messages round-trip', () => {
  it('StartupMessage', () => {
    const parameters = fc.dictionary(
      cText.filter((name) => name !== ''),
      cText,
      { maxKeys: 6 },
    );
    roundTrips(
      frontend.StartupMessage,
      fc.record({
        kind: fc.constant('startup' as const),
        protocolVersion: fc.integer({ min: 0, max: 0xffff }).map((minor) => (3 << 16) | minor),
        parameters,
      }),
    );
  });

  it('Parse', () => {
    roundTrips(
      frontend.Parse,
      fc.record({
        kind: fc.constant('parse' as const),
        name: cText,
        text: cText,
        parameterTypes: fc.array(oid),
      }),
    );
  });

  it('Bind', () => {
    roundTrips(
      frontend.Bind,
      fc.record({
        kind: fc.constant('bind' as const),
        portal: cText,
        statement: cText,
        parameterFormats: fc.array(format, { maxLength: 5 }),
        parameters: fc.array(nullableBytes, { maxLength: 8 }),
        resultFormats: fc.array(format, { maxLength: 5 }),
      }),
    );
  });

  it('Describe, Close, Execute, Query, CopyFail, PasswordMessage', () => {
    roundTrips(frontend.Describe, fc.record({ kind: fc.constant('describe' as const), target, name: cText }));
    roundTrips(frontend.Close, fc.record({ kind: fc.constant('close' as const), target, name: cText }));
    roundTrips(
      frontend.Execute,
      fc.record({ kind: fc.constant('execute' as const), portal: cText, maxRows: int32 }),
    );
    roundTrips(frontend.Query, fc.record({ kind: fc.constant('query' as const), text: cText }));
    roundTrips(frontend.CopyFail, fc.record({ kind: fc.constant('copy-fail' as const), message: cText }));
    roundTrips(
      frontend.PasswordMessage,
      fc.record({ kind: fc.constant('password' as const), password: cText }),
    );
  });

  it('SASL messages, CopyData, CancelRequest, FunctionCall', () => {
    roundTrips(
      frontend.SaslInitialResponse,
      fc.record({
        kind: fc.constant('sasl-initial-response' as const),
        mechanism: cText,
        data: nullableBytes,
      }),
    );
    roundTrips(
      frontend.SaslResponse,
      fc.record({ kind: fc.constant('sasl-response' as const), data: bytes }),
    );
    roundTrips(frontend.CopyData, fc.record({ kind: fc.constant('copy-data' as const), data: bytes }));
    roundTrips(
      frontend.CancelRequest,
      fc.record({
        kind: fc.constant('cancel-request' as const),
        processId: int32,
        secretKey: fc.uint8Array({ minLength: 4, maxLength: 256 }).map((array) => Buffer.from(array)),
      }),
    );
    roundTrips(
      frontend.FunctionCall,
      fc.record({
        kind: fc.constant('function-call' as const),
        functionOid: oid,
        argumentFormats: fc.array(format, { maxLength: 4 }),
        arguments: fc.array(nullableBytes, { maxLength: 4 }),
        resultFormat: format,
      }),
    );
  });
});

describe('backend messages round-trip', () => {
  it('DataRow', () => {
    roundTrips(
      backend.DataRow,
      fc.record({
        kind: fc.constant('data-row' as const),
        values: fc.array(nullableBytes, { maxLength: 12 }),
      }),
    );
  });

  it('RowDescription', () => {
    const field = fc.record({
      name: cText,
      tableOid: oid,
      columnAttribute: int16,
      typeOid: oid,
      typeSize: int16,
      typeModifier: int32,
      format,
    });
    roundTrips(
      backend.RowDescription,
      fc.record({ kind: fc.constant('row-description' as const), fields: fc.array(field, { maxLength: 8 }) }),
    );
  });

  it('ErrorResponse and NoticeResponse keep field order', () => {
    const letter = fc.constantFrom(...'SVCMDHPpqWstcdnFLR'.split(''));
    const fields = fc
      .uniqueArray(fc.tuple(letter, cText), { selector: ([type]) => type, maxLength: 10 })
      .map((entries) => new Map(entries));
    fc.assert(
      fc.property(fields, (map) => {
        const error = backend.ErrorResponse.decode(
          backend.ErrorResponse.encode({ kind: 'error-response', fields: map }),
        );
        expect([...error.fields.entries()]).toEqual([...map.entries()]);
        const notice = backend.NoticeResponse.decode(
          backend.NoticeResponse.encode({ kind: 'notice-response', fields: map }),
        );
        expect([...notice.fields.entries()]).toEqual([...map.entries()]);
      }),
    );
  });

  it('Authentication of every kind', () => {
    roundTrips(
      backend.Authentication,
      fc.oneof(
        fc.constant({ kind: 'authentication-ok' as const }),
        fc.constant({ kind: 'authentication-cleartext-password' as const }),
        fc.record({
          kind: fc.constant('authentication-md5-password' as const),
          salt: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((array) => Buffer.from(array)),
        }),
        fc.record({
          kind: fc.constant('authentication-sasl' as const),
          mechanisms: fc.array(
            cText.filter((name) => name !== ''),
            { maxLength: 3 },
          ),
        }),
        fc.record({ kind: fc.constant('authentication-sasl-continue' as const), data: bytes }),
        fc.record({ kind: fc.constant('authentication-sasl-final' as const), data: bytes }),
        fc.record({
          kind: fc.constant('authentication-unsupported' as const),
          method: fc.constantFrom(2, 6, 7, 8, 9),
        }),
      ),
    );
  });

  it('the remaining backend messages', () => {
    roundTrips(
      backend.ParameterStatus,
      fc.record({ kind: fc.constant('parameter-status' as const), name: cText, value: cText }),
    );
    roundTrips(
      backend.CommandComplete,
      fc.record({ kind: fc.constant('command-complete' as const), tag: cText }),
    );
    roundTrips(
      backend.ReadyForQuery,
      fc.record({
        kind: fc.constant('ready-for-query' as const),
        status: fc.constantFrom('I' as const, 'T' as const, 'E' as const),
      }),
    );
    roundTrips(
      backend.ParameterDescription,
      fc.record({ kind: fc.constant('parameter-description' as const), parameterTypes: fc.array(oid) }),
    );
    roundTrips(
      backend.CopyOutResponse,
      fc.record({ kind: fc.constant('copy-out-response' as const), format, columnFormats: fc.array(format) }),
    );
    roundTrips(
      backend.NotificationResponse,
      fc.record({
        kind: fc.constant('notification-response' as const),
        processId: int32,
        channel: cText,
        payload: cText,
      }),
    );
    roundTrips(
      backend.NegotiateProtocolVersion,
      fc.record({
        kind: fc.constant('negotiate-protocol-version' as const),
        newestMinorVersion: fc.integer({ min: 0, max: 2 }),
        unrecognizedOptions: fc.array(cText),
      }),
    );
    roundTrips(
      backend.FunctionCallResponse,
      fc.record({ kind: fc.constant('function-call-response' as const), result: nullableBytes }),
    );
  });
});
