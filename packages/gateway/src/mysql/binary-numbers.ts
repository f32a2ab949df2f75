import { ColumnFlag, ColumnType, type packets } from '@sluice/wire-mysql';

/**
 * Numbers in binary rows are fixed-width little-endian integers and floats, and decimals are
 * their text (ProtocolBinary::MYSQL_TYPE_*). Masking reads one as its decimal text and writes a
 * masked number (a non-negative integer) back in the column's own encoding.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html
 */
export function decodeBinaryNumber(definition: packets.ColumnDefinition41, bytes: Buffer): string | null {
  const unsigned = (definition.flags & ColumnFlag.unsigned) !== 0;
  switch (definition.type) {
    case ColumnType.tiny:
      return bytes.length === 1 ? String(unsigned ? bytes.readUInt8(0) : bytes.readInt8(0)) : null;
    case ColumnType.short:
      return bytes.length === 2 ? String(unsigned ? bytes.readUInt16LE(0) : bytes.readInt16LE(0)) : null;
    case ColumnType.long:
    case ColumnType.int24:
      return bytes.length === 4 ? String(unsigned ? bytes.readUInt32LE(0) : bytes.readInt32LE(0)) : null;
    case ColumnType.longlong:
      return bytes.length === 8
        ? String(unsigned ? bytes.readBigUInt64LE(0) : bytes.readBigInt64LE(0))
        : null;
    case ColumnType.float:
      return bytes.length === 4 ? String(bytes.readFloatLE(0)) : null;
    case ColumnType.double:
      return bytes.length === 8 ? String(bytes.readDoubleLE(0)) : null;
    case ColumnType.decimal:
    case ColumnType.newdecimal:
      return bytes.toString('latin1');
    default:
      return null;
  }
}

export function encodeBinaryNumber(definition: packets.ColumnDefinition41, text: string): Buffer | null {
  switch (definition.type) {
    case ColumnType.tiny:
      return Buffer.of(Number(text) & 0x7f);
    case ColumnType.short: {
      const out = Buffer.alloc(2);
      out.writeUInt16LE(Number(text));
      return out;
    }
    case ColumnType.long:
    case ColumnType.int24: {
      const out = Buffer.alloc(4);
      out.writeUInt32LE(Number(text));
      return out;
    }
    case ColumnType.longlong: {
      const out = Buffer.alloc(8);
      out.writeBigUInt64LE(BigInt(text));
      return out;
    }
    case ColumnType.float: {
      const out = Buffer.alloc(4);
      out.writeFloatLE(Number(text));
      return out;
    }
    case ColumnType.double: {
      const out = Buffer.alloc(8);
      out.writeDoubleLE(Number(text));
      return out;
    }
    case ColumnType.decimal:
    case ColumnType.newdecimal:
      return Buffer.from(text, 'latin1');
    default:
      return null;
  }
}
