import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, recordHash } from '@sluice/journal';
import { scratchDir } from '@sluice/testkit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sluice } from './support/cli.js';

interface StoredRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly ref: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** A small journal: a session and ten statements, every third one blocked. */
function smallJournal(): string {
  const path = join(scratchDir('sluice-audit-'), 'journal.db');
  const journal = Journal.open(path);
  journal.startSession({
    id: 's1',
    identity: 'ci-bot',
    groups: ['ci'],
    connection: 'orders',
    protocol: 'postgres',
    clientAddress: '127.0.0.1:5000',
    authMethod: 'scram-sha-256',
  });
  for (let index = 0; index < 10; index += 1) {
    const blocked = index % 3 === 0;
    const id = journal.recordStatement({
      sessionId: 's1',
      identity: 'ci-bot',
      groups: ['ci'],
      connection: 'orders',
      protocol: 'postgres',
      clientAddress: '127.0.0.1:5000',
      text: blocked ? `DROP TABLE t${index}` : `SELECT ${index}`,
      parameters: null,
      kind: blocked ? 'ddl' : 'select',
      tables: [],
      decision: blocked ? 'blocked' : 'allowed',
      rule: blocked ? 'guardrail' : null,
      reason: null,
      approver: null,
      maskedColumns: [],
    });
    journal.completeStatement(id, { rows: 1, durationMs: 1, error: null });
  }
  journal.close();
  return path;
}

/** Edits the file as someone holding it could: triggers dropped, then `edit`. */
function tamper(path: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS records_refuse_update; DROP TRIGGER IF EXISTS records_refuse_delete;');
  edit(db);
  db.close();
}

describe('sluice audit search, purge, anchor and verify --anchor', () => {
  it('searches with filters and pages', async () => {
    const journal = smallJournal();
    const blocked = await sluice([
      'audit',
      'search',
      '--journal',
      journal,
      '--decision',
      'blocked',
      '--json',
    ]);
    expect(blocked.code).toBe(0);
    const page = JSON.parse(blocked.stdout) as {
      records: { payload: { statement: string } }[];
      next: number | null;
    };
    expect(page.records.map((r) => r.payload.statement)).toEqual([
      'DROP TABLE t9',
      'DROP TABLE t6',
      'DROP TABLE t3',
      'DROP TABLE t0',
    ]);
    const first = await sluice([
      'audit',
      'search',
      '--journal',
      journal,
      '--type',
      'statement',
      '--limit',
      '4',
    ]);
    expect(first.stdout).toContain('(more: --before');
    const wrong = await sluice(['audit', 'search', '--journal', journal, '--decision', 'maybe']);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('--decision') });
  });

  it('purges old records and verify still passes, then catches an edit after the checkpoint', async () => {
    const journal = smallJournal();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const purged = await sluice(['audit', 'purge', '--journal', journal, '--older-than', '1s', '--json']);
    expect(JSON.parse(purged.stdout)).toMatchObject({ purged: 21, through: 21, checkpoint: 22 });
    const verified = await sluice(['audit', 'verify', '--journal', journal]);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('purged through #21') });
    tamper(journal, (db) =>
      db.exec(`UPDATE records SET payload = replace(payload, '"actor"', '"actr"') WHERE seq = 22`),
    );
    const tampered = await sluice(['audit', 'verify', '--journal', journal]);
    expect(tampered).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('record 22: content does not match'),
    });
  });

  it('anchors the head and detects what the chain alone cannot', async () => {
    const journal = smallJournal();
    const dir = scratchDir('sluice-anchor-');
    const key = join(dir, 'anchor-key.pem');
    const anchor = join(dir, 'anchor.json');
    const made = await sluice(['audit', 'anchor', '--journal', journal, '--key', key, '--out', anchor]);
    expect(made.code).toBe(0);
    expect(readFileSync(anchor, 'utf8')).not.toContain(readFileSync(key, 'utf8').split('\n')[1]);
    const withKey = [
      'audit',
      'verify',
      '--journal',
      journal,
      '--anchor',
      anchor,
      '--public-key',
      `${key}.pub.pem`,
    ];
    expect(await sluice(withKey)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('anchor intact: record #21'),
    });

    // The newest records deleted: the rest is a valid, shorter chain.
    const truncated = join(dir, 'truncated.db');
    writeFileSync(truncated, readFileSync(journal));
    tamper(truncated, (db) => db.exec('DELETE FROM records WHERE seq > 15'));
    expect((await sluice(['audit', 'verify', '--journal', truncated])).code).toBe(0);
    const cut = await sluice(['audit', 'verify', '--journal', truncated, '--anchor', anchor]);
    expect(cut).toMatchObject({ code: 1, stdout: expect.stringContaining('record 21 is missing') });

    // The whole chain rewritten with recomputed hashes.
    tamper(journal, (db) => {
      const records = db.prepare<[], StoredRecord>('SELECT * FROM records ORDER BY seq').all();
      let prevHash = '0'.repeat(64);
      const update = db.prepare('UPDATE records SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?');
      for (const record of records) {
        const payload = record.payload.replace('DROP TABLE t3', 'SELECT 3');
        const hash = recordHash({ ...record, payload, prevHash });
        update.run(payload, prevHash, hash, record.seq);
        prevHash = hash;
      }
    });
    expect((await sluice(['audit', 'verify', '--journal', journal])).code).toBe(0);
    const rewritten = await sluice(withKey);
    expect(rewritten).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('no longer has the anchored hash'),
    });

    // An anchor file edited to match the rewrite no longer carries a valid signature.
    const forged = JSON.parse(readFileSync(anchor, 'utf8')) as { hash: string };
    const head = new Database(journal, { readonly: true })
      .prepare<[], string>('SELECT hash FROM records ORDER BY seq DESC LIMIT 1')
      .pluck()
      .get();
    writeFileSync(anchor, JSON.stringify({ ...forged, hash: head }));
    const forgedCheck = await sluice(withKey);
    expect(forgedCheck).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('does not match what was signed'),
    });
  });
});
