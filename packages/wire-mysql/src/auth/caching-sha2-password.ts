/**
 * caching_sha2_password: the fast path scramble XOR(SHA256(p), SHA256(SHA256(SHA256(p)) + seed))
 * checked against a cached SHA256(SHA256(p)); otherwise full authentication, with the password
 * sent in clear over TLS or RSA-encrypted (OAEP) after XOR with the seed.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 */
import { constants, createHash, privateDecrypt, publicEncrypt, timingSafeEqual } from 'node:crypto';
import { MysqlWireError } from '../errors.js';
import { xor } from './native-password.js';
import { checkSeed } from './seed.js';

const SHA256_BYTES = 32;
const VERIFIER_PATTERN = /^[0-9a-fA-F]{64}$/;

/** The fast-path auth response; empty for an empty password, as clients send it. */
export function cachingSha2Scramble(password: string | Buffer, seed: Buffer): Buffer {
  checkSeed(seed);
  if (password.length === 0) return Buffer.alloc(0);
  const stage1 = sha256(typeof password === 'string' ? Buffer.from(password, 'utf8') : password);
  const stage2 = sha256(stage1);
  return xor(stage1, sha256(stage2, seed));
}

/**
 * The server's fast-path check against SHA256(SHA256(password)), as 64 hex digits (the form
 * `@sluice/identity` keeps) or 32 raw bytes: SHA256(password) = token XOR SHA256(stored + seed),
 * and SHA256 of that must equal the stored hash (constant-time). Throws MysqlWireError
 * 'auth' for a malformed verifier; a wrong or malformed token is just false.
 */
export function verifyCachingSha2Scramble(token: Buffer, seed: Buffer, verifier: string | Buffer): boolean {
  checkSeed(seed);
  const stored = parseCachingSha2Verifier(verifier);
  if (token.length !== SHA256_BYTES) return false;
  const stage1 = xor(token, sha256(stored, seed));
  return timingSafeEqual(sha256(stage1), stored);
}

/** Hex SHA256(SHA256(password)): what the fast path needs to keep. */
export function cachingSha2Verifier(password: string): string {
  return sha256(sha256(Buffer.from(password, 'utf8'))).toString('hex');
}

/**
 * The client's answer to a public key during full authentication (MySQL 8.0.5 and later pad
 * with OAEP; older servers' PKCS#1 v1.5 is not supported).
 */
export function encryptPasswordWithPublicKey(
  password: string,
  seed: Buffer,
  publicKeyPem: string | Buffer,
): Buffer {
  checkSeed(seed);
  return publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    xorWithSeed(Buffer.from(`${password}\0`, 'utf8'), seed),
  );
}

/** The server side of `encryptPasswordWithPublicKey`. Throws MysqlWireError 'auth' when it does not decrypt to a NUL-terminated password. */
export function decryptPasswordWithPrivateKey(
  encrypted: Buffer,
  seed: Buffer,
  privateKeyPem: string | Buffer,
): string {
  checkSeed(seed);
  let plain: Buffer;
  try {
    plain = privateDecrypt(
      { key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      encrypted,
    );
  } catch (error) {
    throw new MysqlWireError('auth', 'the encrypted password does not decrypt with this key', {
      cause: error,
    });
  }
  return passwordFromTerminated(xorWithSeed(plain, seed));
}

/** The password in a NUL-terminated response (full authentication over TLS, mysql_clear_password). */
export function passwordFromTerminated(data: Buffer): string {
  if (data.length === 0 || data[data.length - 1] !== 0) {
    throw new MysqlWireError('auth', 'the password is not NUL-terminated');
  }
  const password = data.subarray(0, -1);
  if (password.includes(0)) throw new MysqlWireError('auth', 'the password contains a NUL byte');
  return password.toString('utf8');
}

/** The seed repeats over the whole buffer, as the server XORs it back. */
function xorWithSeed(data: Buffer, seed: Buffer): Buffer {
  const result = Buffer.allocUnsafe(data.length);
  for (let index = 0; index < data.length; index++) {
    result[index] = (data[index] ?? 0) ^ (seed[index % seed.length] ?? 0);
  }
  return result;
}

function parseCachingSha2Verifier(verifier: string | Buffer): Buffer {
  if (Buffer.isBuffer(verifier)) {
    if (verifier.length !== SHA256_BYTES)
      throw new MysqlWireError('auth', 'a caching_sha2 verifier is 32 bytes');
    return verifier;
  }
  if (!VERIFIER_PATTERN.test(verifier))
    throw new MysqlWireError('auth', 'a caching_sha2 verifier is 64 hex digits');
  return Buffer.from(verifier, 'hex');
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
