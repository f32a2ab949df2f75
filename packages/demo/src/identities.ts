import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import type { Journal } from '@sluice/journal';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

/** The demo's stand-in for a company identity provider. */
export const DEMO_ISSUER = 'https://login.example.com/';
export const DEMO_AUDIENCE = 'sluice';
export const DEMO_GROUPS_CLAIM = 'groups';

/** ES256: a key pair in milliseconds, where RSA takes noticeably longer on a small machine. */
const ALGORITHM = 'ES256';
const TOKEN_LIFETIME = '1h';

export interface TokenIssuer {
  /** Signs a token for `subject` with the given groups; verified by Sluice against the JWKS file. */
  mint(subject: string, groups: readonly string[]): Promise<string>;
}

/**
 * A fresh signing key for this run: the public half goes to `jwksPath` for Sluice's
 * `jwks_file`, the private half never leaves memory.
 */
export async function createTokenIssuer(jwksPath: string): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  writeFileSync(
    jwksPath,
    `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] }, null, 2)}\n`,
  );
  return {
    mint: (subject, groups) =>
      new SignJWT({ [DEMO_GROUPS_CLAIM]: [...groups] })
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
        .setIssuer(DEMO_ISSUER)
        .setAudience(DEMO_AUDIENCE)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(TOKEN_LIFETIME)
        .sign(privateKey),
  };
}

export interface ServiceAccount {
  readonly name: string;
  readonly groups: readonly string[];
  /** Shown to the user once, as `sluice agents add` does; Sluice keeps only verifiers. */
  readonly secret: string;
  readonly created: boolean;
}

/**
 * What `sluice agents add` does, journalled as an AC-2 account event. A journal reused from an
 * earlier run (`--dir`) already has the account: its secret is rotated instead, as
 * `sluice agents rotate` would.
 */
export function provisionServiceAccount(
  journal: Journal,
  name: string,
  groups: readonly string[],
): ServiceAccount {
  const secret = generateSecret();
  const verifiers = { ...makeVerifiers(secret) };
  const actor = `cli:${userInfo().username}`;
  const existing = journal.getAccount(name);
  if (existing === undefined) {
    journal.createAccount({ name, groups, expiresAt: null, verifiers }, actor);
    return { name, groups, secret, created: true };
  }
  const rotated = journal.rotateAccount(name, verifiers, actor);
  return { name, groups: rotated.groups, secret, created: false };
}
