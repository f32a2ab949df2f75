// Scalar values masking reads and writes in a form other than their text: bytea's text forms,
// and numbers in binary format (the types' send/recv functions).

/** bytea in text format: `\x` and hex digits, or the older escape format (bytea_output). */
export function decodeByteaText(text: string): Buffer {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  const bytes: number[] = [];
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code !== 0x5c) {
      bytes.push(code & 0xff);
    } else if (text[at + 1] === '\\') {
      bytes.push(0x5c);
      at++;
    } else {
      bytes.push(Number.parseInt(text.slice(at + 1, at + 4), 8) & 0xff);
      at += 3;
    }
  }
  return Buffer.from(bytes);
}

export function encodeByteaText(bytes: Buffer): string {
  return `\\x${bytes.toString('hex')}`;
}

const INT2 = 21;
const INT4 = 23;
const INT8 = 20;
const OID = 26;
const FLOAT4 = 700;
const FLOAT8 = 701;
const NUMERIC = 1700;

/** numeric's sign word for a positive value (numeric.c, NUMERIC_POS). */
const NUMERIC_POSITIVE = 0x0000;
const NUMERIC_NEGATIVE = 0x4000;
/** numeric stores base-10000 digits. */
const NBASE_DIGITS = 4;

/** A number type's binary value as its text; null for a type or value this cannot read. */
export function decodeBinaryNumber(typeOid: number, bytes: Buffer): string | null {
  switch (typeOid) {
    case INT2:
      return bytes.length === 2 ? String(bytes.readInt16BE(0)) : null;
    case INT4:
      return bytes.length === 4 ? String(bytes.readInt32BE(0)) : null;
    case OID:
      return bytes.length === 4 ? String(bytes.readUInt32BE(0)) : null;
    case INT8:
      return bytes.length === 8 ? String(bytes.readBigInt64BE(0)) : null;
    case FLOAT4:
      return bytes.length === 4 ? String(bytes.readFloatBE(0)) : null;
    case FLOAT8:
      return bytes.length === 8 ? String(bytes.readDoubleBE(0)) : null;
    case NUMERIC:
      return decodeNumeric(bytes);
    default:
      return null;
  }
}

/**
 * A non-negative integer (what a masked number is) as a binary value of the type; null when the
 * type is not one this writes.
 */
export function encodeBinaryNumber(typeOid: number, text: string): Buffer | null {
  const bytes = (size: number) => Buffer.alloc(size);
  switch (typeOid) {
    case INT2: {
      const out = bytes(2);
      out.writeInt16BE(Number(text));
      return out;
    }
    case INT4:
    case OID: {
      const out = bytes(4);
      out.writeUInt32BE(Number(text));
      return out;
    }
    case INT8: {
      const out = bytes(8);
      out.writeBigInt64BE(BigInt(text));
      return out;
    }
    case FLOAT4: {
      const out = bytes(4);
      out.writeFloatBE(Number(text));
      return out;
    }
    case FLOAT8: {
      const out = bytes(8);
      out.writeDoubleBE(Number(text));
      return out;
    }
    case NUMERIC:
      return encodeNumeric(text);
    default:
      return null;
  }
}

/** numeric_send: ndigits, weight, sign, dscale, then base-10000 digits; written as numeric_out would. */
function decodeNumeric(bytes: Buffer): string | null {
  if (bytes.length < 8) return null;
  const count = bytes.readInt16BE(0);
  const weight = bytes.readInt16BE(2);
  const sign = bytes.readUInt16BE(4);
  const scale = bytes.readInt16BE(6);
  if (bytes.length !== 8 + count * 2) return null;
  if (sign !== NUMERIC_POSITIVE && sign !== NUMERIC_NEGATIVE) return null;
  const digit = (index: number) => (index >= 0 && index < count ? bytes.readInt16BE(8 + index * 2) : 0);
  let integer = '';
  for (let index = 0; index <= weight; index++) {
    integer += index === 0 ? String(digit(index)) : String(digit(index)).padStart(NBASE_DIGITS, '0');
  }
  let fraction = '';
  for (let index = weight + 1; fraction.length < scale; index++) {
    fraction += String(digit(index)).padStart(NBASE_DIGITS, '0');
  }
  const text = (integer || '0') + (scale > 0 ? `.${fraction.slice(0, scale)}` : '');
  return sign === NUMERIC_NEGATIVE ? `-${text}` : text;
}

function encodeNumeric(text: string): Buffer {
  const digits = text.replace(/^0+/, '');
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= NBASE_DIGITS) {
    groups.unshift(Number(digits.slice(Math.max(0, end - NBASE_DIGITS), end)));
  }
  const out = Buffer.alloc(8 + groups.length * 2);
  out.writeInt16BE(groups.length, 0);
  out.writeInt16BE(Math.max(groups.length - 1, 0), 2);
  out.writeUInt16BE(NUMERIC_POSITIVE, 4);
  out.writeInt16BE(0, 6);
  groups.forEach((group, index) => {
    out.writeInt16BE(group, 8 + index * 2);
  });
  return out;
}
