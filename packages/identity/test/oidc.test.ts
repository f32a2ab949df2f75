import { base64url, exportSPKI, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier, type OidcIssuerOptions, OidcRefusal, type OidcResult } from '../src/index.js';
import {
  claims,
  issuerOptions,
  type SigningKey,
  sign,
  signingKey,
  withTempDir,
  writeJwksFile,
} from './oidc-fixture.js';

const now = (): number => Math.floor(Date.now() / 1000);

describe('OIDC verification against a JWKS file', () => {
  let trusted: SigningKey;
  let trustedEc: SigningKey;
  let stranger: SigningKey;
  let temp: Awaited<ReturnType<typeof withTempDir>>;
  let options: OidcIssuerOptions;

  beforeAll(async () => {
    trusted = await signingKey('RS256', 'rsa-1');
    trustedEc = await signingKey('ES256', 'ec-1');
    stranger = await signingKey('RS256', 'rsa-1');
    temp = await withTempDir();
    options = issuerOptions({ jwksFile: await writeJwksFile(temp.dir, [trusted, trustedEc]) });
  });
  afterAll(() => temp.remove());

  const verify = (token: string, overrides: Partial<OidcIssuerOptions> = {}): Promise<OidcResult> =>
    createOidcVerifier([{ ...options, ...overrides }]).verify(token);

  it('accepts a valid token and names the identity by sub with its groups and expiry', async () => {
    const exp = now() + 600;
    const result = await verify(await sign(trusted, claims({ exp })));
    expect(result).toEqual({
      ok: true,
      identity: {
        name: 'agent-7',
        groups: ['analysts', 'oncall'],
        source: 'oidc',
        issuer: 'https://login.example.com/',
        expiresAt: new Date(exp * 1000),
      },
    });
  });

  it('accepts an ES256 token from the same key set', async () => {
    const result = await verify(await sign(trustedEc));
    expect(result.ok).toBe(true);
  });

  it('names the identity by email when configured', async () => {
    const result = await verify(await sign(trusted), { identityClaim: 'email' });
    expect(result.ok && result.identity.name).toBe('agent7@example.com');
  });

  it('refuses a token without the configured identity claim', async () => {
    const token = await sign(trusted, claims({ email: undefined }));
    expect(await verify(token, { identityClaim: 'email' })).toEqual({
      ok: false,
      reason: 'identity claim missing',
    });
    const emptySub = await sign(trusted, claims({ sub: '' }));
    expect(await verify(emptySub)).toEqual({ ok: false, reason: 'identity claim missing' });
  });

  it.each([
    ['a single string', { groups: 'analysts' }, 'groups', ['analysts']],
    ['no claim', { groups: undefined }, 'groups', []],
    [
      'non-string members',
      { groups: ['analysts', 7, null, { name: 'x' }, 'oncall'] },
      'groups',
      ['analysts', 'oncall'],
    ],
    ['an object', { groups: { analysts: true } }, 'groups', []],
    [
      'a Keycloak nested path',
      { realm_access: { roles: ['dba', 'reader'] } },
      'realm_access.roles',
      ['dba', 'reader'],
    ],
    ['a nested path that stops early', { realm_access: ['dba'] }, 'realm_access.roles', []],
    [
      'a namespaced claim with dots',
      { 'https://example.com/roles': ['dba'] },
      'https://example.com/roles',
      ['dba'],
    ],
  ])('reads groups from %s', async (_label, overrides, groupsClaim, groups) => {
    const result = await verify(await sign(trusted, claims(overrides)), { groupsClaim });
    expect(result.ok && result.identity.groups).toEqual(groups);
  });

  it('matches the issuer with or without a trailing slash', async () => {
    const token = await sign(trusted, claims({ iss: 'https://login.example.com' }));
    expect((await verify(token)).ok).toBe(true);
    expect((await verify(await sign(trusted), { issuer: 'https://login.example.com' })).ok).toBe(true);
  });

  it('refuses an expired token', async () => {
    const token = await sign(trusted, claims({ iat: now() - 600, exp: now() - 60 }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'token expired' });
  });

  it('tolerates five seconds of clock skew on exp', async () => {
    const token = await sign(trusted, claims({ exp: now() - 2 }));
    expect((await verify(token)).ok).toBe(true);
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await sign(trusted, claims({ nbf: now() + 60 }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'token not yet valid' });
  });

  it('refuses a token for another audience, or for none', async () => {
    expect(await verify(await sign(trusted, claims({ aud: 'billing' })))).toEqual({
      ok: false,
      reason: 'wrong audience',
    });
    expect(await verify(await sign(trusted, claims({ aud: undefined })))).toEqual({
      ok: false,
      reason: 'wrong audience',
    });
  });

  it('accepts an audience list that includes the configured audience', async () => {
    expect((await verify(await sign(trusted, claims({ aud: ['billing', 'sluice'] })))).ok).toBe(true);
  });

  it('refuses a token from an issuer that is not configured, or with none', async () => {
    const foreign = await sign(trusted, claims({ iss: 'https://evil.example.com/' }));
    expect(await verify(foreign)).toEqual({ ok: false, reason: 'unknown issuer' });
    expect(await verify(await sign(trusted, claims({ iss: undefined })))).toEqual({
      ok: false,
      reason: 'unknown issuer',
    });
  });

  it('refuses a token signed by another key with the trusted key id', async () => {
    expect(await verify(await sign(stranger))).toEqual({ ok: false, reason: 'signature invalid' });
  });

  it('refuses a token signed by a key the set does not hold', async () => {
    const unknownKid = { ...stranger, kid: 'rsa-2' };
    expect(await verify(await sign(unknownKid))).toEqual({ ok: false, reason: 'signature invalid' });
  });

  it('refuses a token whose signature was altered', async () => {
    const [header, payload] = (await sign(trusted)).split('.');
    const forged = `${header}.${payload}.${base64url.encode(new Uint8Array(256))}`;
    expect(await verify(forged)).toEqual({ ok: false, reason: 'signature invalid' });
  });

  it('refuses an unsigned alg none token', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none' }));
    const payload = base64url.encode(JSON.stringify(claims()));
    expect(await verify(`${header}.${payload}.`)).toEqual({ ok: false, reason: 'signature invalid' });
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const publicKey = await importJWK(trusted.publicJwk, 'RS256', { extractable: true });
    if (publicKey instanceof Uint8Array) throw new Error('expected an RSA public key');
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(pem);
    expect(await verify(token)).toEqual({ ok: false, reason: 'signature invalid' });
  });

  it('refuses a token without exp', async () => {
    const token = await sign(trusted, claims({ exp: undefined }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'token has no exp claim' });
  });

  it('refuses a token whose exp is not a number', async () => {
    const token = await sign(trusted, claims({ exp: 'tomorrow' }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'malformed token' });
  });

  it.each([
    ['empty text', ''],
    ['a service-account secret', 'sluice_1A2dp2yTvrTyl2Jx4YjT-crpUGCHfpXcv-ONV9BXAKU'],
    ['three segments of nonsense', 'a.b.c'],
    [
      'a payload that is not JSON',
      `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('hello')}.c2ln`,
    ],
    ['four segments', 'a.b.c.d'],
  ])('refuses %s as a malformed token', async (_label, token) => {
    expect(await verify(token)).toEqual({ ok: false, reason: 'malformed token' });
  });

  it('gives only the fixed refusal phrases, never token content', async () => {
    const token = await sign(stranger, claims({ sub: 'secret-subject' }));
    const result = await verify(token);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.values(OidcRefusal)).toContain(result.reason);
    expect(result.reason).not.toContain('secret-subject');
  });
});
