import { randomBytes } from 'node:crypto';
import { saslPrepPassword } from '@sluice/wire-postgres';
import { IdentityError } from './errors.js';
import { cachingSha2Verifier, mysqlNativeVerifier } from './mysql-verifier.js';
import {
  deriveScramVerifier,
  formatScramVerifier,
  parseScramVerifier,
  SCRAM_ITERATIONS,
  SCRAM_SALT_BYTES,
  scramSecretMatches,
} from './scram-verifier.js';

/** What Sluice stores for a service account: one verifier per auth method, never the secret. */
export interface AccountVerifiers {
  readonly scramSha256: string;
  readonly mysqlNative: string;
  readonly cachingSha2: string;
}

const SECRET_PREFIX = 'sluice_';
const SECRET_BYTES = 32;
/**
 * Any text without control characters (C0, DEL, C1): a NUL would end a mysql_clear_password
 * secret early, and no driver sends the others. Non-ASCII text is what SCRAM's SASLprep defines.
 */
const ACCEPTABLE_SECRET = /^\P{Cc}+$/u;

/** A new service-account secret, shown to the operator once. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * Throws IdentityError 'invalid-secret' for an empty secret or one with control characters.
 * The SCRAM verifier is derived from the secret after SASLprep, as PostgreSQL derives its own
 * (libpq prepares the password the same way); the MySQL verifiers hash its UTF-8 bytes, as
 * MySQL and MariaDB do.
 */
export function makeVerifiers(secret: string): AccountVerifiers {
  if (!ACCEPTABLE_SECRET.test(secret)) {
    throw new IdentityError(
      'invalid-secret',
      'a service-account secret must be text without control characters',
    );
  }
  const scram = deriveScramVerifier(
    saslPrepPassword(secret),
    randomBytes(SCRAM_SALT_BYTES),
    SCRAM_ITERATIONS,
  );
  return {
    scramSha256: formatScramVerifier(scram),
    mysqlNative: mysqlNativeVerifier(secret),
    cachingSha2: cachingSha2Verifier(secret),
  };
}

/**
 * Checks a secret a client sent in clear against the stored SCRAM verifier. Costs one PBKDF2 at
 * the stored iteration count (about 4 ms at 4096), synchronously.
 */
export function verifySecret(secret: string, verifiers: AccountVerifiers): boolean {
  const scram = parseScramVerifier(verifiers.scramSha256);
  if (scram === undefined || !ACCEPTABLE_SECRET.test(secret)) return false;
  return scramSecretMatches(saslPrepPassword(secret), scram);
}
