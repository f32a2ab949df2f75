import { isUtf8 } from 'node:buffer';
import { type BoundParameter, ColumnType, LONG_DATA } from '@sluice/wire-mysql';
import { PARAMETER_JOURNAL_LIMIT } from './limits.js';

/**
 * A bound parameter as the journal shows it: numbers and temporal values in SQL's text form,
 * text as text, anything else as `\x` and hex; null for SQL NULL. Long values are cut.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value
 */
export function parameterText(parameter: BoundParameter, longData: Buffer | undefined): string | null {
  const { value } = parameter;
  if (value === null || parameter.type === ColumnType.null) return null;
  if (value === LONG_DATA) return longData ? bytesText(longData) : '';
  switch (parameter.type) {
    case ColumnType.tiny:
      return String(parameter.unsigned ? value.readUInt8(0) : value.readInt8(0));
    case ColumnType.short:
    case ColumnType.year:
      return String(parameter.unsigned ? value.readUInt16LE(0) : value.readInt16LE(0));
    case ColumnType.long:
    case ColumnType.int24:
      return String(parameter.unsigned ? value.readUInt32LE(0) : value.readInt32LE(0));
    case ColumnType.longlong:
      return String(parameter.unsigned ? value.readBigUInt64LE(0) : value.readBigInt64LE(0));
    case ColumnType.float:
      return String(value.readFloatLE(0));
    case ColumnType.double:
      return String(value.readDoubleLE(0));
    case ColumnType.date:
    case ColumnType.datetime:
    case ColumnType.timestamp:
      return dateText(value);
    case ColumnType.time:
      return timeText(value);
    default:
      return bytesText(value);
  }
}

function bytesText(bytes: Buffer): string {
  const shown = bytes.subarray(0, PARAMETER_JOURNAL_LIMIT);
  const cut = bytes.length > PARAMETER_JOURNAL_LIMIT ? '…' : '';
  if (isText(shown, cut !== '')) return `${shown.toString('utf8')}${cut}`;
  return `\\x${shown.toString('hex')}${cut}`;
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DELETE = 0x7f;

/** Control characters other than tab and line breaks mark binary data, even when it decodes. */
function hasControlCharacter(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte === DELETE) return true;
    if (byte < 0x20 && byte !== TAB && byte !== LINE_FEED && byte !== CARRIAGE_RETURN) return true;
  }
  return false;
}

/** Valid UTF-8 without control characters; a value cut at a byte count may end inside a character. */
function isText(bytes: Buffer, wasCut: boolean): boolean {
  if (hasControlCharacter(bytes)) return false;
  for (let cut = 0; cut <= (wasCut ? 3 : 0) && cut <= bytes.length; cut++) {
    if (isUtf8(bytes.subarray(0, bytes.length - cut))) return true;
  }
  return false;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** 0, 4, 7 or 11 bytes: year, month, day, then hour, minute, second, then microseconds. */
function dateText(value: Buffer): string {
  if (value.length === 0) return '0000-00-00 00:00:00';
  const date = `${pad(value.readUInt16LE(0), 4)}-${pad(value.readUInt8(2))}-${pad(value.readUInt8(3))}`;
  if (value.length === 4) return date;
  const time = `${pad(value.readUInt8(4))}:${pad(value.readUInt8(5))}:${pad(value.readUInt8(6))}`;
  const micros = value.length === 11 ? value.readUInt32LE(7) : 0;
  return micros === 0 ? `${date} ${time}` : `${date} ${time}.${pad(micros, 6)}`;
}

/** 0, 8 or 12 bytes: sign, days, hours, minutes, seconds, then microseconds. */
function timeText(value: Buffer): string {
  if (value.length === 0) return '00:00:00';
  const sign = value.readUInt8(0) === 1 ? '-' : '';
  const hours = value.readUInt32LE(1) * 24 + value.readUInt8(5);
  const time = `${sign}${pad(hours)}:${pad(value.readUInt8(6))}:${pad(value.readUInt8(7))}`;
  const micros = value.length === 12 ? value.readUInt32LE(8) : 0;
  return micros === 0 ? time : `${time}.${pad(micros, 6)}`;
}
