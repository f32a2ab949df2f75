import { createHash } from 'node:crypto';
import { saltedPassword } from '@sluice/wire-postgres';

/** A server keeps one salt and count per role; a few entries cover a change of password. */
const ENTRIES = 4;

/**
 * SCRAM's salted password for Sluice's upstream login, remembered per salt and iteration count:
 * PBKDF2 at 4096 rounds blocks the event loop for about 4 ms, once per login, while the server
 * sends the same salt every time. A client logging in to Sluice pays its own PBKDF2 as it would
 * directly; this removes the second one. The cache holds what the password already gives.
 */
export class SaltedPasswords {
  private readonly entries = new Map<string, Buffer>();

  readonly of = (password: string, salt: Buffer, iterations: number): Buffer => {
    const key = `${createHash('sha256').update(password).digest('base64')}:${salt.toString('base64')}:${iterations}`;
    let salted = this.entries.get(key);
    if (salted === undefined) {
      salted = saltedPassword(password, salt, iterations);
      if (this.entries.size >= ENTRIES) this.entries.clear();
      this.entries.set(key, salted);
    }
    return salted;
  };
}
