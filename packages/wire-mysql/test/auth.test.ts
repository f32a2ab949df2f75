import { createHash, constants as cryptoConstants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  cachingSha2Scramble,
  cachingSha2Verifier,
  clearPasswordResponse,
  createSeed,
  decryptPasswordWithPrivateKey,
  encryptPasswordWithPublicKey,
  MysqlWireError,
  nativePasswordScramble,
  nativePasswordVerifier,
  passwordFromClearResponse,
  pluginDataForSeed,
  SEED_BYTES,
  seedFromPluginData,
  verifyCachingSha2Scramble,
  verifyNativePassword,
} from '../src/index.js';
import { auth41, cachingSha2Plugin } from './fixtures/mysql2.js';

const seed = Buffer.from('abcdefghijklmnopqrst');
const password = 'sluice-secret-ünïcode';

function sha(algorithm: 'sha1' | 'sha256', ...parts: (Buffer | string)[]): Buffer {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function xor(left: Buffer, right: Buffer): Buffer {
  return Buffer.from(left.map((byte, index) => byte ^ (right[index] ?? 0)));
}

function authErrorOf(action: () => unknown): MysqlWireError {
  try {
    action();
  } catch (error) {
    if (error instanceof MysqlWireError) return error;
    throw error;
  }
  throw new Error('expected a MysqlWireError');
}

/** The `*HEX` verifier exactly as @sluice/identity stores it, computed here independently. */
const identityVerifier = `*${sha('sha1', sha('sha1', password)).toString('hex').toUpperCase()}`;
const identityCachingVerifier = sha('sha256', sha('sha256', password)).toString('hex');

describe('mysql_native_password', () => {
  it('scrambles as mysql2 does, and as SHA1(p) XOR SHA1(seed + SHA1(SHA1(p)))', () => {
    const token = nativePasswordScramble(password, seed);
    expect(token).toEqual(auth41.calculateToken(password, seed.subarray(0, 8), seed.subarray(8)));
    const stage1 = sha('sha1', password);
    expect(token).toEqual(xor(stage1, sha('sha1', seed, sha('sha1', stage1))));
    expect(nativePasswordScramble('', seed)).toEqual(Buffer.alloc(0));
  });

  it('verifies a token against the stored double SHA1 and agrees with mysql2', () => {
    const token = auth41.calculateToken(password, seed.subarray(0, 8), seed.subarray(8));
    expect(nativePasswordVerifier(password)).toBe(identityVerifier);
    expect(verifyNativePassword(token, seed, identityVerifier)).toBe(true);
    expect(verifyNativePassword(token, seed, auth41.doubleSha1(password))).toBe(true);
    expect(
      auth41.verifyToken(seed.subarray(0, 8), seed.subarray(8), token, auth41.doubleSha1(password)),
    ).toBe(true);
  });

  it('rejects a wrong password, another seed, a flipped bit and a token of the wrong length', () => {
    const token = nativePasswordScramble(password, seed);
    expect(verifyNativePassword(nativePasswordScramble('wrong', seed), seed, identityVerifier)).toBe(false);
    expect(verifyNativePassword(token, Buffer.from('tsrqponmlkjihgfedcba'), identityVerifier)).toBe(false);
    const flipped = Buffer.from(token);
    flipped[19] = (flipped[19] ?? 0) ^ 1;
    expect(verifyNativePassword(flipped, seed, identityVerifier)).toBe(false);
    expect(verifyNativePassword(Buffer.alloc(0), seed, identityVerifier)).toBe(false);
    expect(verifyNativePassword(token.subarray(0, 19), seed, identityVerifier)).toBe(false);
  });

  it('refuses a malformed verifier or seed with an auth error', () => {
    expect(authErrorOf(() => verifyNativePassword(Buffer.alloc(20), seed, 'not-a-hash')).code).toBe('auth');
    expect(authErrorOf(() => nativePasswordScramble(password, Buffer.alloc(8))).code).toBe('auth');
  });
});

describe('caching_sha2_password', () => {
  it('scrambles as mysql2 does, and as XOR(SHA256(p), SHA256(SHA256(SHA256(p)) + seed))', () => {
    const token = cachingSha2Scramble(password, seed);
    expect(token).toEqual(cachingSha2Plugin.calculateToken(password, seed));
    const stage1 = sha('sha256', password);
    expect(token).toEqual(xor(stage1, sha('sha256', sha('sha256', stage1), seed)));
  });

  it('verifies the fast path against the stored double SHA256 and rejects a wrong one', () => {
    expect(cachingSha2Verifier(password)).toBe(identityCachingVerifier);
    const token = cachingSha2Plugin.calculateToken(password, seed);
    expect(verifyCachingSha2Scramble(token, seed, identityCachingVerifier)).toBe(true);
    expect(verifyCachingSha2Scramble(cachingSha2Scramble('wrong', seed), seed, identityCachingVerifier)).toBe(
      false,
    );
    expect(verifyCachingSha2Scramble(token, createSeed(), identityCachingVerifier)).toBe(false);
    expect(verifyCachingSha2Scramble(token.subarray(1), seed, identityCachingVerifier)).toBe(false);
  });

  it('exchanges the password RSA-encrypted with mysql2 in both directions', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    // mysql2 as the client: fast auth fails, it asks for the key and sends the encrypted password.
    const step = cachingSha2Plugin({})({ connection: { config: { password } } });
    expect(step(seed)).toEqual(cachingSha2Scramble(password, seed));
    expect(step(Buffer.from([0x04]))).toEqual(Buffer.from([0x02]));
    const fromMysql2 = step(Buffer.from(publicKey));
    expect(fromMysql2 && decryptPasswordWithPrivateKey(fromMysql2, seed, privateKey)).toBe(password);

    const ours = encryptPasswordWithPublicKey(password, seed, publicKey);
    const plain = privateDecrypt(
      { key: privateKey, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      ours,
    );
    const expected = Buffer.from(`${password}\0`, 'utf8');
    expect(plain).toEqual(Buffer.from(expected.map((byte, index) => byte ^ (seed[index % SEED_BYTES] ?? 0))));
    expect(authErrorOf(() => decryptPasswordWithPrivateKey(ours, createSeed(), privateKey)).code).toBe(
      'auth',
    );
  });
});

describe('mysql_clear_password and seeds', () => {
  it('sends the password with a NUL and reads it back', () => {
    expect(clearPasswordResponse('eyJhbGciOi.jwt')).toEqual(Buffer.from('eyJhbGciOi.jwt\0'));
    expect(passwordFromClearResponse(Buffer.from('eyJhbGciOi.jwt\0'))).toBe('eyJhbGciOi.jwt');
    expect(authErrorOf(() => passwordFromClearResponse(Buffer.from('no-terminator'))).code).toBe('auth');
    expect(authErrorOf(() => passwordFromClearResponse(Buffer.from('a\0b\0'))).code).toBe('auth');
  });

  it('makes 20-byte printable seeds without NUL or $, different each time', () => {
    const seeds = Array.from({ length: 200 }, () => createSeed());
    for (const each of seeds) {
      expect(each.length).toBe(20);
      for (const byte of each) {
        expect(byte).toBeGreaterThanOrEqual(0x21);
        expect(byte).toBeLessThanOrEqual(0x7e);
        expect(byte).not.toBe(0x24);
      }
    }
    expect(new Set(seeds.map((each) => each.toString('hex'))).size).toBe(200);
  });

  it('moves a seed into and out of auth switch data', () => {
    expect(pluginDataForSeed(seed)).toEqual(Buffer.concat([seed, Buffer.from([0])]));
    expect(seedFromPluginData(pluginDataForSeed(seed))).toEqual(seed);
    expect(authErrorOf(() => seedFromPluginData(Buffer.alloc(10))).code).toBe('auth');
  });
});
