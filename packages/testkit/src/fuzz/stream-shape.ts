import { inflateSync } from 'node:zlib';
import type { FuzzStage } from './fuzz-cases.js';

/**
 * What a fuzzed client byte stream means once framed the way the gateway must frame it: whether
 * it asks to close (so a silent close is the protocol's answer) and whether a silent gateway is
 * right to wait (the stream ends inside a frame, or holds nothing that calls for an answer).
 */
export interface StreamShape {
  readonly asksToClose: boolean;
  readonly mayWait: boolean;
}

const CANCEL_REQUEST = 80877102;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
/** Frames after which PostgreSQL answers: Query, Sync, Flush, FunctionCall, CopyDone, CopyFail. */
const PG_ANSWERED = new Set(['Q', 'S', 'H', 'F', 'c', 'f']);

export function postgresStreamShape(stage: FuzzStage, bytes: Buffer): StreamShape {
  let untyped = stage === 'before-login';
  let at = 0;
  let asksToClose = false;
  let answerDue = false;
  for (;;) {
    const header = untyped ? 4 : 5;
    if (bytes.length - at < header) return { asksToClose, mayWait: at < bytes.length || !answerDue };
    const length = bytes.readUInt32BE(untyped ? at : at + 1);
    const total = untyped ? length : length + 1;
    if (length < 4 || bytes.length - at < total) return { asksToClose, mayWait: true };
    if (untyped) {
      const code = length >= 8 ? bytes.readUInt32BE(at + 4) : 0;
      if (code === CANCEL_REQUEST) return { asksToClose: true, mayWait: false };
      if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) {
        untyped = false;
        answerDue = true;
      }
    } else {
      const letter = String.fromCharCode(bytes[at] ?? 0);
      if (letter === 'X') asksToClose = true;
      if (PG_ANSWERED.has(letter) || stage === 'after-startup') answerDue = true;
    }
    at += total;
  }
}

const COM_QUIT = 0x01;
/** Commands the server does not answer. */
const MYSQL_UNANSWERED = new Set([0x18, 0x19]);
const SSL_REQUEST_PAYLOAD_BYTES = 32;

export function mysqlStreamShape(stage: FuzzStage, bytes: Buffer): StreamShape {
  if (stage === 'after-compressed-login') return compressedStreamShape(bytes);
  let at = 0;
  let asksToClose = false;
  let answerDue = false;
  for (;;) {
    if (bytes.length - at < 4) return { asksToClose, mayWait: at < bytes.length || !answerDue };
    const length = bytes.readUIntLE(at, 3);
    if (bytes.length - at - 4 < length) return { asksToClose, mayWait: true };
    const first = bytes[at + 4];
    if (stage === 'after-login') {
      if (first === COM_QUIT) asksToClose = true;
      if (first === undefined || !MYSQL_UNANSWERED.has(first)) answerDue = true;
    } else if (length !== SSL_REQUEST_PAYLOAD_BYTES) {
      // A 32-byte first packet is an SSLRequest: the gateway then waits for a TLS ClientHello.
      answerDue = true;
    }
    at += 4 + length;
  }
}

/** Compressed frames around command packets: a frame that does not inflate calls for an answer. */
function compressedStreamShape(bytes: Buffer): StreamShape {
  const carried: Buffer[] = [];
  let at = 0;
  while (bytes.length - at >= 7) {
    const length = bytes.readUIntLE(at, 3);
    const uncompressed = bytes.readUIntLE(at + 4, 3);
    if (bytes.length - at - 7 < length) break;
    const body = bytes.subarray(at + 7, at + 7 + length);
    try {
      const inflated = uncompressed === 0 ? body : inflateSync(body);
      if (inflated.length !== (uncompressed === 0 ? body.length : uncompressed)) throw new Error('length');
      carried.push(inflated);
    } catch {
      const inner = mysqlStreamShape('after-login', Buffer.concat(carried));
      return { asksToClose: inner.asksToClose, mayWait: false };
    }
    at += 7 + length;
  }
  const inner = mysqlStreamShape('after-login', Buffer.concat(carried));
  return { asksToClose: inner.asksToClose, mayWait: at < bytes.length || inner.mayWait };
}
