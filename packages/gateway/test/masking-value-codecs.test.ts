import { describe, expect, it } from 'vitest';
import {
  formatArrayBinary,
  formatArrayText,
  parseArrayBinary,
  parseArrayText,
} from '../src/postgres/array-values.js';
import {
  formatRecordBinary,
  formatRecordText,
  parseRecordBinary,
  parseRecordText,
} from '../src/postgres/record-values.js';
import {
  decodeBinaryNumber,
  decodeByteaText,
  encodeBinaryNumber,
  encodeByteaText,
} from '../src/postgres/scalar-values.js';

// Fixtures are written out by hand from the PostgreSQL send formats (array_send, record_send,
// numeric_send), not made by the encoders under test.
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const int16 = (value: number) => {
  const bytes = Buffer.alloc(2);
  bytes.writeInt16BE(value);
  return bytes;
};
const TEXT_OID = 25;
const INT4_OID = 23;

/** A one-dimensional text[] as array_send writes it. */
function textArrayBytes(elements: readonly (string | null)[]): Buffer {
  return Buffer.concat([
    int32(1),
    int32(elements.includes(null) ? 1 : 0),
    int32(TEXT_OID),
    int32(elements.length),
    int32(1),
    ...elements.map((element) =>
      element === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(element)), Buffer.from(element)]),
    ),
  ]);
}

describe('PostgreSQL array values', () => {
  it('reads and writes text arrays as array_out does, quoting what must be quoted', () => {
    const text = '{plain,"with space","quote\\"d","back\\\\slash",NULL,"NULL",""}';
    const parsed = parseArrayText(text, ',');
    expect(parsed).toEqual({
      bounds: '',
      items: ['plain', 'with space', 'quote"d', 'back\\slash', null, 'NULL', ''],
    });
    expect(parsed && formatArrayText(parsed, ',')).toBe(text);
  });

  it('keeps dimensions, explicit bounds and empty arrays', () => {
    for (const text of ['{{a,b},{c,NULL}}', '[0:1]={x,y}', '{}', '{{}}']) {
      const parsed = parseArrayText(text, ',');
      expect({ text, again: parsed && formatArrayText(parsed, ',') }).toEqual({ text, again: text });
    }
    expect(parseArrayText('{box;(1,2)}', ';')?.items).toEqual(['box', '(1,2)']);
  });

  it('refuses text that is not one array', () => {
    for (const text of ['', 'a,b', '{a,b', '{"a}', '{a}x', '[1:2]{a}']) {
      expect({ text, parsed: parseArrayText(text, ',') }).toEqual({ text, parsed: null });
    }
  });

  it('reads and writes binary arrays with NULL elements', () => {
    const bytes = textArrayBytes(['ab', null, '']);
    const parsed = parseArrayBinary(bytes);
    expect(parsed?.elementOid).toBe(TEXT_OID);
    expect(parsed?.elements.map((element) => element?.toString() ?? null)).toEqual(['ab', null, '']);
    expect(parsed && formatArrayBinary(parsed)).toEqual(bytes);
    // Masking an element to NULL sets the has-NULL flag; removing the only NULL clears it.
    const masked = parsed && formatArrayBinary({ ...parsed, elements: [null, null, Buffer.from('x')] });
    expect(masked).toEqual(textArrayBytes([null, null, 'x']));
    const cleared =
      parsed &&
      formatArrayBinary({ ...parsed, elements: [Buffer.from('a'), Buffer.from('b'), Buffer.from('')] });
    expect(cleared).toEqual(textArrayBytes(['a', 'b', '']));
  });

  it('refuses binary arrays whose lengths do not add up', () => {
    const bytes = textArrayBytes(['ab', 'cd']);
    for (let end = 0; end < bytes.length; end++) {
      expect({ end, parsed: parseArrayBinary(bytes.subarray(0, end)) }).toEqual({ end, parsed: null });
    }
    expect(parseArrayBinary(Buffer.concat([bytes, Buffer.of(0)]))).toBeNull();
  });
});

describe('PostgreSQL row values', () => {
  it('reads and writes text rows as record_out does', () => {
    const text = '(1,"Alice Liddell",,"say ""hi""","back\\\\slash","")';
    const fields = parseRecordText(text);
    expect(fields).toEqual(['1', 'Alice Liddell', null, 'say "hi"', 'back\\slash', '']);
    expect(fields && formatRecordText(fields)).toBe(text);
    expect(parseRecordText('()')).toEqual([null]);
    expect(parseRecordText('(a,"b)')).toBeNull();
    expect(parseRecordText('a,b')).toBeNull();
  });

  it('reads and writes binary rows, each field with its type', () => {
    const bytes = Buffer.concat([
      int32(3),
      int32(INT4_OID),
      int32(4),
      int32(7),
      int32(TEXT_OID),
      int32(-1),
      int32(TEXT_OID),
      int32(2),
      Buffer.from('hi'),
    ]);
    const fields = parseRecordBinary(bytes);
    expect(fields?.map((field) => [field.typeOid, field.value?.toString('hex') ?? null])).toEqual([
      [INT4_OID, '00000007'],
      [TEXT_OID, null],
      [TEXT_OID, '6869'],
    ]);
    expect(fields && formatRecordBinary(fields)).toEqual(bytes);
    for (let end = 0; end < bytes.length; end++) expect(parseRecordBinary(bytes.subarray(0, end))).toBeNull();
  });
});

describe('PostgreSQL scalars masking rewrites', () => {
  it('reads bytea in hex and escape format, and writes hex', () => {
    expect(decodeByteaText('\\x616263').toString()).toBe('abc');
    expect(decodeByteaText('a\\\\b\\001').toString('hex')).toBe('615c6201');
    expect(encodeByteaText(Buffer.from('a@b'))).toBe('\\x614062');
  });

  it('reads numbers in binary format as their text', () => {
    expect(decodeBinaryNumber(21, int16(-12))).toBe('-12');
    expect(decodeBinaryNumber(23, int32(219099999))).toBe('219099999');
    expect(decodeBinaryNumber(20, Buffer.from('000eb65190c0d1c7', 'hex'))).toBe('4141111111111111');
    expect(decodeBinaryNumber(701, Buffer.from('4030000000000000', 'hex'))).toBe('16');
    // numeric 4111111111111111.50: 5 base-10000 digits, weight 3, positive, scale 2.
    const numeric = Buffer.concat([
      int16(5),
      int16(3),
      int16(0),
      int16(2),
      ...[4111, 1111, 1111, 1111, 5000].map(int16),
    ]);
    expect(decodeBinaryNumber(1700, numeric)).toBe('4111111111111111.50');
    const small = Buffer.concat([int16(1), int16(-1), int16(0x4000), int16(3), int16(1230)]);
    expect(decodeBinaryNumber(1700, small)).toBe('-0.123');
    const notANumber = Buffer.concat([int16(0), int16(0), Buffer.from('c000', 'hex'), int16(0)]);
    expect(decodeBinaryNumber(1700, notANumber)).toBeNull();
  });

  it('writes masked numbers in binary format', () => {
    expect(encodeBinaryNumber(21, '1111')).toEqual(int16(1111));
    expect(encodeBinaryNumber(23, '999999999')).toEqual(int32(999999999));
    expect(encodeBinaryNumber(20, '952762643902226998')?.readBigInt64BE()).toBe(952762643902226998n);
    expect(encodeBinaryNumber(1700, '12345')).toEqual(
      Buffer.concat([int16(2), int16(1), int16(0), int16(0), int16(1), int16(2345)]),
    );
    expect(encodeBinaryNumber(1700, '0')).toEqual(Buffer.concat([int16(0), int16(0), int16(0), int16(0)]));
    expect(encodeBinaryNumber(1082, '1')).toBeNull();
  });
});
