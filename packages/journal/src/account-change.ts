import { JournalError } from './errors.js';
import { parseDate, parseTextList, parseTextMap } from './payload-fields.js';
import type { Account, AccountAction, AccountChanges, NewAccount } from './types.js';

const ACCOUNT_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

/** An account change as asked for: the same in the SQLite store and the shared store. */
export type AccountRequest =
  | { readonly action: 'create'; readonly input: NewAccount; readonly actor: string }
  | {
      readonly action: 'rotate';
      readonly name: string;
      readonly verifiers: Record<string, string>;
      readonly actor: string;
    }
  | { readonly action: 'revoke'; readonly name: string; readonly reason: string; readonly actor: string }
  | {
      readonly action: 'modify';
      readonly name: string;
      readonly changes: AccountChanges;
      readonly actor: string;
    };

/** An account as stored in either store's `accounts` table. */
export interface AccountRow {
  readonly name: string;
  readonly groups: string;
  readonly status: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly expires_at: string | null;
  readonly verifiers: string;
}

/** What a change writes: the account's new state and its AC-2 event (the `account` record's payload). */
export interface AccountChange {
  readonly account: Account;
  readonly event: string;
}

export function requestedName(request: AccountRequest): string {
  return request.action === 'create' ? request.input.name : request.name;
}

/** Validates a request against the account's current state (read under the store's lock) and plans the change. */
export function planAccountChange(
  request: AccountRequest,
  current: Account | undefined,
  at: Date,
): AccountChange {
  const { account, details } = applyRequest(request, current, at);
  const event = {
    account: account.name,
    action: request.action satisfies AccountAction,
    actor: request.actor,
    groups: account.groups,
    status: account.status,
    expires_at: account.expiresAt?.toISOString() ?? null,
    ...details,
  };
  return { account, event: JSON.stringify(event) };
}

function applyRequest(
  request: AccountRequest,
  current: Account | undefined,
  at: Date,
): { readonly account: Account; readonly details: Readonly<Record<string, unknown>> } {
  switch (request.action) {
    case 'create': {
      const input = request.input;
      if (!ACCOUNT_NAME.test(input.name)) {
        throw new JournalError(
          'invalid-name',
          `"${input.name}" is not a valid account name: ${ACCOUNT_NAME.source}`,
        );
      }
      if (current) throw new JournalError('account-exists', `account "${input.name}" already exists`);
      const account: Account = {
        name: input.name,
        groups: [...input.groups],
        status: 'active',
        createdAt: at,
        updatedAt: at,
        expiresAt: input.expiresAt,
        verifiers: { ...input.verifiers },
      };
      return { account, details: { verifier_kinds: Object.keys(input.verifiers) } };
    }
    case 'rotate':
      return {
        account: {
          ...activeAccount(request.name, current),
          updatedAt: at,
          verifiers: { ...request.verifiers },
        },
        details: { verifier_kinds: Object.keys(request.verifiers) },
      };
    case 'revoke':
      return {
        account: { ...activeAccount(request.name, current), status: 'revoked', updatedAt: at },
        details: { reason: request.reason },
      };
    case 'modify': {
      const account = activeAccount(request.name, current);
      const changes = request.changes;
      return {
        account: {
          ...account,
          groups: changes.groups ? [...changes.groups] : account.groups,
          expiresAt: changes.expiresAt === undefined ? account.expiresAt : changes.expiresAt,
          updatedAt: at,
        },
        details: {
          changed: [
            ...(changes.groups ? ['groups'] : []),
            ...(changes.expiresAt === undefined ? [] : ['expires_at']),
          ],
        },
      };
    }
  }
}

/** Refuses a name that is not valid before any store is touched. */
export function checkAccountName(request: AccountRequest): void {
  if (request.action === 'create' && !ACCOUNT_NAME.test(request.input.name)) {
    throw new JournalError(
      'invalid-name',
      `"${request.input.name}" is not a valid account name: ${ACCOUNT_NAME.source}`,
    );
  }
}

function activeAccount(name: string, account: Account | undefined): Account {
  if (!account) throw new JournalError('account-not-found', `no account "${name}"`);
  if (account.status === 'revoked') throw new JournalError('account-revoked', `account "${name}" is revoked`);
  return account;
}

export function toAccountRow(account: Account): AccountRow {
  return {
    name: account.name,
    groups: JSON.stringify(account.groups),
    status: account.status,
    created_at: account.createdAt.toISOString(),
    updated_at: account.updatedAt.toISOString(),
    expires_at: account.expiresAt?.toISOString() ?? null,
    verifiers: JSON.stringify(account.verifiers),
  };
}

export function fromAccountRow(row: AccountRow): Account {
  const where = `account "${row.name}"`;
  if (row.status !== 'active' && row.status !== 'revoked') {
    throw new JournalError('corrupt', `${where}: unknown status "${row.status}"`);
  }
  return {
    name: row.name,
    groups: parseTextList(row.groups, where),
    status: row.status,
    createdAt: parseDate(row.created_at, where),
    updatedAt: parseDate(row.updated_at, where),
    expiresAt: row.expires_at === null ? null : parseDate(row.expires_at, where),
    verifiers: parseTextMap(row.verifiers, where),
  };
}
