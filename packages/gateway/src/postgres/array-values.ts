// Array values on the PostgreSQL wire, as pure codecs: the text form array_out writes and
// array_in reads (arrays.html, "Array Value Input"), and the binary form of array_send.

/** One level of a text array: elements (null for NULL) or the sub-arrays of a deeper dimension. */
export type ArrayItems = (string | null | ArrayItems)[];

export interface ArrayText {
  /** Explicit bounds written before the value (`[0:1]=`), kept as they are; usually empty. */
  readonly bounds: string;
  readonly items: ArrayItems;
}

const WHITESPACE = /\s/;

/** Reads `{a,"b c",NULL,{…}}`; null when the text is not one well-formed array. */
export function parseArrayText(text: string, delimiter: string): ArrayText | null {
  let bounds = '';
  let at = 0;
  if (text.startsWith('[')) {
    const equals = text.indexOf('=');
    if (equals < 0) return null;
    bounds = text.slice(0, equals + 1);
    at = equals + 1;
  }
  const reader = { text, at, delimiter };
  const items = readLevel(reader);
  if (items === null || reader.at !== text.length) return null;
  return { bounds, items };
}

interface Reader {
  readonly text: string;
  at: number;
  readonly delimiter: string;
}

function readLevel(reader: Reader): ArrayItems | null {
  const { text, delimiter } = reader;
  if (text[reader.at] !== '{') return null;
  reader.at++;
  const items: ArrayItems = [];
  skipSpace(reader);
  if (text[reader.at] === '}') {
    reader.at++;
    return items;
  }
  for (;;) {
    skipSpace(reader);
    if (text[reader.at] === '{') {
      const level = readLevel(reader);
      if (level === null) return null;
      items.push(level);
    } else {
      const element = readElement(reader);
      if (element === undefined) return null;
      items.push(element);
    }
    skipSpace(reader);
    const next = text[reader.at++];
    if (next === '}') return items;
    if (next !== delimiter) return null;
  }
}

/**
 * One element: quoted, or unquoted up to the delimiter or `}` (`NULL` unquoted is NULL);
 * undefined when a quote is not closed.
 */
function readElement(reader: Reader): string | null | undefined {
  const { text, delimiter } = reader;
  let value = '';
  let quoted = false;
  let sawQuote = false;
  for (; reader.at < text.length; reader.at++) {
    const char = text[reader.at] as string;
    if (char === '\\') {
      value += text[++reader.at] ?? '';
      continue;
    }
    if (char === '"') {
      quoted = !quoted;
      sawQuote = true;
      continue;
    }
    if (!quoted && (char === delimiter || char === '}')) break;
    value += char;
  }
  if (quoted) return undefined;
  if (sawQuote) return value;
  const trimmed = value.trim();
  return trimmed.toUpperCase() === 'NULL' ? null : trimmed;
}

function skipSpace(reader: Reader): void {
  while (reader.at < reader.text.length && WHITESPACE.test(reader.text[reader.at] as string)) reader.at++;
}

/** Writes an array as array_out does: elements quoted when they must be. */
export function formatArrayText(array: ArrayText, delimiter: string): string {
  return array.bounds + formatLevel(array.items, delimiter);
}

function formatLevel(items: ArrayItems, delimiter: string): string {
  const parts = items.map((item) => {
    if (item === null) return 'NULL';
    if (Array.isArray(item)) return formatLevel(item, delimiter);
    return needsQuotes(item, delimiter) ? `"${item.replace(/["\\]/g, '\\$&')}"` : item;
  });
  return `{${parts.join(delimiter)}}`;
}

function needsQuotes(value: string, delimiter: string): boolean {
  return (
    value === '' || /[{}"\\\s]/.test(value) || value.includes(delimiter) || value.toUpperCase() === 'NULL'
  );
}

/** An array in binary format (array_send): dimensions, element type, then each element. */
export interface ArrayBinary {
  readonly dimensions: number;
  readonly elementOid: number;
  /** Each dimension's size and lower bound, 8 bytes a dimension, kept as they are. */
  readonly bounds: Buffer;
  readonly elements: readonly (Buffer | null)[];
}

/** Null when the bytes are not one well-formed array. */
export function parseArrayBinary(bytes: Buffer): ArrayBinary | null {
  if (bytes.length < 12) return null;
  const dimensions = bytes.readInt32BE(0);
  const elementOid = bytes.readUInt32BE(8);
  const boundsEnd = 12 + dimensions * 8;
  if (dimensions < 0 || dimensions > 6 || bytes.length < boundsEnd) return null;
  let count = dimensions === 0 ? 0 : 1;
  for (let dimension = 0; dimension < dimensions; dimension++) count *= bytes.readInt32BE(12 + dimension * 8);
  const elements: (Buffer | null)[] = [];
  let at = boundsEnd;
  for (let index = 0; index < count; index++) {
    if (at + 4 > bytes.length) return null;
    const length = bytes.readInt32BE(at);
    at += 4;
    if (length < 0) {
      elements.push(null);
      continue;
    }
    if (at + length > bytes.length) return null;
    elements.push(bytes.subarray(at, at + length));
    at += length;
  }
  if (at !== bytes.length) return null;
  return { dimensions, elementOid, bounds: bytes.subarray(12, boundsEnd), elements };
}

export function formatArrayBinary(array: ArrayBinary): Buffer {
  let length = 12 + array.bounds.length;
  for (const element of array.elements) length += 4 + (element?.length ?? 0);
  const bytes = Buffer.allocUnsafe(length);
  bytes.writeInt32BE(array.dimensions, 0);
  bytes.writeInt32BE(array.elements.includes(null) ? 1 : 0, 4);
  bytes.writeUInt32BE(array.elementOid, 8);
  let at = 12 + array.bounds.copy(bytes, 12);
  for (const element of array.elements) {
    at = bytes.writeInt32BE(element === null ? -1 : element.length, at);
    if (element !== null) at += element.copy(bytes, at);
  }
  return bytes;
}
