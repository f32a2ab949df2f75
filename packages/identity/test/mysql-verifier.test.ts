import { describe, expect, it } from 'vitest';
import {
  cachingSha2Verifier,
  makeVerifiers,
  mysqlNativeVerifier,
  parseCachingSha2Verifier,
  parseMysqlNativeVerifier,
} from '../src/index.js';

// MySQL's documented PASSWORD('password') / mysql.user.authentication_string for "password".
const NATIVE_PASSWORD = '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19';
// printf password | openssl dgst -sha256 -binary | sha256sum
const CACHING_SHA2_PASSWORD = '73641c99f7719f57d8f4beb11a303afcd190243a51ced8782ca6d3dbe014d146';

describe('MySQL verifiers', () => {
  it('stores mysql_native_password as MySQL does', () => {
    expect(mysqlNativeVerifier('password')).toBe(NATIVE_PASSWORD);
  });

  it('stores the caching_sha2 double SHA-256 as lowercase hex', () => {
    expect(cachingSha2Verifier('password')).toBe(CACHING_SHA2_PASSWORD);
  });

  it('puts both into the account verifiers', () => {
    const verifiers = makeVerifiers('password');
    expect(verifiers.mysqlNative).toBe(NATIVE_PASSWORD);
    expect(verifiers.cachingSha2).toBe(CACHING_SHA2_PASSWORD);
  });

  it('parses the stored forms back to their hashes', () => {
    expect(parseMysqlNativeVerifier(NATIVE_PASSWORD)?.toString('hex')).toBe(
      NATIVE_PASSWORD.slice(1).toLowerCase(),
    );
    expect(parseCachingSha2Verifier(CACHING_SHA2_PASSWORD)?.toString('hex')).toBe(CACHING_SHA2_PASSWORD);
  });

  it.each([
    NATIVE_PASSWORD.slice(1),
    NATIVE_PASSWORD.toLowerCase(),
    `${NATIVE_PASSWORD}00`,
    '*XYZ0C06DEE42FD1618BB99005ADCA2EC9D1E19AB',
    '',
  ])('refuses the malformed native verifier %j', (text) => {
    expect(parseMysqlNativeVerifier(text)).toBeUndefined();
  });

  it.each([CACHING_SHA2_PASSWORD.toUpperCase(), CACHING_SHA2_PASSWORD.slice(2), ''])(
    'refuses the malformed caching_sha2 verifier %j',
    (text) => {
      expect(parseCachingSha2Verifier(text)).toBeUndefined();
    },
  );
});
