/**
 * Why an identity component could not be set up. Token refusals are not errors: they are
 * `OidcResult` values, because a bad token is an ordinary outcome of a login.
 * - `invalid-secret`: an empty secret, or one with control characters.
 * - `invalid-issuer`: an issuer configuration that cannot work (no or two key sources, bad URI,
 *   the same issuer twice).
 * - `jwks-unreadable`: a `jwksFile` that cannot be read or is not a JSON Web Key Set.
 * - `keys-unavailable`: an issuer's keys could not be fetched or used while verifying a token;
 *   `OidcVerifier.verify` turns it into the refusal 'keys unavailable'.
 */
export type IdentityErrorCode = 'invalid-secret' | 'invalid-issuer' | 'jwks-unreadable' | 'keys-unavailable';

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  readonly code: IdentityErrorCode;

  constructor(code: IdentityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
