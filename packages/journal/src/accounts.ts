import type Database from 'better-sqlite3';
import type { Chain } from './chain.js';
import { JournalError } from './errors.js';
import { parseDate, parseTextList, parseTextMap } from './payload-fields.js';
import {
  ACCOUNT_ACTIONS,
  type Account,
  type AccountAction,
  type AccountChanges,
  type AccountEvent,
  type NewAccount,
} from './types.js';

const ACCOUNT_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

interface AccountRow {
  readonly name: string;
  readonly groups: string;
  readonly status: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly expires_at: string | null;
  readonly verifiers: string;
}

interface EventRow {
  readonly seq: number;
  readonly account: string | null;
  readonly action: unknown;
}

/** The new state of an account and what the AC-2 event says about the change beyond it. */
interface Change {
  readonly account: Account;
  readonly details: Readonly<Record<string, unknown>>;
}

type ApplyChange = (current: Account | undefined, at: Date) => Change;

/** What the last read of account events covered: the events in `(after, upTo]`. */
interface EventScan {
  readonly after: number;
  readonly upTo: number;
  readonly events: readonly AccountEvent[];
}

/**
 * Service accounts: a mutable table for lookups, and for every change a chained `account`
 * record (AC-2 event) written in the same transaction. Events carry no verifiers.
 */
export class AccountStore {
  private readonly selectAccount: Database.Statement<[string], AccountRow>;
  private readonly selectAccounts: Database.Statement<[], AccountRow>;
  private readonly saveAccount: Database.Statement<[AccountRow]>;
  private readonly selectEvents: Database.Statement<[number], EventRow>;
  private readonly selectLastSeq: Database.Statement<[], number>;
  private readonly scanEvents: Database.Transaction<(after: number) => EventScan>;
  private lastScan: EventScan = { after: 0, upTo: 0, events: [] };
  private readonly changeAccount: Database.Transaction<
    (name: string, action: AccountAction, actor: string, apply: ApplyChange) => Account
  >;

  constructor(db: Database.Database, chain: Chain) {
    this.selectAccount = db.prepare('SELECT * FROM accounts WHERE name = ?');
    this.selectAccounts = db.prepare('SELECT * FROM accounts ORDER BY name');
    this.saveAccount = db.prepare(
      `INSERT INTO accounts (name, groups, status, created_at, updated_at, expires_at, verifiers)
       VALUES (@name, @groups, @status, @created_at, @updated_at, @expires_at, @verifiers)
       ON CONFLICT (name) DO UPDATE SET groups = excluded.groups, status = excluded.status,
         updated_at = excluded.updated_at, expires_at = excluded.expires_at, verifiers = excluded.verifiers`,
    );
    // Polled by a running gateway with `afterSeq` near the head: a seq range read.
    this.selectEvents = db.prepare(
      `SELECT seq, ref AS account, json_extract(payload, '$.action') AS action
       FROM records WHERE seq > ? AND type = 'account' ORDER BY seq`,
    );
    this.selectLastSeq = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM records').pluck();
    // One read transaction: the events and the last seq come from the same snapshot. Seqs are
    // taken under the write lock, so no record at or below that seq can be committed later.
    this.scanEvents = db.transaction((after) => {
      const upTo = this.selectLastSeq.get() ?? 0;
      return { after, upTo, events: this.selectEvents.all(after).map(toEvent) };
    });
    this.changeAccount = db.transaction((name, action, actor, apply) => {
      const at = new Date();
      const { account, details } = apply(this.get(name), at);
      this.saveAccount.run(toRow(account));
      const event = {
        account: account.name,
        action,
        actor,
        groups: account.groups,
        status: account.status,
        expires_at: account.expiresAt?.toISOString() ?? null,
        ...details,
      };
      chain.append('account', account.name, JSON.stringify(event), at.toISOString());
      return account;
    });
  }

  create(input: NewAccount, actor: string): Account {
    if (!ACCOUNT_NAME.test(input.name)) {
      throw new JournalError(
        'invalid-name',
        `"${input.name}" is not a valid account name: ${ACCOUNT_NAME.source}`,
      );
    }
    return this.changeAccount.immediate(input.name, 'create', actor, (current, at) => {
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
    });
  }

  rotate(name: string, verifiers: Record<string, string>, actor: string): Account {
    return this.changeAccount.immediate(name, 'rotate', actor, (current, at) => ({
      account: { ...activeAccount(name, current), updatedAt: at, verifiers: { ...verifiers } },
      details: { verifier_kinds: Object.keys(verifiers) },
    }));
  }

  revoke(name: string, actor: string, reason: string): Account {
    return this.changeAccount.immediate(name, 'revoke', actor, (current, at) => ({
      account: { ...activeAccount(name, current), status: 'revoked', updatedAt: at },
      details: { reason },
    }));
  }

  modify(name: string, changes: AccountChanges, actor: string): Account {
    return this.changeAccount.immediate(name, 'modify', actor, (current, at) => {
      const account = activeAccount(name, current);
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
    });
  }

  get(name: string): Account | undefined {
    const row = this.selectAccount.get(name);
    return row && fromRow(row);
  }

  list(): Account[] {
    return this.selectAccounts.all().map(fromRow);
  }

  /**
   * Account events after `afterSeq`. A gateway polls this with the seq of the last event it saw,
   * which stays put while statements pile up after it: records the last call already read are
   * not read again, so a poll costs what was appended since, not the whole journal since then.
   */
  eventsSince(afterSeq: number): AccountEvent[] {
    const last = this.lastScan;
    if (afterSeq < last.after || afterSeq > last.upTo) {
      this.lastScan = this.scanEvents(afterSeq);
      return [...this.lastScan.events];
    }
    const newer = this.scanEvents(last.upTo);
    const events = [...last.events.filter((event) => event.seq > afterSeq), ...newer.events];
    this.lastScan = { after: afterSeq, upTo: newer.upTo, events };
    return [...events];
  }
}

function toEvent(row: EventRow): AccountEvent {
  const action = ACCOUNT_ACTIONS.find((candidate) => candidate === row.action);
  if (row.account === null || action === undefined) {
    throw new JournalError('corrupt', `record ${row.seq}: not a readable account event`);
  }
  return { seq: row.seq, account: row.account, action };
}

function activeAccount(name: string, account: Account | undefined): Account {
  if (!account) throw new JournalError('account-not-found', `no account "${name}"`);
  if (account.status === 'revoked') throw new JournalError('account-revoked', `account "${name}" is revoked`);
  return account;
}

function toRow(account: Account): AccountRow {
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

function fromRow(row: AccountRow): Account {
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
