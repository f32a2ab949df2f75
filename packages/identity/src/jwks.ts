import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { IdentityError } from './errors.js';

/** A local or remote JSON Web Key Set, seen only as the resolver jwtVerify calls. */
type KeySet = JWTVerifyGetKey;

/** Errors that say the token names no usable key, as opposed to the keys being unobtainable. */
const TOKEN_KEY_MISMATCH: readonly (abstract new (...args: never[]) => Error)[] = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSENotSupported,
];

export interface KeySource {
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly jwksFile: string | undefined;
}

/**
 * The key resolver for one issuer: a JWKS file read now, or a JWKS URI that jose fetches on first
 * use and caches. Throws IdentityError 'invalid-issuer' or 'jwks-unreadable' for bad settings.
 */
export function keyResolverFor(source: KeySource): JWTVerifyGetKey {
  if ((source.jwksUri === undefined) === (source.jwksFile === undefined)) {
    throw new IdentityError(
      'invalid-issuer',
      `issuer ${source.issuer} needs exactly one of jwksUri or jwksFile`,
    );
  }
  const keys = source.jwksFile !== undefined ? keySetFromFile(source.jwksFile) : remoteKeySet(source);
  return reportingUnavailableKeys(keys);
}

function keySetFromFile(path: string): KeySet {
  try {
    return createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8')));
  } catch (cause) {
    throw new IdentityError('jwks-unreadable', `${path} is not a readable JSON Web Key Set`, { cause });
  }
}

function remoteKeySet(source: KeySource): KeySet {
  let url: URL;
  try {
    url = new URL(source.jwksUri ?? '');
  } catch (cause) {
    throw new IdentityError('invalid-issuer', `issuer ${source.issuer} has an invalid jwksUri`, { cause });
  }
  return createRemoteJWKSet(url);
}

/** A failed fetch, a non-200 answer or a broken key set becomes 'keys-unavailable'. */
function reportingUnavailableKeys(keys: KeySet): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (TOKEN_KEY_MISMATCH.some((mismatch) => error instanceof mismatch)) throw error;
      throw new IdentityError('keys-unavailable', 'the signing keys could not be obtained', { cause: error });
    }
  };
}
