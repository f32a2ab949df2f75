import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSecret, looksLikeJwt } from '../src/index.js';
import { claims, sign, signingKey } from './oidc-fixture.js';

const segment = (value: unknown): string => base64url.encode(JSON.stringify(value));

describe('looksLikeJwt', () => {
  it('recognises a signed token', async () => {
    expect(looksLikeJwt(await sign(await signingKey('ES256', 'k')))).toBe(true);
  });

  it('recognises an unsigned token so that OIDC can refuse it', () => {
    expect(looksLikeJwt(`${segment({ alg: 'none' })}.${segment(claims())}.`)).toBe(true);
  });

  it('does not mistake a service-account secret for a token', () => {
    expect(looksLikeJwt(generateSecret())).toBe(false);
  });

  it.each([
    ['a plain password', 'correct horse battery staple'],
    ['dotted text', 'a.b.c'],
    ['a header without alg', `${segment({ typ: 'JWT' })}.${segment({})}.c2ln`],
    ['a header whose alg is not text', `${segment({ alg: 1 })}.${segment({})}.c2ln`],
    ['a JSON array header', `${segment(['alg'])}.${segment({})}.c2ln`],
    ['two segments', `${segment({ alg: 'RS256' })}.${segment({})}`],
    ['four segments', `${segment({ alg: 'RS256' })}.${segment({})}.c2ln.c2ln`],
    ['an empty payload', `${segment({ alg: 'RS256' })}..c2ln`],
    ['standard base64 padding', `${segment({ alg: 'RS256' })}=.${segment({})}.c2ln`],
    ['whitespace around it', ` ${segment({ alg: 'RS256' })}.${segment({})}.c2ln`],
  ])('rejects %s', (_label, text) => {
    expect(looksLikeJwt(text)).toBe(false);
  });
});
