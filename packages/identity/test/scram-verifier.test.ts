import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveScramVerifier,
  formatScramVerifier,
  makeVerifiers,
  parseScramVerifier,
  verifySecret,
} from '../src/index.js';

// RFC 7677 section 3: user "user", password "pencil". The RFC gives the exchange, not the keys,
// so the derived keys are checked the way a server would use them against the RFC's messages.
const RFC_SALT = 'W22ZaJ0SNY7soEsUEjb6gQ==';
const RFC_CLIENT_FIRST_BARE = 'n=user,r=rOprNGfwEbeRWgbNEkqO';
const RFC_SERVER_FIRST = `r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=${RFC_SALT},i=4096`;
const RFC_CLIENT_FINAL_WITHOUT_PROOF = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const RFC_CLIENT_PROOF = 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const RFC_SERVER_SIGNATURE = '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

// Produced by PostgreSQL 15 for PASSWORD 'pencil' with password_encryption = 'scram-sha-256'.
const POSTGRES_PENCIL =
  'SCRAM-SHA-256$4096:GRuIQMZ4RTv58KvlB6nvYg==$zRL1Mlnr7e/euQD3k5muqK/UaMV8dY6Ip9nVphqA+Sw=:oIjLnJRaFwDWyULdcXf9EP7iM5AFwQJmiaPrrZfKvj4=';

describe('SCRAM-SHA-256 verifier', () => {
  const authMessage = [RFC_CLIENT_FIRST_BARE, RFC_SERVER_FIRST, RFC_CLIENT_FINAL_WITHOUT_PROOF].join(',');
  const rfcKeys = deriveScramVerifier('pencil', Buffer.from(RFC_SALT, 'base64'), 4096);

  it('derives a ServerKey that produces RFC 7677 server signature', () => {
    const signature = createHmac('sha256', rfcKeys.serverKey).update(authMessage).digest('base64');
    expect(signature).toBe(RFC_SERVER_SIGNATURE);
  });

  it('derives a StoredKey that accepts RFC 7677 client proof', () => {
    const proof = Buffer.from(RFC_CLIENT_PROOF, 'base64');
    const mask = createHmac('sha256', rfcKeys.storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((byte, index) => byte ^ (mask[index] ?? 0)));
    expect(createHash('sha256').update(clientKey).digest()).toEqual(rfcKeys.storedKey);
  });

  it('reads a verifier written by PostgreSQL and re-derives it exactly from the password', () => {
    const parsed = parseScramVerifier(POSTGRES_PENCIL);
    expect(parsed?.iterations).toBe(4096);
    expect(parsed?.salt.toString('base64')).toBe('GRuIQMZ4RTv58KvlB6nvYg==');
    if (parsed === undefined) return;
    expect(formatScramVerifier(deriveScramVerifier('pencil', parsed.salt, parsed.iterations))).toBe(
      POSTGRES_PENCIL,
    );
  });

  it('accepts the right secret against a PostgreSQL verifier and refuses others', () => {
    const verifiers = { scramSha256: POSTGRES_PENCIL, mysqlNative: '', cachingSha2: '' };
    expect(verifySecret('pencil', verifiers)).toBe(true);
    expect(verifySecret('pencil ', verifiers)).toBe(false);
    expect(verifySecret('Pencil', verifiers)).toBe(false);
    expect(verifySecret('', verifiers)).toBe(false);
  });

  it('round-trips its own verifiers through the stored text', () => {
    const text = makeVerifiers('sluice_example').scramSha256;
    const parsed = parseScramVerifier(text);
    expect(parsed).toBeDefined();
    if (parsed === undefined) return;
    expect(formatScramVerifier(parsed)).toBe(text);
  });

  it.each([
    ['another mechanism', POSTGRES_PENCIL.replace('SCRAM-SHA-256', 'SCRAM-SHA-1')],
    ['md5 verifier', 'md5a6343a3e1f5e5a4e5b2d3e1cbb62bdd1'],
    ['zero iterations', POSTGRES_PENCIL.replace('$4096:', '$0:')],
    ['iterations beyond int', POSTGRES_PENCIL.replace('$4096:', '$2147483648:')],
    [
      'a short StoredKey',
      POSTGRES_PENCIL.replace('zRL1Mlnr7e/euQD3k5muqK/UaMV8dY6Ip9nVphqA+Sw=', 'zRL1Mg=='),
    ],
    ['non-canonical base64', POSTGRES_PENCIL.replace('GRuIQMZ4RTv58KvlB6nvYg==', 'GRuIQMZ4RTv58KvlB6nvYh==')],
    ['a missing ServerKey', POSTGRES_PENCIL.slice(0, POSTGRES_PENCIL.lastIndexOf(':'))],
    ['trailing text', `${POSTGRES_PENCIL}$`],
    ['empty text', ''],
  ])('refuses %s', (_label, text) => {
    expect(parseScramVerifier(text)).toBeUndefined();
  });
});
