import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { saslPrepPassword } from './saslprep.js';

/**
 * The SCRAM-SHA-256 math of RFC 5802 section 3, with SHA-256 (RFC 7677).
 * https://www.rfc-editor.org/rfc/rfc5802#section-3
 */

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
export const SCRAM_KEY_BYTES = 32;
/** PostgreSQL's default scram_iterations. */
export const DEFAULT_SCRAM_ITERATIONS = 4096;

/** What a server stores instead of a password (PostgreSQL's `SCRAM-SHA-256$<i>:<salt>$<StoredKey>:<ServerKey>`). */
export interface ScramVerifierKeys {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

export function hmac(key: Buffer, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Hi(Normalize(password), salt, i). Blocks for the iterations: about 4 ms at 4096. */
export function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(
    Buffer.from(saslPrepPassword(password), 'utf8'),
    salt,
    iterations,
    SCRAM_KEY_BYTES,
    'sha256',
  );
}

export function clientKeyOf(salted: Buffer): Buffer {
  return hmac(salted, 'Client Key');
}

export function serverKeyOf(salted: Buffer): Buffer {
  return hmac(salted, 'Server Key');
}

/** The verifier a server keeps for a password. */
export function deriveScramKeys(password: string, salt: Buffer, iterations: number): ScramVerifierKeys {
  const salted = saltedPassword(password, salt, iterations);
  return { iterations, salt, storedKey: sha256(clientKeyOf(salted)), serverKey: serverKeyOf(salted) };
}

/** ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage). */
export function clientProof(clientKey: Buffer, authMessage: Buffer): Buffer {
  return xor(clientKey, hmac(sha256(clientKey), authMessage));
}

/** ServerSignature = HMAC(ServerKey, AuthMessage). */
export function serverSignature(serverKey: Buffer, authMessage: Buffer): Buffer {
  return hmac(serverKey, authMessage);
}

/** Recovers ClientKey from the proof and checks that it hashes to StoredKey, in constant time. */
export function proofMatches(keys: ScramVerifierKeys, authMessage: Buffer, proof: Buffer): boolean {
  if (proof.length !== SCRAM_KEY_BYTES || keys.storedKey.length !== SCRAM_KEY_BYTES) return false;
  const clientKey = xor(proof, hmac(keys.storedKey, authMessage));
  return timingSafeEqual(sha256(clientKey), keys.storedKey);
}

export function constantTimeEqual(left: Buffer, right: Buffer): boolean {
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A verifier for a user that does not exist, derived from the user name and a server secret so
 * the same name always gets the same salt: the exchange then looks exactly like a known user's
 * and fails only at the proof, without revealing which names exist. No password matches it.
 */
export function unknownUserScramKeys(user: string, serverSecret: Buffer): ScramVerifierKeys {
  const derive = (purpose: string): Buffer => hmac(serverSecret, `sluice scram ${purpose}\0${user}`);
  return {
    iterations: DEFAULT_SCRAM_ITERATIONS,
    salt: derive('salt').subarray(0, 16),
    storedKey: derive('stored key'),
    serverKey: derive('server key'),
  };
}

function xor(left: Buffer, right: Buffer): Buffer {
  const result = Buffer.allocUnsafe(left.length);
  for (let index = 0; index < left.length; index++) result[index] = (left[index] ?? 0) ^ (right[index] ?? 0);
  return result;
}
