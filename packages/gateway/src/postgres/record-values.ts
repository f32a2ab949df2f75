// Composite (row) values on the PostgreSQL wire, as pure codecs: the text form record_out
// writes and record_in reads (rowtypes.html, "Composite Type Input and Output Syntax"), and the
// binary form of record_send.

/** Reads `(1,"a b",,"x""y")` into its fields, null for NULL; null when it is not one row value. */
export function parseRecordText(text: string): (string | null)[] | null {
  if (!text.startsWith('(') || !text.endsWith(')')) return null;
  const fields: (string | null)[] = [];
  let value = '';
  let quoted = false;
  let empty = true;
  for (let at = 1; at < text.length - 1; at++) {
    const char = text[at] as string;
    if (char === '\\') {
      value += text[++at] ?? '';
      empty = false;
    } else if (char === '"') {
      // Inside quotes, a doubled quote is one quote character.
      if (quoted && text[at + 1] === '"') {
        value += '"';
        at++;
      } else {
        quoted = !quoted;
      }
      empty = false;
    } else if (char === ',' && !quoted) {
      fields.push(empty ? null : value);
      value = '';
      empty = true;
    } else {
      value += char;
      empty = false;
    }
  }
  if (quoted) return null;
  fields.push(empty ? null : value);
  return fields;
}

/** Writes a row value as record_out does: a field is quoted when it must be. */
export function formatRecordText(fields: readonly (string | null)[]): string {
  const parts = fields.map((field) => {
    if (field === null) return '';
    if (field !== '' && !/[(),"\\\s]/.test(field)) return field;
    return `"${field.replace(/["\\]/g, '$&$&')}"`;
  });
  return `(${parts.join(',')})`;
}

/** One field of a binary row value: its type and its bytes (null for NULL). */
export interface RecordField {
  readonly typeOid: number;
  readonly value: Buffer | null;
}

/** Null when the bytes are not one well-formed row value. */
export function parseRecordBinary(bytes: Buffer): RecordField[] | null {
  if (bytes.length < 4) return null;
  const count = bytes.readInt32BE(0);
  const fields: RecordField[] = [];
  let at = 4;
  for (let index = 0; index < count; index++) {
    if (at + 8 > bytes.length) return null;
    const typeOid = bytes.readUInt32BE(at);
    const length = bytes.readInt32BE(at + 4);
    at += 8;
    if (length < 0) {
      fields.push({ typeOid, value: null });
      continue;
    }
    if (at + length > bytes.length) return null;
    fields.push({ typeOid, value: bytes.subarray(at, at + length) });
    at += length;
  }
  return at === bytes.length ? fields : null;
}

export function formatRecordBinary(fields: readonly RecordField[]): Buffer {
  let length = 4;
  for (const field of fields) length += 8 + (field.value?.length ?? 0);
  const bytes = Buffer.allocUnsafe(length);
  let at = bytes.writeInt32BE(fields.length, 0);
  for (const field of fields) {
    at = bytes.writeUInt32BE(field.typeOid, at);
    at = bytes.writeInt32BE(field.value === null ? -1 : field.value.length, at);
    if (field.value !== null) at += field.value.copy(bytes, at);
  }
  return bytes;
}
