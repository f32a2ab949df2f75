import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { AccountRow } from '../account-change.js';

/** Rows per read from the store, and per replica transaction. */
const PULL_PAGE = 5000;

interface StoreRecordRow {
  readonly id: string;
  readonly gateway: string;
  readonly seq: string;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * Keeps a gateway's SQLite file a read replica of the shared store: records in the store's id
 * order (ids become visible in order, so a cursor on the newest id never skips one) and a copy
 * of the accounts table. Only the store worker writes the replica.
 */
export class ReplicaPull {
  private readonly insert: Database.Statement<unknown[]>;
  private readonly saveRows: Database.Transaction<(rows: readonly StoreRecordRow[]) => void>;
  private readonly replaceAccounts: Database.Transaction<(rows: readonly AccountRow[]) => void>;
  private cursor: number;
  /** This gateway's newest chain seq in the replica. */
  ownHead: number;

  constructor(
    db: Database.Database,
    private readonly gatewayId: string,
  ) {
    this.cursor = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM records').pluck().get() ?? 0;
    this.ownHead =
      db
        .prepare<[string], number>('SELECT coalesce(max(chain_seq), 0) FROM records WHERE gateway = ?')
        .pluck()
        .get(gatewayId) ?? 0;
    this.insert = db.prepare(
      `INSERT INTO records (seq, gateway, chain_seq, at, type, ref, payload, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const lastOfChain = db
      .prepare<[string, number], number | null>(
        'SELECT max(seq) FROM records WHERE gateway = ? AND chain_seq <= ?',
      )
      .pluck();
    const permit = db.prepare<[number]>('INSERT INTO purge_permits (up_to) VALUES (?)');
    const remove = db.prepare<[string, number]>('DELETE FROM records WHERE gateway = ? AND chain_seq <= ?');
    const clearPermits = db.prepare('DELETE FROM purge_permits');
    // A gateway's purge reaches every replica as its `purge` record: the records it names go
    // here too, whenever the replica pulls it (also after being down while it happened).
    const applyPurge = (row: StoreRecordRow): void => {
      const through = purgedThrough(row.payload);
      const upTo = through === null ? null : lastOfChain.get(row.gateway, through);
      if (through === null || !upTo) return;
      permit.run(upTo);
      remove.run(row.gateway, through);
      clearPermits.run();
    };
    this.saveRows = db.transaction((rows) => {
      for (const row of rows) {
        this.insert.run(
          Number(row.id),
          row.gateway,
          Number(row.seq),
          row.at,
          row.type,
          row.ref,
          row.payload,
          row.prev_hash,
          row.hash,
        );
        if (row.type === 'purge') applyPurge(row);
      }
    });
    const clear = db.prepare('DELETE FROM accounts');
    const save = db.prepare(
      `INSERT INTO accounts (name, groups, status, created_at, updated_at, expires_at, verifiers)
       VALUES (@name, @groups, @status, @created_at, @updated_at, @expires_at, @verifiers)`,
    );
    this.replaceAccounts = db.transaction((rows) => {
      clear.run();
      for (const row of rows) save.run(row);
    });
  }

  /**
   * Copies the records the store gained since the last pull, or as many as it can until
   * `deadline` (a Date.now() time); returns whether records were left for the next pull.
   */
  async pull(client: pg.Client, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (;;) {
      const page = await client.query<StoreRecordRow>(
        `SELECT id, gateway, seq, at, type, ref, payload, prev_hash, hash FROM records
         WHERE id > $1 ORDER BY id LIMIT ${PULL_PAGE}`,
        [this.cursor],
      );
      if (page.rows.length === 0) return false;
      this.saveRows.immediate(page.rows);
      for (const row of page.rows) {
        if (row.gateway === this.gatewayId) this.ownHead = Math.max(this.ownHead, Number(row.seq));
      }
      this.cursor = Number(page.rows.at(-1)?.id);
      if (page.rows.length < PULL_PAGE) return false;
      if (Date.now() > deadline) return true;
    }
  }

  /** Replaces the replica's accounts with the store's. */
  async copyAccounts(client: pg.Client): Promise<void> {
    const rows = await client.query<AccountRow>(
      'SELECT name, groups, status, created_at, updated_at, expires_at, verifiers FROM accounts',
    );
    this.replaceAccounts.immediate(rows.rows);
  }
}

function purgedThrough(payload: string): number | null {
  try {
    const through = (JSON.parse(payload) as { purged_through?: unknown }).purged_through;
    return typeof through === 'number' && Number.isInteger(through) ? through : null;
  } catch {
    return null;
  }
}
