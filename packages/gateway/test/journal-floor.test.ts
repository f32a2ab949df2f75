import { join } from 'node:path';
import { Journal } from '@sluice/journal';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

// No disk has this much free space: every statement meets a journal below its floor.
const FULL_DISK = '  min_free_space: 1000000GB';
const REFUSAL =
  'sluice: the journal cannot be written (the disk holding the journal is below journal.min_free_space); statement not run';

/** What another process reads from the store: statements, and session starts (still recorded). */
function journalled(path: string): { statements: number; sessions: number } {
  const reader = Journal.open(path, { readonly: true });
  try {
    return {
      statements: [...reader.statements()].length,
      sessions: reader.records.ofType('session_start').length,
    };
  } finally {
    reader.close();
  }
}

describe('a journal whose disk is below journal.min_free_space', () => {
  let h: Harness;
  let my: MysqlHarness;

  beforeAll(async () => {
    [h, my] = await Promise.all([
      startHarness({ journalYaml: FULL_DISK }),
      startMysqlHarness({ journalYaml: FULL_DISK }),
    ]);
    await h.pg.psql(`CREATE TABLE floor_marks (n int); GRANT ALL ON floor_marks TO ${h.pg.roles.scram}`);
    await my.db.sql('CREATE TABLE floor_marks (n int)');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([h?.close(), my?.close()]);
  });

  it('refuses PostgreSQL statements with the reason, and runs none of them unrecorded', async () => {
    const client = new pg.Client({ connectionString: h.url() });
    client.on('error', () => undefined);
    await client.connect();
    await expect(client.query('INSERT INTO floor_marks VALUES (1)')).rejects.toMatchObject({
      severity: 'FATAL',
      message: REFUSAL,
    });
    await client.end().catch(() => undefined);
    expect(await h.pg.psql('SELECT count(*) FROM floor_marks')).toBe('0');
    h.journal.flush();
    expect(journalled(h.journalPath)).toEqual({ statements: 0, sessions: 1 });
  });

  it('refuses MySQL statements with the reason, and runs none of them unrecorded', async () => {
    const client = await mysql.createConnection(my.options());
    client.on('error', () => undefined);
    await expect(client.query('INSERT INTO floor_marks VALUES (1)')).rejects.toMatchObject({
      message: REFUSAL,
    });
    await client.end().catch(() => undefined);
    expect(await my.db.sql('SELECT count(*) FROM floor_marks')).toBe('0');
    my.journal.flush();
    expect(journalled(join(my.dir, 'journal.db'))).toEqual({ statements: 0, sessions: 1 });
  });
});
