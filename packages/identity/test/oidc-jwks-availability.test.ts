import { createServer, type Server } from 'node:http';
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
} from './oidc-fixture.js';

/** A JWKS endpoint that accepts connections and never answers. */
async function silentJwks(): Promise<{ uri: string; close(): Promise<void> }> {
  const server: Server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    uri: `http://127.0.0.1:${address.port}/jwks.json`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a JWKS endpoint that is slow or down', () => {
  let trusted: SigningKey;
  beforeAll(async () => {
    trusted = await signingKey('RS256', 'rs-1');
  });

  it('gives up on an endpoint that never answers within a bounded wait, with a clear refusal', async () => {
    const silent = await silentJwks();
    try {
      const verifier = createOidcVerifier([issuerOptions({ jwksUri: silent.uri })]);
      const started = Date.now();
      const results = await Promise.all([1, 2, 3].map(async () => verifier.verify(await sign(trusted))));
      const waited = Date.now() - started;
      expect(results).toEqual([1, 2, 3].map(() => ({ ok: false, reason: 'keys unavailable' })));
      expect(waited).toBeLessThan(8000);
    } finally {
      await silent.close();
    }
  }, 20_000);

  describe('once keys were fetched', () => {
    let server: JwksServer;
    afterAll(() => server?.close().catch(() => undefined));

    it('keeps verifying with the cached keys after the endpoint goes down', async () => {
      server = await serveJwks([trusted]);
      const verifier = createOidcVerifier([issuerOptions({ jwksUri: server.uri })]);
      expect((await verifier.verify(await sign(trusted))).ok).toBe(true);
      await server.close();
      const later = await verifier.verify(await sign(trusted, claims({ sub: 'after-outage' })));
      expect(later.ok && later.identity.name).toBe('after-outage');
    });

    it('refuses a token naming a kid the set does not hold, also while the endpoint is down', async () => {
      server = await serveJwks([trusted]);
      const stranger = await signingKey('RS256', 'rs-unknown');
      const verifier = createOidcVerifier([issuerOptions({ jwksUri: server.uri })]);
      expect((await verifier.verify(await sign(trusted))).ok).toBe(true);
      const unknown = await verifier.verify(await sign(stranger));
      expect(unknown.ok).toBe(false);
      await server.close();
      const whileDown = await verifier.verify(await sign(stranger));
      expect(whileDown.ok).toBe(false);
      // The known key still works after the failed lookup of the unknown one.
      expect((await verifier.verify(await sign(trusted))).ok).toBe(true);
    });
  });
});
