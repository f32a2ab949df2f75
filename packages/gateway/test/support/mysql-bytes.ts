/**
 * Hand-written MySQL server packets for byte tests, built without the codecs under test: every
 * field is spelled out as the protocol documents it.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html
 */

/** One physical packet: 3-byte little-endian length, sequence id, payload. */
export function packet(sequenceId: number, payload: readonly number[] | Buffer): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.from([
    body.length & 0xff,
    (body.length >> 8) & 0xff,
    (body.length >> 16) & 0xff,
    sequenceId,
  ]);
  return Buffer.concat([header, body]);
}

const text = (value: string): number[] => [...Buffer.from(value, 'latin1')];
const lenencText = (value: string): number[] => [value.length, ...text(value)];
const uint16 = (value: number): number[] => [value & 0xff, value >> 8];

export const SERVER_STATUS_AUTOCOMMIT = 0x0002;
export const SERVER_MORE_RESULTS_EXISTS = 0x0008;
export const SERVER_STATUS_CURSOR_EXISTS = 0x0040;
export const SERVER_STATUS_LAST_ROW_SENT = 0x0080;

export const columnCount = (count: number): number[] => [count];

/** A VAR_STRING column named `name` (ColumnDefinition41). */
export function columnDefinition(name: string): number[] {
  return [
    ...lenencText('def'),
    ...lenencText('app'),
    ...lenencText('t'),
    ...lenencText('t'),
    ...lenencText(name),
    ...lenencText(name),
    0x0c,
    ...uint16(45),
    0xff,
    0,
    0,
    0,
    0xfd,
    ...uint16(0),
    0,
    0,
    0,
  ];
}

/** Classic EOF: 0xFE, warnings, status. */
export const eof = (status = SERVER_STATUS_AUTOCOMMIT): number[] => [0xfe, 0, 0, ...uint16(status)];

/** OK (or with `header` 0xFE the end of rows under CLIENT_DEPRECATE_EOF); single-byte lengths. */
export function ok(affectedRows: number, status = SERVER_STATUS_AUTOCOMMIT, header = 0x00): number[] {
  return [header, affectedRows, 0, ...uint16(status), 0, 0];
}

export const textRow = (...values: string[]): number[] => values.flatMap(lenencText);

/** A binary row: header 0x00, NULL bitmap (offset 2), then values. */
export const binaryRow = (value: string): number[] => [0x00, 0x00, ...lenencText(value)];

export function err(code: number, sqlState: string, message: string): number[] {
  return [0xff, ...uint16(code), ...text('#'), ...text(sqlState), ...text(message)];
}

/** COM_STMT_PREPARE_OK: statement id, column count, parameter count, filler, warnings. */
export function prepareOk(statementId: number, columns: number, parameters: number): number[] {
  return [0x00, statementId, 0, 0, 0, ...uint16(columns), ...uint16(parameters), 0, 0, 0];
}

export const localInfileRequest = (file: string): number[] => [0xfb, ...text(file)];
