import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminConfig } from '@sluice/config';
import { type Actor, rolesOf, TOKEN_ACTOR } from '@sluice/control';
import { type AccountVerifiers, looksLikeJwt, type OidcVerifier, verifySecret } from '@sluice/identity';
import type { Journal } from '@sluice/journal';

export type AuthResult =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly reason: string };

/**
 * Who is calling: `Bearer <admin token>`, `Bearer <OIDC JWT>` of a configured issuer, or
 * `Basic name:secret` of a service account (which may only ask for grants for itself).
 */
export class AdminAuthenticator {
  private readonly tokenDigest: Buffer | undefined;

  constructor(
    private readonly admin: AdminConfig,
    private readonly journal: Journal,
    private readonly oidc: OidcVerifier | undefined,
  ) {
    this.tokenDigest = admin.token ? digest(admin.token.reveal()) : undefined;
  }

  async authenticate(header: string | undefined): Promise<AuthResult> {
    if (!header) return { ok: false, reason: 'authentication required: send Authorization: Bearer <token>' };
    const space = header.indexOf(' ');
    const scheme = header.slice(0, Math.max(0, space)).toLowerCase();
    const credential = header.slice(space + 1).trim();
    if (space < 0 || credential === '') return { ok: false, reason: 'malformed Authorization header' };
    if (scheme === 'bearer') return this.bearer(credential);
    if (scheme === 'basic') return this.basic(credential);
    return { ok: false, reason: `unsupported authorization scheme "${scheme}"` };
  }

  private async bearer(credential: string): Promise<AuthResult> {
    // Both sides are hashed first, so the comparison takes the same time whatever the length.
    if (this.tokenDigest && timingSafeEqual(digest(credential), this.tokenDigest)) {
      return { ok: true, actor: TOKEN_ACTOR };
    }
    if (!looksLikeJwt(credential)) return { ok: false, reason: 'invalid admin token' };
    if (!this.oidc) return { ok: false, reason: 'no identity provider is configured for tokens' };
    const result = await this.oidc.verify(credential);
    if (!result.ok) return { ok: false, reason: result.reason };
    const { name, groups } = result.identity;
    return { ok: true, actor: { name, groups, via: 'oidc', roles: rolesOf({ name, groups }, this.admin) } };
  }

  private basic(credential: string): AuthResult {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return { ok: false, reason: 'malformed Basic credentials' };
    const name = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const account = this.journal.getAccount(name);
    const refused: AuthResult = { ok: false, reason: `service account "${name}" not accepted` };
    if (account?.status !== 'active') return refused;
    if (account.expiresAt && account.expiresAt <= new Date()) return refused;
    if (!verifySecret(secret, verifiersOf(account.verifiers))) return refused;
    return { ok: true, actor: { name, groups: account.groups, via: 'service-account', roles: [] } };
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function verifiersOf(stored: Readonly<Record<string, string>>): AccountVerifiers {
  return {
    scramSha256: stored.scramSha256 ?? '',
    mysqlNative: stored.mysqlNative ?? '',
    cachingSha2: stored.cachingSha2 ?? '',
  };
}
