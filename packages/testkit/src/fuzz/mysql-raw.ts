import { createHash } from 'node:crypto';
import { RawConnection } from './raw-connection.js';

/**
 * MySQL client bytes built field by field, and a mysql_native_password login, for fuzzing a
 * gateway through a socket. Independent of Sluice's own codecs on purpose.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 */

// CLIENT_LONG_PASSWORD | CONNECT_WITH_DB | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | MULTI_RESULTS | PLUGIN_AUTH
export const MYSQL_CLIENT_CAPABILITIES = 0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000;
const CLIENT_SSL = 0x800;
const COM_QUERY = 0x03;
const COM_STMT_PREPARE = 0x16;
const COM_PING = 0x0e;

export function mysqlPacket(sequenceId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequenceId & 0xff;
  return Buffer.concat([header, payload]);
}

function int4(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

function nulstr(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

function sha1(...parts: Buffer[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** SHA1(password) XOR SHA1(seed + SHA1(SHA1(password))). */
export function nativeScramble(password: string, seed: Buffer): Buffer {
  const once = sha1(Buffer.from(password, 'utf8'));
  const mixed = sha1(seed, sha1(once));
  return Buffer.from(once.map((byte, index) => byte ^ (mixed[index] ?? 0)));
}

/** CLIENT_COMPRESS: after the login's OK, both ways travel in compressed frames. */
export const CLIENT_COMPRESS = 0x20;

export function mysqlHandshakeResponse(
  user: string,
  authResponse: Buffer,
  database: string,
  extraCapabilities = 0,
): Buffer {
  return Buffer.concat([
    int4(MYSQL_CLIENT_CAPABILITIES | extraCapabilities),
    int4(16 * 1024 * 1024),
    Buffer.from([45]),
    Buffer.alloc(23),
    nulstr(user),
    Buffer.from([authResponse.length]),
    authResponse,
    nulstr(database),
    nulstr('mysql_native_password'),
  ]);
}

export function mysqlSslRequest(): Buffer {
  return Buffer.concat([
    int4(MYSQL_CLIENT_CAPABILITIES | CLIENT_SSL),
    int4(16 * 1024 * 1024),
    Buffer.from([45]),
    Buffer.alloc(23),
  ]);
}

export const mysqlComQuery = (sql: string): Buffer =>
  Buffer.concat([Buffer.from([COM_QUERY]), Buffer.from(sql, 'utf8')]);
export const mysqlComStmtPrepare = (sql: string): Buffer =>
  Buffer.concat([Buffer.from([COM_STMT_PREPARE]), Buffer.from(sql, 'utf8')]);
export const mysqlComPing = (): Buffer => Buffer.from([COM_PING]);

/** One physical packet as received. */
export interface MysqlRawPacket {
  readonly sequenceId: number;
  readonly payload: Buffer;
}

export function mysqlPackets(bytes: Buffer, offset = 0): MysqlRawPacket[] {
  const packets: MysqlRawPacket[] = [];
  let at = offset;
  while (bytes.length - at >= 4) {
    const length = bytes.readUIntLE(at, 3);
    if (bytes.length - at - 4 < length) break;
    packets.push({ sequenceId: bytes[at + 3] ?? 0, payload: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return packets;
}

/** errno, SQLSTATE and message of an ERR packet payload, or undefined for any other payload. */
export function mysqlError(
  payload: Buffer,
): { errno: number; sqlState: string; message: string } | undefined {
  if (payload[0] !== 0xff || payload.length < 3) return undefined;
  const errno = payload.readUInt16LE(1);
  const marked = payload[3] === 0x23;
  return {
    errno,
    sqlState: marked ? payload.toString('latin1', 4, 9) : '',
    message: payload.toString('utf8', marked ? 9 : 3),
  };
}

/** The 20-byte seed of an initial handshake (protocol 10) payload. */
export function greetingSeed(payload: Buffer): Buffer {
  const versionEnd = payload.indexOf(0, 1);
  const first = payload.subarray(versionEnd + 5, versionEnd + 13);
  const second = payload.subarray(versionEnd + 13 + 19, versionEnd + 13 + 19 + 12);
  return Buffer.concat([first, second]);
}

export interface MysqlRawSession {
  readonly connection: RawConnection;
  offset: number;
}

async function nextPacket(
  connection: RawConnection,
  offset: number,
): Promise<{ packet: MysqlRawPacket; end: number }> {
  const found = await connection.until((bytes) => {
    const [packet] = mysqlPackets(bytes, offset);
    return packet ? { packet, end: offset + 4 + packet.payload.length } : undefined;
  }, 10_000);
  if (!found) throw new Error('mysqlLogin: no answer from the server');
  const error = mysqlError(found.packet.payload);
  if (error) throw new Error(`mysqlLogin: ${error.errno} ${error.message}`);
  return found;
}

/**
 * Logs in with mysql_native_password (answering one AuthSwitchRequest if asked); with
 * `compress`, asks for CLIENT_COMPRESS, so everything after the login's OK is in compressed frames.
 */
export async function mysqlLogin(
  port: number,
  user: string,
  password: string,
  database: string,
  compress = false,
): Promise<MysqlRawSession> {
  const connection = await RawConnection.open(port);
  let { packet, end } = await nextPacket(connection, 0);
  connection.write(
    mysqlPacket(
      1,
      mysqlHandshakeResponse(
        user,
        nativeScramble(password, greetingSeed(packet.payload)),
        database,
        compress ? CLIENT_COMPRESS : 0,
      ),
    ),
  );
  ({ packet, end } = await nextPacket(connection, end));
  if (packet.payload[0] === 0xfe) {
    const nameEnd = packet.payload.indexOf(0, 1);
    const seed = packet.payload.subarray(nameEnd + 1, nameEnd + 21);
    connection.write(mysqlPacket(packet.sequenceId + 1, nativeScramble(password, seed)));
    ({ packet, end } = await nextPacket(connection, end));
  }
  if (packet.payload[0] !== 0x00)
    throw new Error(`mysqlLogin: unexpected packet 0x${packet.payload[0]?.toString(16)}`);
  return { connection, offset: end };
}

/**
 * Sends COM_QUERY and reads a text result set (column count, definitions, EOF, rows, EOF) or
 * an OK / ERR; returns the first column of each row.
 */
export async function mysqlSimpleQuery(
  session: MysqlRawSession,
  sql: string,
  timeoutMs = 10_000,
): Promise<{ readonly rows: string[] } | { readonly error: string }> {
  const start = session.offset;
  session.connection.write(mysqlPacket(0, mysqlComQuery(sql)));
  const result = await session.connection.until((bytes) => {
    const packets = mysqlPackets(bytes, start);
    const first = packets[0];
    if (!first) return undefined;
    if (first.payload[0] === 0x00 || first.payload[0] === 0xff) return packets.slice(0, 1);
    let eofs = 0;
    for (let index = 1; index < packets.length; index += 1) {
      const payload = (packets[index] as MysqlRawPacket).payload;
      if (payload[0] === 0xff) return packets.slice(0, index + 1);
      if (payload[0] === 0xfe && payload.length < 9 && ++eofs === 2) return packets.slice(0, index + 1);
    }
    return undefined;
  }, timeoutMs);
  if (!result)
    return { error: session.connection.closed ? 'connection closed' : 'no complete result in time' };
  session.offset = start + result.reduce((sum, packet) => sum + 4 + packet.payload.length, 0);
  const last = result[result.length - 1] as MysqlRawPacket;
  const error = mysqlError(last.payload);
  if (error) return { error: error.message };
  const columns = result[0]?.payload[0] ?? 0;
  const rows: string[] = [];
  for (const packet of result.slice(1 + columns + 1, -1)) {
    const length = packet.payload[0] ?? 0;
    rows.push(length === 0xfb ? 'NULL' : packet.payload.toString('utf8', 1, 1 + length));
  }
  return { rows };
}
