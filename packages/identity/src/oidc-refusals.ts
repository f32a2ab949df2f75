import { errors } from 'jose';
import { IdentityError } from './errors.js';

/** Why a token was refused, in words safe to show a client and to journal: never token content. */
export const OidcRefusal = {
  expired: 'token expired',
  notYetValid: 'token not yet valid',
  signatureInvalid: 'signature invalid',
  wrongAudience: 'wrong audience',
  unknownIssuer: 'unknown issuer',
  malformed: 'malformed token',
  noExpiry: 'token has no exp claim',
  identityClaimMissing: 'identity claim missing',
  keysUnavailable: 'keys unavailable',
} as const;

export type OidcRefusalReason = (typeof OidcRefusal)[keyof typeof OidcRefusal];

/**
 * Maps what jose (or the key lookup) threw to a refusal. Anything unexpected counts as a
 * signature that could not be verified: the token is refused either way.
 */
export function refusalFor(error: unknown): OidcRefusalReason {
  if (error instanceof IdentityError && error.code === 'keys-unavailable') return OidcRefusal.keysUnavailable;
  if (error instanceof errors.JWTExpired) return OidcRefusal.expired;
  if (error instanceof errors.JWTClaimValidationFailed) return claimRefusal(error.claim, error.reason);
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return OidcRefusal.malformed;
  return OidcRefusal.signatureInvalid;
}

function claimRefusal(claim: string, reason: string): OidcRefusalReason {
  if (claim === 'exp' && reason === 'missing') return OidcRefusal.noExpiry;
  if (reason === 'invalid') return OidcRefusal.malformed;
  switch (claim) {
    case 'nbf':
      return OidcRefusal.notYetValid;
    case 'aud':
      return OidcRefusal.wrongAudience;
    case 'iss':
      return OidcRefusal.unknownIssuer;
    default:
      return OidcRefusal.malformed;
  }
}
