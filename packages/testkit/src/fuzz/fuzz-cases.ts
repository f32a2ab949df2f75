import fc from 'fast-check';
import { mutatedBytes } from './byte-mutations.js';
import { mysqlCompressedFrame } from './mysql-compressed.js';
import {
  mysqlComPing,
  mysqlComQuery,
  mysqlComStmtPrepare,
  mysqlPacket,
  mysqlSslRequest,
} from './mysql-raw.js';
import {
  pgBind,
  pgCancelRequest,
  pgDescribe,
  pgExecute,
  pgParse,
  pgQuery,
  pgSslRequest,
  pgStartup,
  pgSync,
  pgTyped,
} from './postgres-raw.js';

/**
 * Where a fuzzed byte stream is sent: `before-login` on a fresh connection (startup phase),
 * `after-startup` after a valid startup message (while the gateway awaits authentication),
 * `after-login` on a logged-in session, `after-compressed-login` on a MySQL session that
 * negotiated CLIENT_COMPRESS (the bytes are compressed frames).
 */
export type FuzzStage = 'before-login' | 'after-startup' | 'after-login' | 'after-compressed-login';

export interface FuzzCase {
  readonly stage: FuzzStage;
  /** What the bytes were made from, for the report. */
  readonly label: string;
  /** Chunks written one after the other, as separate writes. */
  readonly chunks: readonly Buffer[];
}

const garbage = fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => Buffer.from(bytes));

function splitInto(bytes: Buffer, cut: number): Buffer[] {
  if (bytes.length < 2) return [bytes];
  const at = 1 + (cut % (bytes.length - 1));
  return [bytes.subarray(0, at), bytes.subarray(at)];
}

function fuzzCase(stage: FuzzStage, label: string, bytes: fc.Arbitrary<Buffer>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(bytes, fc.nat(), fc.boolean())
    .map(([payload, cut, split]) => ({ stage, label, chunks: split ? splitInto(payload, cut) : [payload] }));
}

/** Fuzz cases for a PostgreSQL listener; `user` and `database` make the startups valid before mutation. */
export function postgresFuzzCases(user: string, database: string): fc.Arbitrary<FuzzCase> {
  const startup = pgStartup(user, database);
  const pipeline = Buffer.concat([
    pgParse('s1', 'SELECT $1::int'),
    pgBind('', 's1', '42'),
    pgDescribe(''),
    pgExecute('', 0),
    pgSync(),
  ]);
  return fc.oneof(
    fuzzCase('before-login', 'mutated StartupMessage', mutatedBytes(startup)),
    fuzzCase('before-login', 'mutated SSLRequest', mutatedBytes(pgSslRequest())),
    fuzzCase('before-login', 'mutated CancelRequest', mutatedBytes(pgCancelRequest(1234, 5678))),
    fuzzCase('before-login', 'random bytes', garbage),
    fuzzCase('after-startup', 'garbage after startup', garbage),
    fuzzCase(
      'after-startup',
      'mutated SASLInitialResponse',
      mutatedBytes(
        pgTyped('p', Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, 12]), Buffer.from('n,,n=*,r=abc')),
      ),
    ),
    fuzzCase('after-login', 'mutated Query', mutatedBytes(pgQuery('SELECT 1 AS one'))),
    fuzzCase('after-login', 'mutated extended-protocol pipeline', mutatedBytes(pipeline)),
    fuzzCase('after-login', 'garbage after login', garbage),
  );
}

/** Fuzz cases for a MySQL listener. */
export function mysqlFuzzCases(): fc.Arbitrary<FuzzCase> {
  const handshake = mysqlPacket(
    1,
    Buffer.concat([
      Buffer.from([0x8d, 0xa2, 0x0a, 0x00]),
      Buffer.from([0, 0, 0, 1, 45]),
      Buffer.alloc(23),
      Buffer.from('fuzzer\0'),
      Buffer.from([20]),
      Buffer.alloc(20, 7),
      Buffer.from('db\0mysql_native_password\0'),
    ]),
  );
  const changeUser = Buffer.concat([
    Buffer.from([0x11]),
    Buffer.from('fuzzer\0'),
    Buffer.from([20]),
    Buffer.alloc(20, 7),
    Buffer.from('db\0'),
    Buffer.from([45, 0]),
    Buffer.from('mysql_native_password\0'),
  ]);
  // Statement 1, no cursor, one iteration, one non-NULL LONGLONG parameter bound now.
  const stmtExecute = Buffer.concat([
    Buffer.from([0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0x08, 0]),
    Buffer.from([42, 0, 0, 0, 0, 0, 0, 0]),
  ]);
  const longQuery = mysqlPacket(0, mysqlComQuery(`SELECT 1 AS one /* ${'padding '.repeat(8)} */`));
  const shortQuery = mysqlPacket(0, mysqlComQuery('SELECT 1'));
  return fc.oneof(
    fuzzCase('after-startup', 'mutated HandshakeResponse41', mutatedBytes(handshake)),
    fuzzCase('after-startup', 'mutated SSLRequest', mutatedBytes(mysqlPacket(1, mysqlSslRequest()))),
    fuzzCase('after-startup', 'garbage after greeting', garbage),
    fuzzCase(
      'after-login',
      'mutated COM_QUERY',
      mutatedBytes(mysqlPacket(0, mysqlComQuery('SELECT 1 AS one'))),
    ),
    fuzzCase(
      'after-login',
      'mutated COM_STMT_PREPARE',
      mutatedBytes(mysqlPacket(0, mysqlComStmtPrepare('SELECT ? + 1'))),
    ),
    fuzzCase('after-login', 'mutated COM_PING', mutatedBytes(mysqlPacket(0, mysqlComPing()))),
    fuzzCase('after-login', 'garbage after login', garbage),
    fuzzCase('after-login', 'mutated COM_CHANGE_USER', mutatedBytes(mysqlPacket(0, changeUser))),
    fuzzCase('after-login', 'mutated COM_STMT_EXECUTE', mutatedBytes(mysqlPacket(0, stmtExecute))),
    fuzzCase(
      'after-compressed-login',
      'mutated deflated frame',
      mutatedBytes(mysqlCompressedFrame(0, longQuery, true)),
    ),
    fuzzCase(
      'after-compressed-login',
      'mutated stored frame',
      mutatedBytes(mysqlCompressedFrame(0, shortQuery, false)),
    ),
  );
}

/** `count` cases drawn deterministically from `seed`. */
export function sampleCases(cases: fc.Arbitrary<FuzzCase>, seed: number, count: number): FuzzCase[] {
  return fc.sample(cases, { seed, numRuns: count });
}
