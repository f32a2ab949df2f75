import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../src/index.js';
import {
  claims,
  issuerOptions,
  type JwksServer,
  type SigningKey,
  serveJwks,
  sign,
  signingKey,
  unreachableUri,
} from './oidc-fixture.js';

describe('OIDC verification against a JWKS URI', () => {
  let trusted: SigningKey;
  let server: JwksServer;

  beforeAll(async () => {
    trusted = await signingKey('PS256', 'ps-1');
    server = await serveJwks([trusted]);
  });
  afterAll(() => server.close());

  it('fetches the keys on first use and verifies a token', async () => {
    const verifier = createOidcVerifier([issuerOptions({ jwksUri: server.uri })]);
    const before = server.requests();
    const result = await verifier.verify(await sign(trusted));
    expect(result.ok && result.identity.name).toBe('agent-7');
    expect(server.requests()).toBe(before + 1);
  });

  it('keeps the fetched keys for later tokens', async () => {
    const verifier = createOidcVerifier([issuerOptions({ jwksUri: server.uri })]);
    const before = server.requests();
    for (const sub of ['a', 'b', 'c']) {
      const result = await verifier.verify(await sign(trusted, claims({ sub })));
      expect(result.ok && result.identity.name).toBe(sub);
    }
    expect(server.requests()).toBe(before + 1);
  });

  it('does not fetch keys for a token it refuses before the signature', async () => {
    const verifier = createOidcVerifier([issuerOptions({ jwksUri: server.uri })]);
    const before = server.requests();
    const foreign = await sign(trusted, claims({ iss: 'https://evil.example.com/' }));
    expect(await verifier.verify(foreign)).toEqual({ ok: false, reason: 'unknown issuer' });
    expect(await verifier.verify('not a token')).toEqual({ ok: false, reason: 'malformed token' });
    expect(server.requests()).toBe(before);
  });

  it('refuses with keys unavailable when nothing listens at the JWKS URI', async () => {
    const verifier = createOidcVerifier([issuerOptions({ jwksUri: await unreachableUri() })]);
    expect(await verifier.verify(await sign(trusted))).toEqual({ ok: false, reason: 'keys unavailable' });
  });

  it('refuses with keys unavailable when the JWKS URI answers with an error', async () => {
    const failing = await serveJwks([trusted], 503);
    try {
      const verifier = createOidcVerifier([issuerOptions({ jwksUri: failing.uri })]);
      expect(await verifier.verify(await sign(trusted))).toEqual({ ok: false, reason: 'keys unavailable' });
    } finally {
      await failing.close();
    }
  });

  it('picks the issuer by the token, each with its own keys', async () => {
    const other = await signingKey('ES384', 'es-1');
    const otherServer = await serveJwks([other]);
    try {
      const verifier = createOidcVerifier([
        issuerOptions({ jwksUri: server.uri }),
        issuerOptions({
          issuer: 'https://sso.example.org',
          jwksUri: otherServer.uri,
          identityClaim: 'email',
        }),
      ]);
      const fromOther = await sign(other, claims({ iss: 'https://sso.example.org' }));
      const result = await verifier.verify(fromOther);
      expect(result.ok && [result.identity.name, result.identity.issuer]).toEqual([
        'agent7@example.com',
        'https://sso.example.org',
      ]);
      const crossSigned = await sign(trusted, claims({ iss: 'https://sso.example.org' }));
      expect(await verifier.verify(crossSigned)).toEqual({ ok: false, reason: 'signature invalid' });
    } finally {
      await otherServer.close();
    }
  });
});
