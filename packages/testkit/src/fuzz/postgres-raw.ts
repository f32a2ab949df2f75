import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { RawConnection } from './raw-connection.js';

/**
 * PostgreSQL frontend bytes built field by field, and a SCRAM-SHA-256 login, for fuzzing a
 * gateway through a socket. Independent of Sluice's own codecs on purpose.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

const PROTOCOL_3_0 = 196608;

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function cstr(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

export function pgTyped(letter: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([Buffer.from(letter, 'latin1'), int32(content.length + 4), content]);
}

export function pgUntyped(...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([int32(content.length + 4), content]);
}

export function pgStartup(user: string, database: string): Buffer {
  return pgUntyped(
    int32(PROTOCOL_3_0),
    cstr('user'),
    cstr(user),
    cstr('database'),
    cstr(database),
    Buffer.from([0]),
  );
}

export const pgSslRequest = (): Buffer => pgUntyped(int32(80877103));
export const pgCancelRequest = (pid: number, key: number): Buffer =>
  pgUntyped(int32(80877102), int32(pid), int32(key));
export const pgQuery = (sql: string): Buffer => pgTyped('Q', cstr(sql));
export const pgParse = (name: string, sql: string): Buffer =>
  pgTyped('P', cstr(name), cstr(sql), Buffer.from([0, 1]), int32(23));
export const pgBind = (portal: string, statement: string, value: string): Buffer =>
  pgTyped(
    'B',
    cstr(portal),
    cstr(statement),
    Buffer.from([0, 0, 0, 1]),
    int32(Buffer.byteLength(value)),
    Buffer.from(value),
    Buffer.from([0, 0]),
  );
export const pgDescribe = (portal: string): Buffer => pgTyped('D', Buffer.from('P'), cstr(portal));
export const pgExecute = (portal: string, rows: number): Buffer => pgTyped('E', cstr(portal), int32(rows));
export const pgSync = (): Buffer => pgTyped('S');
export const pgTerminate = (): Buffer => pgTyped('X');

/** One backend message as received. */
export interface PgMessage {
  readonly code: string;
  readonly body: Buffer;
}

/** Whole backend messages in `bytes` from `offset` (single-byte SSL answers are skipped by the caller). */
export function pgMessages(bytes: Buffer, offset = 0): PgMessage[] {
  const messages: PgMessage[] = [];
  let at = offset;
  while (bytes.length - at >= 5) {
    const length = bytes.readUInt32BE(at + 1);
    if (length < 4 || bytes.length - at - 1 < length) break;
    messages.push({
      code: String.fromCharCode(bytes[at] ?? 0),
      body: bytes.subarray(at + 5, at + 1 + length),
    });
    at += 1 + length;
  }
  return messages;
}

/** The fields of an ErrorResponse or NoticeResponse body, by field letter. */
export function pgErrorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const end = body.indexOf(0, at + 1);
    if (end === -1) break;
    fields.set(String.fromCharCode(body[at] ?? 0), body.toString('utf8', at + 1, end));
    at = end + 1;
  }
  return fields;
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** A logged-in raw PostgreSQL session; `offset` is where unread backend bytes start. */
export interface PgRawSession {
  readonly connection: RawConnection;
  offset: number;
}

/**
 * Logs in with SCRAM-SHA-256 and waits for the first ReadyForQuery. Throws with the server's
 * message when the login is refused.
 */
export async function pgLogin(
  port: number,
  user: string,
  password: string,
  database: string,
): Promise<PgRawSession> {
  const connection = await RawConnection.open(port);
  connection.write(pgStartup(user, database));
  const nonce = randomBytes(18).toString('base64');
  const clientFirstBare = `n=*,r=${nonce}`;
  const next = async (offset: number): Promise<{ message: PgMessage; end: number }> => {
    const found = await connection.until((bytes) => {
      const [message] = pgMessages(bytes, offset);
      return message ? { message, end: offset + 5 + message.body.length } : undefined;
    }, 10_000);
    if (!found) throw new Error('pgLogin: no answer from the server');
    if (found.message.code === 'E') throw new Error(`pgLogin: ${pgErrorFields(found.message.body).get('M')}`);
    return found;
  };
  let { message, end } = await next(0);
  connection.write(
    pgTyped(
      'p',
      cstr('SCRAM-SHA-256'),
      int32(`n,,${clientFirstBare}`.length),
      Buffer.from(`n,,${clientFirstBare}`),
    ),
  );
  ({ message, end } = await next(end));
  const serverFirst = message.body.subarray(4).toString('latin1');
  const attributes = new Map(serverFirst.split(',').map((part) => [part[0] ?? '', part.slice(2)]));
  const salted = pbkdf2Sync(
    password,
    Buffer.from(attributes.get('s') ?? '', 'base64'),
    Number(attributes.get('i')),
    32,
    'sha256',
  );
  const clientKey = hmac(salted, 'Client Key');
  const withoutProof = `c=biws,r=${attributes.get('r')}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
  const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
  connection.write(pgTyped('p', Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)));
  for (;;) {
    ({ message, end } = await next(end));
    if (message.code === 'Z') return { connection, offset: end };
  }
}

/**
 * Sends a simple Query and waits for its ReadyForQuery; returns the first column of each row
 * (text) or the error message.
 */
export async function pgSimpleQuery(
  session: PgRawSession,
  sql: string,
  timeoutMs = 10_000,
): Promise<{ readonly rows: string[] } | { readonly error: string }> {
  const start = session.offset;
  session.connection.write(pgQuery(sql));
  const messages = await session.connection.until((bytes) => {
    const found = pgMessages(bytes, start);
    return found.some((message) => message.code === 'Z') ? found : undefined;
  }, timeoutMs);
  if (!messages)
    return { error: session.connection.closed ? 'connection closed' : 'no ReadyForQuery in time' };
  let end = start;
  const rows: string[] = [];
  let error: string | undefined;
  for (const message of messages) {
    end += 5 + message.body.length;
    if (message.code === 'E') error = pgErrorFields(message.body).get('M') ?? 'error';
    if (message.code === 'D' && message.body.readInt16BE(0) > 0) {
      const length = message.body.readInt32BE(2);
      rows.push(length < 0 ? 'NULL' : message.body.toString('utf8', 6, 6 + length));
    }
    if (message.code === 'Z') break;
  }
  session.offset = end;
  return error === undefined ? { rows } : { error };
}
