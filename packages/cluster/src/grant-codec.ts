import { GRANT_ALLOWANCES, type Grant, type GrantAllowance, grantRecord } from '@sluice/control';
import { type Json, list, nullableDate, nullableText, object, text } from './json.js';

/** A grant as the store's `grants.grant_record` holds it: its journal record plus the gateway that created it. */
export function encodeGrant(grant: Grant, creator: string): Json {
  return { ...grantRecord(grant), gateway: creator };
}

export function decodeGrant(json: unknown): { readonly grant: Grant; readonly creator: string } {
  const o = object(json, 'grant_record');
  const allow = list(o.allow, 'allow').map((each) => {
    if (!(GRANT_ALLOWANCES as readonly unknown[]).includes(each))
      throw new TypeError('allow is not an allowance');
    return each as GrantAllowance;
  });
  const createdAt = nullableDate(o.created_at, 'created_at');
  const expiresAt = nullableDate(o.expires_at, 'expires_at');
  if (!createdAt || !expiresAt) throw new TypeError('a grant needs created_at and expires_at');
  return {
    creator: text(o.gateway, 'gateway'),
    grant: {
      id: text(o.id, 'id'),
      identity: nullableText(o.identity, 'identity'),
      group: nullableText(o.group, 'group'),
      connection: text(o.connection, 'connection'),
      allow,
      tables: o.tables === null ? null : list(o.tables, 'tables').map((each) => text(each, 'tables')),
      reason: text(o.reason, 'reason'),
      createdBy: text(o.created_by, 'created_by'),
      createdAt,
      expiresAt,
      revokedAt: nullableDate(o.revoked_at, 'revoked_at'),
      revokedBy: nullableText(o.revoked_by, 'revoked_by'),
      requestId: nullableText(o.request, 'request'),
    },
  };
}
