import type { Identity, OidcResult, OidcVerifier } from '@sluice/identity';
import type { Account, Journal } from '@sluice/journal';

export type AccountCheck =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly reason: string };

/**
 * Protocol-independent identity decisions: which accounts exist, whether they may log in now,
 * and token verification. Reads the journal's account table on every login, so accounts made
 * by `sluice agents add` in another process are usable at once.
 */
export class Authenticator {
  constructor(
    private readonly journal: Journal,
    private readonly oidc: OidcVerifier | undefined,
    /** Revocations this gateway has acted on, which its journal may not show yet. */
    private readonly revocations?: { revocationOf(identityName: string): string | undefined },
  ) {}

  get acceptsTokens(): boolean {
    return this.oidc !== undefined;
  }

  findAccount(name: string): Account | undefined {
    return this.journal.getAccount(name);
  }

  /** After the secret was proven: is the account still allowed in? */
  admitAccount(account: Account, now = new Date()): AccountCheck {
    if (account.status === 'revoked' || this.revocations?.revocationOf(account.name) !== undefined)
      return { ok: false, reason: `service account "${account.name}" is revoked` };
    if (account.expiresAt && account.expiresAt <= now) {
      return { ok: false, reason: `service account "${account.name}" expired` };
    }
    return {
      ok: true,
      identity: {
        name: account.name,
        groups: account.groups,
        source: 'service-account',
        issuer: undefined,
        expiresAt: account.expiresAt ?? undefined,
      },
    };
  }

  verifyToken(token: string): Promise<OidcResult> {
    if (!this.oidc) return Promise.resolve({ ok: false, reason: 'no identity provider is configured' });
    return this.oidc.verify(token);
  }
}
