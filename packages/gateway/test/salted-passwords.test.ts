import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SaltedPasswords } from '../src/postgres/salted-passwords.js';

describe("the upstream SCRAM login's salted passwords", () => {
  it('computes Hi(password, salt, i) once per salt and count', () => {
    const cache = new SaltedPasswords();
    const salt = Buffer.from('0123456789abcdef');
    const first = cache.of('upstream-secret', salt, 4096);
    expect(first).toEqual(pbkdf2Sync('upstream-secret', salt, 4096, 32, 'sha256'));
    expect(cache.of('upstream-secret', Buffer.from(salt), 4096)).toBe(first);
    expect(cache.of('upstream-secret', salt, 4097)).not.toEqual(first);
    expect(cache.of('rotated-secret', salt, 4096)).not.toEqual(first);
  });
});
