/** Who a setting names: identities by name and members of groups. */
export interface Audience {
  readonly identities: readonly string[];
  readonly groups: readonly string[];
}

export interface Someone {
  readonly name: string;
  readonly groups: readonly string[];
}

export const NOBODY: Audience = { identities: [], groups: [] };

export function isEmptyAudience(audience: Audience): boolean {
  return audience.identities.length === 0 && audience.groups.length === 0;
}

export function includes(audience: Audience, someone: Someone): boolean {
  return (
    audience.identities.includes(someone.name) ||
    someone.groups.some((group) => audience.groups.includes(group))
  );
}
