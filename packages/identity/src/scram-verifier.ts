import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/**
 * SCRAM-SHA-256 verifiers (RFC 5802 section 3 with SHA-256, RFC 7677) in PostgreSQL's stored
 * form: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, all base64.
 * https://www.rfc-editor.org/rfc/rfc5802#section-3
 * https://www.postgresql.org/docs/current/catalog-pg-authid.html
 */

export interface ScramVerifier {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** PostgreSQL's default scram_iterations. */
export const SCRAM_ITERATIONS = 4096;
export const SCRAM_SALT_BYTES = 16;
const KEY_BYTES = 32;
/** PostgreSQL keeps scram_iterations in an int. */
const MAX_ITERATIONS = 2 ** 31 - 1;
const PREFIX = 'SCRAM-SHA-256$';
const BASE64 = '[A-Za-z0-9+/]+={0,2}';
const VERIFIER_PATTERN = new RegExp(`^(\\d{1,10}):(${BASE64})\\$(${BASE64}):(${BASE64})$`);

/**
 * Derives the verifier for a secret. Normalize(password) is SASLprep (RFC 4013): callers pass
 * the secret already prepared (`saslPrepPassword`), and its UTF-8 bytes are used as they are.
 */
export function deriveScramVerifier(secret: string, salt: Buffer, iterations: number): ScramVerifier {
  const salted = pbkdf2Sync(Buffer.from(secret, 'utf8'), salt, iterations, KEY_BYTES, 'sha256');
  return {
    iterations,
    salt,
    storedKey: sha256(hmacSha256(salted, 'Client Key')),
    serverKey: hmacSha256(salted, 'Server Key'),
  };
}

export function formatScramVerifier(verifier: ScramVerifier): string {
  const salt = verifier.salt.toString('base64');
  const storedKey = verifier.storedKey.toString('base64');
  const serverKey = verifier.serverKey.toString('base64');
  return `${PREFIX}${verifier.iterations}:${salt}$${storedKey}:${serverKey}`;
}

/** Reads PostgreSQL's stored form; anything else, including non-canonical base64, is undefined. */
export function parseScramVerifier(text: string): ScramVerifier | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const match = VERIFIER_PATTERN.exec(text.slice(PREFIX.length));
  if (match === null) return undefined;
  const [, iterationsText = '', saltText = '', storedKeyText = '', serverKeyText = ''] = match;
  const iterations = Number(iterationsText);
  if (iterations < 1 || iterations > MAX_ITERATIONS) return undefined;
  const salt = decodeCanonicalBase64(saltText);
  const storedKey = decodeCanonicalBase64(storedKeyText);
  const serverKey = decodeCanonicalBase64(serverKeyText);
  if (salt === undefined || storedKey?.length !== KEY_BYTES || serverKey?.length !== KEY_BYTES) {
    return undefined;
  }
  return { iterations, salt, storedKey, serverKey };
}

/** Recomputes StoredKey from the verifier's salt and iterations; compares in constant time. */
export function scramSecretMatches(secret: string, verifier: ScramVerifier): boolean {
  const candidate = deriveScramVerifier(secret, verifier.salt, verifier.iterations);
  return timingSafeEqual(candidate.storedKey, verifier.storedKey);
}

function decodeCanonicalBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : undefined;
}

function hmacSha256(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
