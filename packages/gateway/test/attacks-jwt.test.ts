import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

/**
 * Forged tokens sent as the password of an OIDC sign-in, through the gateway: each is refused
 * with the usual 28P01 and reaches no session. (Expiry, nbf, audience and issuer are in
 * authentication.test.ts; the verifier's own cases in packages/identity.)
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(token: string): Promise<{ code?: string; message: string } | 'connected'> {
  const client = new pg.Client({ connectionString: h.url('mallory', token) });
  try {
    await client.connect();
    return 'connected';
  } catch (error) {
    return error as { code?: string; message: string };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A compact JWS by hand: header and claims as given, signed by `signer` over `header.payload`. */
function jws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: (input: Buffer) => Buffer,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: h.issuer.issuer, aud: 'sluice', sub: 'mallory', iat: now, exp: now + 600 };
}

describe('forged JWTs at sign-in', () => {
  it('refuses an unsigned alg none token', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const token = `${b64({ alg, typ: 'JWT' })}.${b64(claims())}.`;
      expect(await refusal(token), alg).toMatchObject({
        code: '28P01',
        message: expect.stringMatching(/^sluice: /),
      });
    }
  });

  it('refuses HS256 signed with the issuer’s RSA public key as the HMAC secret', async () => {
    const jwk = h.issuer.jwks.keys[0] as { kid?: string } & Record<string, unknown>;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [Buffer.from(pem), Buffer.from(JSON.stringify(jwk))]) {
      const token = jws({ alg: 'HS256', kid: jwk.kid ?? 'k' }, claims(), (input) =>
        createHmac('sha256', secret).update(input).digest(),
      );
      expect(await refusal(token)).toMatchObject({
        code: '28P01',
        message: 'sluice: token rejected: signature invalid',
      });
    }
  });

  it('refuses a token signed by a key the JWKS does not hold, with or without a known kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = h.issuer.jwks.keys[0] as { kid?: string };
    for (const kid of ['not-in-the-set', jwk.kid ?? 'k', undefined]) {
      const header = kid === undefined ? { alg: 'RS256' } : { alg: 'RS256', kid };
      const token = jws(header, claims(), (input) => sign('sha256', input, privateKey));
      expect(await refusal(token), String(kid)).toMatchObject({ code: '28P01' });
    }
    // The issuer's own token for the same claims is accepted: the refusals above are the key's.
    expect(await refusal(await h.issuer.sign({ sub: 'mallory' }))).toBe('connected');
  });
});
