import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOidcVerifier,
  IdentityError,
  type IdentityErrorCode,
  type OidcIssuerOptions,
} from '../src/index.js';
import {
  issuerOptions,
  type SigningKey,
  sign,
  signingKey,
  withTempDir,
  writeJwksFile,
} from './oidc-fixture.js';

function setupFailure(issuers: readonly OidcIssuerOptions[]): IdentityErrorCode | undefined {
  try {
    createOidcVerifier(issuers);
    return undefined;
  } catch (error) {
    if (error instanceof IdentityError) return error.code;
    throw error;
  }
}

describe('OIDC verifier setup', () => {
  let temp: Awaited<ReturnType<typeof withTempDir>>;
  let rotating: readonly SigningKey[];
  let jwksFile: string;

  beforeAll(async () => {
    temp = await withTempDir();
    // Two keys without kid, as during a key rotation by an IdP that does not set kid.
    rotating = [await signingKey('RS256', undefined), await signingKey('RS256', undefined)];
    jwksFile = await writeJwksFile(temp.dir, rotating);
  });
  afterAll(() => temp.remove());

  it('tries every matching key when the token names none', async () => {
    const verifier = createOidcVerifier([issuerOptions({ jwksFile })]);
    for (const key of rotating) expect((await verifier.verify(await sign(key))).ok).toBe(true);
    const outsider = await signingKey('RS256', undefined);
    expect(await verifier.verify(await sign(outsider))).toEqual({ ok: false, reason: 'signature invalid' });
  });

  it('reads the JWKS file once, at creation', async () => {
    const path = await writeJwksFile(temp.dir, rotating, 'replaced.json');
    const verifier = createOidcVerifier([issuerOptions({ jwksFile: path })]);
    await writeFile(path, '{"keys":[]}');
    const [first] = rotating;
    if (first === undefined) throw new Error('no key');
    expect((await verifier.verify(await sign(first))).ok).toBe(true);
  });

  it('accepts an empty issuer list and refuses every token as unknown', async () => {
    const [first] = rotating;
    if (first === undefined) throw new Error('no key');
    expect(await createOidcVerifier([]).verify(await sign(first))).toEqual({
      ok: false,
      reason: 'unknown issuer',
    });
  });

  it.each([
    ['neither a JWKS file nor URI', () => [issuerOptions({})], 'invalid-issuer'],
    [
      'both a JWKS file and URI',
      () => [issuerOptions({ jwksFile, jwksUri: 'https://x.example/jwks' })],
      'invalid-issuer',
    ],
    ['a JWKS URI that is not a URL', () => [issuerOptions({ jwksUri: 'not a url' })], 'invalid-issuer'],
    [
      'the same issuer twice',
      () => [issuerOptions({ jwksFile }), issuerOptions({ issuer: 'https://login.example.com', jwksFile })],
      'invalid-issuer',
    ],
    [
      'a missing JWKS file',
      () => [issuerOptions({ jwksFile: join(temp.dir, 'absent.json') })],
      'jwks-unreadable',
    ],
  ] as const)('refuses %s', (_label, issuers, code) => {
    expect(setupFailure(issuers())).toBe(code);
  });

  it.each([
    ['not JSON', 'keys'],
    ['not a key set', '{"kty":"RSA"}'],
  ])('refuses a JWKS file that is %s', async (_label, content) => {
    const path = join(temp.dir, 'broken.json');
    await writeFile(path, content);
    expect(setupFailure([issuerOptions({ jwksFile: path })])).toBe('jwks-unreadable');
  });
});
