/**
 * Reads a claim by name, or by a dotted path into nested objects (Keycloak's
 * `realm_access.roles`). A claim whose own name contains dots (Auth0's namespaced
 * `https://example.com/roles`) wins over the path reading. Only own properties are followed, so
 * `constructor` or `__proto__` never reach the prototype.
 */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const segment of path.split('.')) {
    if (!isClaimObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/** A list of strings, a single string, or nothing; anything else in the claim is ignored. */
export function groupsFromClaim(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((member): member is string => typeof member === 'string');
}

/** The identity's name: a non-empty string, or undefined when the claim cannot name anyone. */
export function nameFromClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isClaimObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
