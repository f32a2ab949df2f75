import { createHash } from 'node:crypto';

/**
 * MySQL verifiers. `mysql_native_password` stores `*` + uppercase hex SHA1(SHA1(password)); the
 * server checks a scramble against SHA1(SHA1(password)), so that is all Sluice needs to keep.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
 * caching_sha2_password's fast path compares against SHA256(SHA256(password)); MySQL itself stores
 * a salted crypt string, but the double hash is what the fast-auth scramble check needs.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 */

const SHA1_BYTES = 20;
const SHA256_BYTES = 32;
const NATIVE_PATTERN = /^\*[0-9A-F]{40}$/;
const CACHING_SHA2_PATTERN = /^[0-9a-f]{64}$/;

export function mysqlNativeVerifier(secret: string): string {
  return `*${doubleHash('sha1', secret).toString('hex').toUpperCase()}`;
}

export function cachingSha2Verifier(secret: string): string {
  return doubleHash('sha256', secret).toString('hex');
}

/** SHA1(SHA1(password)) from a `mysql_native_password` verifier, or undefined if malformed. */
export function parseMysqlNativeVerifier(text: string): Buffer | undefined {
  if (!NATIVE_PATTERN.test(text)) return undefined;
  const hash = Buffer.from(text.slice(1), 'hex');
  return hash.length === SHA1_BYTES ? hash : undefined;
}

/** SHA256(SHA256(password)) from a caching_sha2 verifier, or undefined if malformed. */
export function parseCachingSha2Verifier(text: string): Buffer | undefined {
  if (!CACHING_SHA2_PATTERN.test(text)) return undefined;
  const hash = Buffer.from(text, 'hex');
  return hash.length === SHA256_BYTES ? hash : undefined;
}

function doubleHash(algorithm: 'sha1' | 'sha256', secret: string): Buffer {
  const once = createHash(algorithm).update(secret, 'utf8').digest();
  return createHash(algorithm).update(once).digest();
}
