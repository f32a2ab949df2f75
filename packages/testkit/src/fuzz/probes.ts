import type { FuzzCase } from './fuzz-cases.js';
import { mysqlPacketsInFrames } from './mysql-compressed.js';
import { mysqlError, mysqlLogin, mysqlPackets } from './mysql-raw.js';
import { pgErrorFields, pgLogin, pgMessages, pgStartup } from './postgres-raw.js';
import { RawConnection } from './raw-connection.js';
import { mysqlStreamShape, postgresStreamShape, type StreamShape } from './stream-shape.js';

/** A listener and an account that may log in through it. */
export interface FuzzTarget {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/**
 * How a fuzzed connection ended, seen from the client:
 * - `protocol-error`: an ErrorResponse / ERR packet, then the gateway closed the connection;
 * - `closed`: the gateway closed without a word;
 * - `answered`: still open and something was answered (a query that ran, or a server error);
 * - `waiting`: still open and silent, e.g. awaiting the rest of a frame whose length was declared.
 */
export type FuzzEnding = 'protocol-error' | 'closed' | 'answered' | 'waiting';

export interface FuzzOutcome {
  readonly ending: FuzzEnding;
  /** SQLSTATE or MySQL errno of the last error received, if any. */
  readonly code: string | undefined;
  readonly message: string | undefined;
  /** What breaks the rules: an error without a code, a message that does not start `sluice:`. */
  readonly problems: readonly string[];
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** How long a fuzzed connection is watched after its bytes are sent. */
export const SETTLE_MS = 1500;

function sendChunks(connection: RawConnection, chunks: readonly Buffer[]): void {
  for (const chunk of chunks) connection.write(chunk);
}

/** Skips the one-byte SSLRequest / GSSENCRequest answers, which have no frame header. */
function skipBareAnswers(bytes: Buffer, offset: number): number {
  let at = offset;
  while (at < bytes.length && (bytes[at] === 0x4e || bytes[at] === 0x53)) {
    const remaining = bytes.length - at - 1;
    const plausible =
      remaining >= 4 && bytes.readUInt32BE(at + 1) >= 4 && bytes.readUInt32BE(at + 1) <= remaining;
    if (plausible) break;
    at += 1;
  }
  return at;
}

export async function probePostgres(target: FuzzTarget, fuzz: FuzzCase): Promise<FuzzOutcome> {
  let connection: RawConnection;
  let offset = 0;
  if (fuzz.stage === 'after-login') {
    const session = await pgLogin(target.port, target.user, target.password, target.database);
    connection = session.connection;
    offset = session.offset;
  } else {
    connection = await RawConnection.open(target.port);
    if (fuzz.stage === 'after-startup') {
      connection.write(pgStartup(target.user, target.database));
      const asked = await connection.until((bytes) => (pgMessages(bytes)[0] ? true : undefined), 10_000);
      if (!asked) throw new Error('probePostgres: no authentication request after a valid startup');
      offset = 5 + (pgMessages(connection.bytes)[0]?.body.length ?? 0);
    }
  }
  try {
    sendChunks(connection, fuzz.chunks);
    const shape = postgresStreamShape(fuzz.stage, Buffer.concat(fuzz.chunks));
    const closed = await settle(connection, offset, shape);
    const messages = pgMessages(connection.bytes, skipBareAnswers(connection.bytes, offset));
    const errors = messages
      .filter((message) => message.code === 'E')
      .map((message) => pgErrorFields(message.body));
    const last = errors[errors.length - 1];
    const code = last?.get('C');
    const message = last?.get('M');
    const problems: string[] = [];
    for (const fields of errors) {
      if (!SQLSTATE.test(fields.get('C') ?? ''))
        problems.push(`ErrorResponse without a SQLSTATE: ${fields.get('M')}`);
    }
    if (closed && last && !message?.startsWith('sluice:')) {
      problems.push(`connection ended by an error not from Sluice: ${code} ${message}`);
    }
    const ending: FuzzEnding = closed
      ? last && messages[messages.length - 1]?.code === 'E'
        ? 'protocol-error'
        : 'closed'
      : connection.bytes.length > offset
        ? 'answered'
        : 'waiting';
    checkEnding(ending, shape, problems);
    return { ending, code, message, problems };
  } finally {
    connection.destroy();
  }
}

export async function probeMysql(target: FuzzTarget, fuzz: FuzzCase): Promise<FuzzOutcome> {
  let connection: RawConnection;
  let offset = 0;
  const compressed = fuzz.stage === 'after-compressed-login';
  if (fuzz.stage === 'after-login' || compressed) {
    const session = await mysqlLogin(target.port, target.user, target.password, target.database, compressed);
    connection = session.connection;
    offset = session.offset;
  } else {
    connection = await RawConnection.open(target.port);
    const greeting = await connection.until((bytes) => mysqlPackets(bytes)[0], 10_000);
    if (!greeting) throw new Error('probeMysql: no greeting');
    offset = 4 + greeting.payload.length;
  }
  try {
    sendChunks(connection, fuzz.chunks);
    const shape = mysqlStreamShape(fuzz.stage, Buffer.concat(fuzz.chunks));
    const closed = await settle(connection, offset, shape);
    const packets = compressed
      ? mysqlPacketsInFrames(connection.bytes, offset)
      : mysqlPackets(connection.bytes, offset);
    const errors = packets.flatMap((packet) => {
      const error = mysqlError(packet.payload);
      return error ? [error] : [];
    });
    const last = errors[errors.length - 1];
    const problems: string[] = [];
    for (const error of errors) {
      if (error.errno < 1000 || error.errno > 65534)
        problems.push(`ERR packet with errno ${error.errno}: ${error.message}`);
    }
    if (closed && last && !last.message.startsWith('sluice:')) {
      problems.push(`connection ended by an error not from Sluice: ${last.errno} ${last.message}`);
    }
    const lastPacket = packets[packets.length - 1];
    const ending: FuzzEnding = closed
      ? lastPacket && mysqlError(lastPacket.payload)
        ? 'protocol-error'
        : 'closed'
      : connection.bytes.length > offset
        ? 'answered'
        : 'waiting';
    checkEnding(ending, shape, problems);
    return { ending, code: last ? String(last.errno) : undefined, message: last?.message, problems };
  } finally {
    connection.destroy();
  }
}

/** Time a gateway that owes an answer gets beyond SETTLE_MS before its silence counts as a hang. */
const GRACE_MS = 5000;

/**
 * Watches the connection for SETTLE_MS; a gateway still silent where an answer is due gets
 * GRACE_MS more, so a machine busy for a moment is not taken for a hang. True when it closed.
 */
async function settle(connection: RawConnection, offset: number, shape: StreamShape): Promise<boolean> {
  if (await connection.waitClosed(SETTLE_MS)) return true;
  if (shape.mayWait || connection.bytes.length > offset) return false;
  await connection.until((bytes) => (bytes.length > offset ? true : undefined), GRACE_MS);
  return connection.closed || (await connection.waitClosed(100));
}

/**
 * A silent close is right only when the client asked for it (Terminate, COM_QUIT, a
 * CancelRequest, which is never answered); silence is right only while a frame is incomplete
 * or nothing sent calls for an answer.
 */
function checkEnding(ending: FuzzEnding, shape: StreamShape, problems: string[]): void {
  if (ending === 'closed' && !shape.asksToClose) problems.push('closed without an error message');
  if (ending === 'waiting' && !shape.mayWait) problems.push('no answer to a complete message');
}
