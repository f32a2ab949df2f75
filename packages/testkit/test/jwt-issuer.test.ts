import { readFileSync, rmSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JwksServer, type JwtIssuer, makeJwtIssuer, scratchDir } from '../src/index.js';

let issuer: JwtIssuer;
let served: JwksServer;
const jwksDir = scratchDir('sluice-jwks-');
beforeAll(async () => {
  issuer = await makeJwtIssuer();
  served = await issuer.serveJwks();
});
afterAll(async () => {
  await served?.close();
  rmSync(jwksDir, { recursive: true, force: true });
});

const verifyServed = (token: string, audience = 'sluice') =>
  jwtVerify(token, createRemoteJWKSet(new URL(served.url)), { issuer: issuer.issuer, audience });

describe('makeJwtIssuer', () => {
  it('signs RS256 tokens with a kid that verify against the served JWKS', async () => {
    const token = await issuer.sign({ sub: 'alice', groups: ['analysts'] });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const { payload } = await verifyServed(token);
    expect(payload).toMatchObject({
      sub: 'alice',
      groups: ['analysts'],
      iss: 'https://issuer.test/',
      aud: 'sluice',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
  });

  it('writes a JWKS file that verifies the same tokens', async () => {
    const path = issuer.writeJwksFile(jwksDir);
    const jwks = createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8')));
    const token = await issuer.sign({}, { subject: 'bob' });
    const { payload } = await jwtVerify(token, jwks, { issuer: issuer.issuer, audience: 'sluice' });
    expect(payload.sub).toBe('bob');
  });

  it('makes tokens that verifiers refuse: expired, not yet valid, other audience, other issuer', async () => {
    await expect(verifyServed(await issuer.sign({ sub: 'a' }, { expiresIn: -60 }))).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
    await expect(verifyServed(await issuer.sign({ sub: 'a' }, { notBefore: '10m' }))).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'nbf',
    });
    await expect(verifyServed(await issuer.sign({ sub: 'a' }, { audience: 'other' }))).rejects.toMatchObject({
      claim: 'aud',
    });
    await expect(
      verifyServed(await issuer.sign({ sub: 'a' }, { issuer: 'https://evil.test/' })),
    ).rejects.toMatchObject({ claim: 'iss' });
  });

  it('has keys no other issuer shares, so a foreign signature fails', async () => {
    const stranger = await makeJwtIssuer();
    await expect(verifyServed(await stranger.sign({ sub: 'mallory' }))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('serves 404 off the JWKS path and stops serving when closed', async () => {
    const other = await issuer.serveJwks();
    expect((await fetch(new URL('/other', other.url))).status).toBe(404);
    expect(await (await fetch(other.url)).json()).toEqual(issuer.jwks);
    await other.close();
    await expect(fetch(other.url)).rejects.toThrow();
  });
});
