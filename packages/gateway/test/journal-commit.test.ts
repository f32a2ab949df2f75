import { symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '@sluice/journal';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const JOURNAL_REFUSAL =
  'sluice: the journal cannot be written (the disk holding the journal is full); statement not run';

/**
 * Makes the journal's next append fail as a full disk does (ENOSPC), until the returned function
 * runs: the harness's journal starts a new segment file for every append, and the next one's
 * name (the seq of its first record) is made a link to /dev/full.
 */
function breakJournal(journal: Journal, path: string): () => void {
  const next = join(`${path}.segments`, `${String(journal.headSeq() + 1).padStart(16, '0')}.seg`);
  symlinkSync('/dev/full', next);
  return () => unlinkSync(next);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the journal on the Postgres path', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ segmentBytes: 1 });
    await h.pg.psql('CREATE TABLE journal_marks (id int); GRANT ALL ON journal_marks TO PUBLIC;');
  });
  afterAll(() => h?.close());

  it('holds the record of a statement while the server runs it', async () => {
    const client = new pg.Client({ connectionString: h.url() });
    await client.connect();
    try {
      const running = client.query('SELECT pg_sleep(1) AS in_flight_mark');
      await until(
        async () =>
          (await h.pg.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%AS in_flight_mark' AND pid <> pg_backend_pid()",
          )) === '1',
        'the statement to run upstream',
      );
      const records = [...h.journal.statements()].filter((s) => s.statement.includes('in_flight_mark'));
      expect(records).toMatchObject([{ decision: 'allowed', completed: false }]);
      await running;
    } finally {
      await client.end();
    }
  });

  it('refuses statements when the journal cannot be written; none reaches the server', async () => {
    const client = new pg.Client({ connectionString: h.url() });
    await client.connect();
    client.on('error', () => undefined);
    const repair = breakJournal(h.journal, h.journalPath);
    try {
      await expect(client.query('INSERT INTO journal_marks VALUES (1)')).rejects.toThrow(JOURNAL_REFUSAL);
    } finally {
      repair();
      await client.end().catch(() => undefined);
    }
    expect(await h.pg.psql('SELECT count(*) FROM journal_marks')).toBe('0');

    const next = new pg.Client({ connectionString: h.url() });
    await next.connect();
    await next.query('INSERT INTO journal_marks VALUES (2)');
    await next.end();
    expect(await h.pg.psql('SELECT id FROM journal_marks')).toBe('2');
    expect(h.journal.verify()).toMatchObject({ ok: true });
    const statements = [...h.journal.statements()].map((s) => s.statement);
    expect(statements).not.toContain('INSERT INTO journal_marks VALUES (1)');
    expect(statements).toContain('INSERT INTO journal_marks VALUES (2)');
  });
});

describe('the journal on the MySQL path', () => {
  let h: MysqlHarness;
  beforeAll(async () => {
    h = await startMysqlHarness({ segmentBytes: 1 });
    await h.db.sql('CREATE TABLE journal_marks (id INT)');
  });
  afterAll(() => h?.close());

  it('refuses statements when the journal cannot be written; none reaches the server', async () => {
    const connection = await mysql.createConnection(h.options());
    connection.on('error', () => undefined);
    const repair = breakJournal(h.journal, join(h.dir, 'journal.db'));
    try {
      await expect(connection.query('INSERT INTO journal_marks VALUES (1)')).rejects.toThrow(JOURNAL_REFUSAL);
    } finally {
      repair();
      connection.destroy();
    }
    expect(await h.db.sql('SELECT COUNT(*) FROM journal_marks')).toBe('0');

    const next = await mysql.createConnection(h.options());
    await next.query('INSERT INTO journal_marks VALUES (2)');
    await next.end();
    expect(await h.db.sql('SELECT id FROM journal_marks')).toBe('2');
    expect(h.journal.verify()).toMatchObject({ ok: true });
  });
});
