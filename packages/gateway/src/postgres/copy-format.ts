/**
 * Rows of COPY … TO STDOUT in text and CSV format (sql-copy.html, "File Formats"): one row per
 * CopyData message from the server, fields split by a delimiter, NULL written as `\N` (text) or
 * an unquoted empty field (CSV).
 */
export interface CopyFormat {
  readonly csv: boolean;
  readonly delimiter: string;
  readonly header: boolean;
}

/** The options of a COPY statement's text that change how its rows read. */
export function copyFormatOf(text: string): CopyFormat {
  const csv = /\bcsv\b/i.test(text);
  const delimiter = /\bdelimiter\s+(?:as\s+)?'([^'])'/i.exec(text)?.[1] ?? (csv ? ',' : '\t');
  const header = /\bheader\b(?!\s+(?:false|off|0)\b)/i.test(text);
  return { csv, delimiter, header };
}

/** A row's fields, null for NULL; null when the line is not one well-formed row. */
export function parseCopyRow(line: string, format: CopyFormat): (string | null)[] | null {
  const body = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
  return format.csv ? parseCsv(body, format.delimiter) : parseText(body, format.delimiter);
}

export function formatCopyRow(fields: readonly (string | null)[], format: CopyFormat): string {
  const encoded = fields.map((field) =>
    format.csv ? csvField(field, format.delimiter) : textField(field, format.delimiter),
  );
  return `${encoded.join(format.delimiter)}\n`;
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function parseText(body: string, delimiter: string): (string | null)[] | null {
  const fields: (string | null)[] = [];
  let field = '';
  let raw = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index] ?? '';
    if (char === delimiter) {
      fields.push(raw === '\\N' ? null : field);
      field = '';
      raw = '';
      continue;
    }
    raw += char;
    if (char !== '\\') {
      field += char;
      continue;
    }
    const next = body[++index];
    if (next === undefined) return null;
    raw += next;
    const octal = /^[0-7]{1,3}/.exec(body.slice(index, index + 3))?.[0];
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(body.slice(index + 1, index + 3))?.[0] : undefined;
    if (octal !== undefined) {
      field += String.fromCharCode(Number.parseInt(octal, 8));
      index += octal.length - 1;
    } else if (hex !== undefined) {
      field += String.fromCharCode(Number.parseInt(hex, 16));
      index += hex.length;
    } else {
      field += TEXT_ESCAPES[next] ?? next;
    }
  }
  fields.push(raw === '\\N' ? null : field);
  return fields;
}

function textField(field: string | null, delimiter: string): string {
  if (field === null) return '\\N';
  let out = '';
  for (const char of field) {
    if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === delimiter) out += `\\${char === '\t' ? 't' : char}`;
    else out += char;
  }
  return out;
}

function parseCsv(body: string, delimiter: string): (string | null)[] | null {
  const fields: (string | null)[] = [];
  let index = 0;
  for (;;) {
    if (body[index] === '"') {
      let value = '';
      index++;
      for (;;) {
        const quote = body.indexOf('"', index);
        if (quote < 0) return null;
        value += body.slice(index, quote);
        if (body[quote + 1] === '"') {
          value += '"';
          index = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const end = body.indexOf(delimiter, index);
      const value = body.slice(index, end < 0 ? body.length : end);
      fields.push(value === '' ? null : value);
      index = end < 0 ? body.length : end;
    }
    if (index >= body.length) return fields;
    if (body[index] !== delimiter) return null;
    index++;
    if (index === body.length) {
      fields.push(null);
      return fields;
    }
  }
}

function csvField(field: string | null, delimiter: string): string {
  if (field === null) return '';
  if (field === '' || /["\r\n]/.test(field) || field.includes(delimiter) || field === '\\.') {
    return `"${field.replaceAll('"', '""')}"`;
  }
  return field;
}
