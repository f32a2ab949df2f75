import { GRANT_ALLOWANCES, type Grant, type GrantAllowance, grantState } from './grant-types.js';

/** A grant as its journal records and the admin API carry it (snake_case, ISO times). */
export interface GrantRecord {
  readonly id: string;
  readonly identity: string | null;
  readonly group: string | null;
  readonly connection: string;
  readonly allow: readonly GrantAllowance[];
  readonly tables: readonly string[] | null;
  readonly reason: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly revoked_at: string | null;
  readonly revoked_by: string | null;
  readonly request: string | null;
}

export function grantRecord(grant: Grant): GrantRecord {
  return {
    id: grant.id,
    identity: grant.identity,
    group: grant.group,
    connection: grant.connection,
    allow: grant.allow,
    tables: grant.tables,
    reason: grant.reason,
    created_by: grant.createdBy,
    created_at: grant.createdAt.toISOString(),
    expires_at: grant.expiresAt.toISOString(),
    revoked_at: grant.revokedAt?.toISOString() ?? null,
    revoked_by: grant.revokedBy,
    request: grant.requestId,
  };
}

/** A journal record of a grant: its ref is the grant's id, its payload what `grantRecord` wrote. */
export interface GrantRecordEntry {
  readonly ref: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * The grants still active after these records, oldest first: the last `created` of each id not
 * followed by a `revoked`, and not expired by now.
 */
export function activeGrantsFromRecords(entries: Iterable<GrantRecordEntry>, now = Date.now()): Grant[] {
  const latest = new Map<string, Readonly<Record<string, unknown>>>();
  for (const entry of entries) {
    if (entry.ref === null) continue;
    if (entry.payload.action === 'created') latest.set(entry.ref, { ...entry.payload, id: entry.ref });
    else if (entry.payload.action === 'revoked') latest.delete(entry.ref);
  }
  return [...latest.values()]
    .map(grantFromRecord)
    .filter((grant): grant is Grant => grant !== undefined && grantState(grant, now) === 'active');
}

function grantFromRecord(payload: Readonly<Record<string, unknown>>): Grant | undefined {
  const text = (key: string): string | null =>
    typeof payload[key] === 'string' ? (payload[key] as string) : null;
  const list = (key: string): string[] | null =>
    Array.isArray(payload[key])
      ? (payload[key] as unknown[]).filter((item): item is string => typeof item === 'string')
      : null;
  const id = text('id');
  const connection = text('connection');
  const created = text('created_at');
  const expires = text('expires_at');
  if (!id || !connection || !created || !expires) return undefined;
  return {
    id,
    identity: text('identity'),
    group: text('group'),
    connection,
    allow: (list('allow') ?? []).filter((each): each is GrantAllowance =>
      (GRANT_ALLOWANCES as readonly string[]).includes(each),
    ),
    tables: list('tables'),
    reason: text('reason') ?? '',
    createdBy: text('created_by') ?? 'unknown',
    createdAt: new Date(created),
    expiresAt: new Date(expires),
    revokedAt: null,
    revokedBy: null,
    requestId: text('request'),
  };
}
