import { describe, expect, it } from 'vitest';
import { backend, decodeUntyped, errorMessage, frontend, SqlState, WireError } from '../src/index.js';
import { cstr, int8, int32, typed, untyped } from './fixtures/bytes.js';

function wireErrorOf(action: () => unknown): WireError {
  try {
    action();
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error('expected a WireError');
}

describe('decodeUntyped', () => {
  it('tells the startup-phase messages apart by their request code', () => {
    expect(decodeUntyped(untyped(int32(80877103))).kind).toBe('ssl-request');
    expect(decodeUntyped(untyped(int32(80877104))).kind).toBe('gssenc-request');
    expect(decodeUntyped(untyped(int32(80877102), int32(1), int32(2))).kind).toBe('cancel-request');
    expect(decodeUntyped(untyped(int32(196608), cstr('user'), cstr('a'), int8(0))).kind).toBe('startup');
  });

  it('accepts a newer 3.x minor version, leaving negotiation to the caller', () => {
    const startup = decodeUntyped(untyped(int32((3 << 16) | 2), cstr('user'), cstr('a'), int8(0)));
    expect(startup).toEqual({ kind: 'startup', protocolVersion: 196610, parameters: { user: 'a' } });
  });

  it('refuses protocol 2.0 and unknown special requests, naming the version', () => {
    const v2 = wireErrorOf(() => decodeUntyped(untyped(int32(2 << 16), cstr('user'), cstr('a'), int8(0))));
    expect(v2.code).toBe('unsupported-protocol');
    expect(v2.message).toContain('2.0');
    const unknown = wireErrorOf(() => decodeUntyped(untyped(int32((1234 << 16) | 5681))));
    expect(unknown.code).toBe('unsupported-protocol');
    expect(unknown.message).toContain('1234.5681');
  });

  it('refuses a frame whose declared length disagrees with its size', () => {
    const frame = untyped(int32(80877103));
    expect(wireErrorOf(() => decodeUntyped(Buffer.concat([frame, Buffer.from([0])]))).code).toBe('malformed');
  });
});

describe('StartupMessage', () => {
  it('keeps a parameter named __proto__ as a plain parameter', () => {
    const startup = frontend.StartupMessage.decode(
      untyped(int32(196608), cstr('__proto__'), cstr('x'), cstr('user'), cstr('a'), int8(0)),
    );
    expect(Object.keys(startup.parameters)).toEqual(['__proto__', 'user']);
    expect(Object.getOwnPropertyDescriptor(startup.parameters, '__proto__')?.value).toBe('x');
  });

  it('lets a repeated parameter override the earlier one, as the server does', () => {
    const startup = frontend.StartupMessage.decode(
      untyped(int32(196608), cstr('user'), cstr('a'), cstr('user'), cstr('b'), int8(0)),
    );
    expect(startup.parameters).toEqual({ user: 'b' });
  });

  it('refuses to encode an empty parameter name, which would end the list early', () => {
    const error = wireErrorOf(() =>
      frontend.StartupMessage.encode({ kind: 'startup', protocolVersion: 196608, parameters: { '': 'x' } }),
    );
    expect(error.code).toBe('malformed');
  });
});

describe('encoders refuse what would corrupt the frame', () => {
  it('a NUL inside a C string', () => {
    expect(
      wireErrorOf(() => frontend.Query.encode({ kind: 'query', text: 'SELECT 1\0; DROP TABLE t' })).code,
    ).toBe('malformed');
    expect(
      wireErrorOf(() => backend.ErrorResponse.encode({ kind: 'error-response', fields: { M: 'a\0b' } })).code,
    ).toBe('malformed');
  });

  it('an error field type that is not one letter', () => {
    expect(
      wireErrorOf(() => backend.ErrorResponse.encode({ kind: 'error-response', fields: { MM: 'x' } })).code,
    ).toBe('malformed');
  });

  it('secret keys outside 4 to 256 bytes', () => {
    for (const size of [3, 257]) {
      const secretKey = Buffer.alloc(size);
      expect(
        wireErrorOf(() =>
          backend.BackendKeyData.encode({ kind: 'backend-key-data', processId: 1, secretKey }),
        ).code,
      ).toBe('malformed');
      expect(
        wireErrorOf(() => frontend.CancelRequest.encode({ kind: 'cancel-request', processId: 1, secretKey }))
          .code,
      ).toBe('malformed');
    }
    expect(
      wireErrorOf(() => backend.BackendKeyData.decode(typed('K', int32(1), Buffer.alloc(257)))).code,
    ).toBe('malformed');
  });
});

describe('decoders refuse values outside the protocol', () => {
  it('an unknown ReadyForQuery status, Describe target, or negative value length', () => {
    expect(wireErrorOf(() => backend.ReadyForQuery.decode(typed('Z', Buffer.from('X')))).code).toBe(
      'malformed',
    );
    expect(wireErrorOf(() => frontend.Describe.decode(typed('D', Buffer.from('X'), cstr('')))).code).toBe(
      'malformed',
    );
    const negative = typed('D', Buffer.from([0, 1]), int32(-2));
    expect(wireErrorOf(() => backend.DataRow.decode(negative)).code).toBe('malformed');
  });

  it('a DataRow whose value length runs past the frame', () => {
    const overrun = typed('D', Buffer.from([0, 1]), int32(100), Buffer.from('short'));
    expect(wireErrorOf(() => backend.DataRow.decode(overrun)).message).toContain('DataRow');
  });
});

describe('DataRow', () => {
  it('decodes values as views into the frame', () => {
    const frame = typed('D', Buffer.from([0, 1]), int32(3), Buffer.from('abc'));
    const [value] = backend.DataRow.decode(frame).values;
    expect(value?.buffer).toBe(frame.buffer);
    expect(value?.toString()).toBe('abc');
  });
});

describe('ErrorResponse', () => {
  it('keeps fields in wire order and accepts a plain object to encode', () => {
    const frame = backend.ErrorResponse.encode({
      kind: 'error-response',
      fields: { S: 'FATAL', V: 'FATAL', C: '28P01', M: 'password authentication failed', R: 'auth_failed' },
    });
    const { fields } = backend.ErrorResponse.decode(frame);
    expect([...fields.keys()]).toEqual(['S', 'V', 'C', 'M', 'R']);
    expect(fields.get('C')).toBe(SqlState.invalidPassword);
  });

  it('errorMessage builds S, V, C, M then the extra fields', () => {
    const frame = errorMessage(
      SqlState.insufficientPrivilege,
      'sluice: blocked by no-drop: DROP',
      undefined,
      {
        H: 'ask a DBA',
      },
    );
    expect(frame[0]).toBe(0x45);
    const { fields } = backend.ErrorResponse.decode(frame);
    expect([...fields.entries()]).toEqual([
      ['S', 'ERROR'],
      ['V', 'ERROR'],
      ['C', '42501'],
      ['M', 'sluice: blocked by no-drop: DROP'],
      ['H', 'ask a DBA'],
    ]);
    expect(backend.ErrorResponse.decode(errorMessage('57P01', 'bye', 'FATAL')).fields.get('S')).toBe('FATAL');
  });
});

describe('rowsFromCommandTag', () => {
  it.each([
    ['INSERT 0 5', 5],
    ['UPDATE 12', 12],
    ['DELETE 0', 0],
    ['SELECT 3', 3],
    ['MERGE 2', 2],
    ['MOVE 4', 4],
    ['FETCH 10', 10],
    ['COPY 1000000', 1000000],
    ['CREATE TABLE', null],
    ['BEGIN', null],
    ['SELECT', null],
    ['INSERT 5', null],
    ['UPDATE x', null],
  ])('%s → %s', (tag, rows) => {
    expect(backend.rowsFromCommandTag(tag)).toBe(rows);
  });
});

describe('message companions', () => {
  it('is() tells kinds apart, Authentication covers all of its kinds', () => {
    expect(frontend.Query.is({ kind: 'query' })).toBe(true);
    expect(frontend.Query.is({ kind: 'parse' })).toBe(false);
    expect(backend.Authentication.is({ kind: 'authentication-sasl-final' })).toBe(true);
    expect(backend.Authentication.is({ kind: 'backend-key-data' })).toBe(false);
  });

  it('codes are the protocol letters, shared where the protocol shares them', () => {
    expect(String.fromCharCode(frontend.Query.code)).toBe('Q');
    expect(String.fromCharCode(backend.DataRow.code)).toBe('D');
    expect(String.fromCharCode(frontend.Describe.code)).toBe('D');
    expect(frontend.PasswordMessage.code).toBe(frontend.SaslResponse.code);
    expect(backend.CopyData).toBe(frontend.CopyData);
  });
});
