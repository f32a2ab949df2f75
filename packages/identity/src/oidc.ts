import {
  decodeJwt,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { claimAt, groupsFromClaim, nameFromClaim } from './claims.js';
import { IdentityError } from './errors.js';
import type { Identity } from './identity.js';
import { keyResolverFor } from './jwks.js';
import { OidcRefusal, refusalFor } from './oidc-refusals.js';

export interface OidcIssuerOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string | undefined;
  readonly jwksFile: string | undefined;
  readonly groupsClaim: string;
  readonly identityClaim: 'sub' | 'email';
}

export type OidcResult =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly reason: string };

export interface OidcVerifier {
  /** Never rejects: every failure is a refusal with a reason from `OidcRefusal`. */
  verify(token: string): Promise<OidcResult>;
}

/** Asymmetric algorithms only: `none` and HS* (alg confusion with a public key) are refused. */
export const ALLOWED_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
const CLOCK_TOLERANCE_SECONDS = 5;

interface IssuerVerifier {
  readonly options: OidcIssuerOptions;
  readonly keys: JWTVerifyGetKey;
  readonly checks: JWTVerifyOptions;
}

/**
 * Builds a verifier over the configured issuers. JWKS files are read now; JWKS URIs are fetched
 * on first use. Throws IdentityError for an unusable issuer list.
 */
export function createOidcVerifier(issuers: readonly OidcIssuerOptions[]): OidcVerifier {
  const byIssuer = new Map<string, IssuerVerifier>();
  for (const options of issuers) {
    const normalized = normalizeIssuer(options.issuer);
    if (byIssuer.has(normalized)) {
      throw new IdentityError('invalid-issuer', `issuer ${options.issuer} is configured twice`);
    }
    byIssuer.set(normalized, issuerVerifier(options, normalized));
  }
  return {
    async verify(token: string): Promise<OidcResult> {
      const claimedIssuer = unverifiedIssuer(token);
      if (claimedIssuer.kind === 'malformed') return refuse(OidcRefusal.malformed);
      const issuer = claimedIssuer.issuer === undefined ? undefined : byIssuer.get(claimedIssuer.issuer);
      if (issuer === undefined) return refuse(OidcRefusal.unknownIssuer);
      try {
        return identityFrom(await verifiedClaims(token, issuer), issuer.options);
      } catch (error) {
        return refuse(refusalFor(error));
      }
    },
  };
}

function issuerVerifier(options: OidcIssuerOptions, normalized: string): IssuerVerifier {
  return {
    options,
    keys: keyResolverFor(options),
    checks: {
      // Both spellings, since the issuer was picked with the trailing slash ignored.
      issuer: [normalized, `${normalized}/`],
      audience: options.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
    },
  };
}

type ClaimedIssuer =
  | { readonly kind: 'claimed'; readonly issuer: string | undefined }
  | { readonly kind: 'malformed' };

/** The `iss` the token claims, read before verification only to choose which keys to verify with. */
function unverifiedIssuer(token: string): ClaimedIssuer {
  try {
    const { iss } = decodeJwt(token);
    return { kind: 'claimed', issuer: typeof iss === 'string' ? normalizeIssuer(iss) : undefined };
  } catch {
    return { kind: 'malformed' };
  }
}

/**
 * jwtVerify, plus what jose leaves to the caller when several keys match a token without `kid`
 * (during key rotation): try each of them.
 */
async function verifiedClaims(token: string, issuer: IssuerVerifier): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, issuer.keys, issuer.checks)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, issuer.checks)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function identityFrom(claims: JWTPayload, options: OidcIssuerOptions): OidcResult {
  const name = nameFromClaim(claims[options.identityClaim]);
  if (name === undefined) return refuse(OidcRefusal.identityClaimMissing);
  if (claims.exp === undefined) return refuse(OidcRefusal.noExpiry);
  return {
    ok: true,
    identity: {
      name,
      groups: groupsFromClaim(claimAt(claims, options.groupsClaim)),
      source: 'oidc',
      issuer: options.issuer,
      expiresAt: new Date(claims.exp * 1000),
    },
  };
}

function refuse(reason: string): OidcResult {
  return { ok: false, reason };
}

function normalizeIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, '');
}
