/**
 * Who is behind a session, as policy, masking and the journal see it. A service account has no
 * issuer and no expiry; an OIDC identity carries its token's issuer and `exp`, after which the
 * session's further statements are refused.
 */
export interface Identity {
  readonly name: string;
  readonly groups: readonly string[];
  readonly source: 'service-account' | 'oidc';
  readonly issuer: string | undefined;
  readonly expiresAt: Date | undefined;
}
