import type Database from 'better-sqlite3';
import {
  type AccountRequest,
  type AccountRow,
  checkAccountName,
  fromAccountRow,
  planAccountChange,
  requestedName,
  toAccountRow,
} from './account-change.js';
import type { Chain } from './chain.js';
import { JournalError } from './errors.js';
import { ACCOUNT_ACTIONS, type Account, type AccountEvent } from './types.js';

interface EventRow {
  readonly seq: number;
  readonly account: string | null;
  readonly action: unknown;
}

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
  private readonly changeAccount: Database.Transaction<(request: AccountRequest) => Account>;

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
    this.changeAccount = db.transaction((request) => {
      const at = new Date();
      const { account, event } = planAccountChange(request, this.get(requestedName(request)), at);
      this.saveAccount.run(toAccountRow(account));
      chain.append('account', account.name, event, at.toISOString());
      return account;
    });
  }

  /** Creates, rotates, revokes or modifies an account, journalling the change in the same transaction. */
  change(request: AccountRequest): Account {
    checkAccountName(request);
    return this.changeAccount.immediate(request);
  }

  get(name: string): Account | undefined {
    const row = this.selectAccount.get(name);
    return row && fromAccountRow(row);
  }

  list(): Account[] {
    return this.selectAccounts.all().map(fromAccountRow);
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
