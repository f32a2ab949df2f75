import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSecret,
  IdentityError,
  makeVerifiers,
  parseScramVerifier,
  verifySecret,
} from '../src/index.js';

describe('service-account secrets', () => {
  it('generates a prefixed base64url secret of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^sluice_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('sluice_'.length), 'base64url')).toHaveLength(32);
  });

  it('never generates the same secret twice', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateSecret));
    expect(secrets.size).toBe(50);
  });

  it('stores verifiers that do not contain the secret', () => {
    const secret = generateSecret();
    const verifiers = makeVerifiers(secret);
    for (const verifier of Object.values(verifiers)) expect(verifier).not.toContain(secret.slice(7));
  });

  it('uses 4096 iterations and a fresh 16-byte salt per verifier', () => {
    const secret = generateSecret();
    const first = parseScramVerifier(makeVerifiers(secret).scramSha256);
    const second = parseScramVerifier(makeVerifiers(secret).scramSha256);
    expect(first?.iterations).toBe(4096);
    expect(first?.salt).toHaveLength(16);
    expect(first?.salt).not.toEqual(second?.salt);
    expect(first?.storedKey).not.toEqual(second?.storedKey);
  });

  it('verifies the secret it was made from and nothing else', () => {
    const secret = generateSecret();
    const verifiers = makeVerifiers(secret);
    expect(verifySecret(secret, verifiers)).toBe(true);
    expect(verifySecret(generateSecret(), verifiers)).toBe(false);
    expect(verifySecret(secret.slice(0, -1), verifiers)).toBe(false);
    expect(verifySecret(`${secret}x`, verifiers)).toBe(false);
  });

  it('refuses everything when the stored SCRAM verifier is damaged', () => {
    const secret = generateSecret();
    const verifiers = makeVerifiers(secret);
    expect(verifySecret(secret, { ...verifiers, scramSha256: verifiers.scramSha256.slice(0, -4) })).toBe(
      false,
    );
    expect(verifySecret(secret, { ...verifiers, scramSha256: '' })).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['a NUL', 'sluice_\u0000x'],
    ['a control character', 'sluice_\u0007'],
  ])('refuses to make verifiers for a secret that is %s', (_label, secret) => {
    expect(() => makeVerifiers(secret)).toThrow(IdentityError);
    try {
      makeVerifiers(secret);
    } catch (error) {
      expect(error instanceof IdentityError && error.code).toBe('invalid-secret');
    }
  });

  it('accepts non-ASCII secrets, deriving SCRAM keys from the SASLprep form as PostgreSQL does', () => {
    // U+00A0 (no-break space) maps to a space; U+00AD (soft hyphen) to nothing; 'ｐ' NFKC to 'p'.
    const secret = 'sluice_pä\u00a0ss\u00adｐword';
    const verifiers = makeVerifiers(secret);
    expect(verifySecret(secret, verifiers)).toBe(true);
    expect(verifySecret('sluice_pä sspword', verifiers)).toBe(true);
    expect(verifySecret('sluice_pa sspword', verifiers)).toBe(false);
    const scram = parseScramVerifier(verifiers.scramSha256);
    if (!scram) throw new Error('no SCRAM verifier');
    const salted = pbkdf2Sync(
      Buffer.from('sluice_pä sspword', 'utf8'),
      scram.salt,
      scram.iterations,
      32,
      'sha256',
    );
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    expect(scram.storedKey).toEqual(createHash('sha256').update(clientKey).digest());
    // MySQL's native verifier hashes the secret's UTF-8 bytes as they are.
    const stage1 = createHash('sha1').update(Buffer.from(secret, 'utf8')).digest();
    const native = createHash('sha1').update(stage1).digest('hex').toUpperCase();
    expect(verifiers.mysqlNative).toBe(`*${native}`);
  });
});
