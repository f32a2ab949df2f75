/**
 * mysql_native_password: the client sends SHA1(password) XOR SHA1(seed + SHA1(SHA1(password)));
 * the server keeps only SHA1(SHA1(password)).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { MysqlWireError } from '../errors.js';
import { checkSeed } from './seed.js';

const SHA1_BYTES = 20;
const VERIFIER_PATTERN = /^\*[0-9A-Fa-f]{40}$/;

/** The auth response for a password; empty for an empty password, as clients send it. */
export function nativePasswordScramble(password: string | Buffer, seed: Buffer): Buffer {
  checkSeed(seed);
  if (password.length === 0) return Buffer.alloc(0);
  const stage1 = sha1(typeof password === 'string' ? Buffer.from(password, 'utf8') : password);
  const stage2 = sha1(stage1);
  return xor(stage1, sha1(seed, stage2));
}

/**
 * The server-side check against a stored verifier: `*` + hex SHA1(SHA1(password)) as
 * `@sluice/identity` keeps it, or the 20 raw bytes. Recovers SHA1(password) = token XOR
 * SHA1(seed + stored) and compares SHA1 of it with the stored hash in constant time. Throws
 * MysqlWireError 'auth' for a malformed verifier; a wrong or malformed token is just false.
 */
export function verifyNativePassword(token: Buffer, seed: Buffer, verifier: string | Buffer): boolean {
  checkSeed(seed);
  const stored = parseNativeVerifier(verifier);
  if (token.length !== SHA1_BYTES) return false;
  const stage1 = xor(token, sha1(seed, stored));
  return timingSafeEqual(sha1(stage1), stored);
}

/** `*` + upper-case hex SHA1(SHA1(secret)), the form MySQL's mysql.user and `@sluice/identity` use. */
export function nativePasswordVerifier(password: string): string {
  return `*${sha1(sha1(Buffer.from(password, 'utf8')))
    .toString('hex')
    .toUpperCase()}`;
}

function parseNativeVerifier(verifier: string | Buffer): Buffer {
  if (Buffer.isBuffer(verifier)) {
    if (verifier.length !== SHA1_BYTES)
      throw new MysqlWireError('auth', 'a native password verifier is 20 bytes');
    return verifier;
  }
  if (!VERIFIER_PATTERN.test(verifier)) {
    throw new MysqlWireError('auth', "a native password verifier is '*' and 40 hex digits");
  }
  return Buffer.from(verifier.slice(1), 'hex');
}

function sha1(...parts: Buffer[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function xor(left: Buffer, right: Buffer): Buffer {
  const result = Buffer.allocUnsafe(left.length);
  for (let index = 0; index < left.length; index++) result[index] = (left[index] ?? 0) ^ (right[index] ?? 0);
  return result;
}
