import type { ScratchPostgres } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainGenesis,
  connectStore,
  Journal,
  JournalError,
  migrateStore,
  STORE_SCHEMA_VERSION,
  type StoreAddress,
  verifyStore,
} from '../src/index.js';
import { statementPayload } from '../src/statements.js';
import { eventually, openJournal, sampleSession, sampleStatement, tempJournalPath } from './helpers.js';
import { onStore, startStore } from './store-helpers.js';

let server: ScratchPostgres;
let address: StoreAddress;

beforeAll(async () => {
  ({ server, address } = await startStore());
});

afterAll(async () => {
  await server?.stop();
});

function statementTexts(journal: Journal): string[] {
  return [...journal.statements()].map((statement) => statement.statement);
}

describe('the shared store', () => {
  it('migrates once, then says it is up to date, and refuses a newer schema', async () => {
    await onStore(address, async (client) => {
      expect(await migrateStore(client)).toEqual({ from: STORE_SCHEMA_VERSION, to: STORE_SCHEMA_VERSION });
    });
    await server.psql('CREATE DATABASE sluice_newer');
    const newer = { ...address, database: 'sluice_newer' };
    await onStore(newer, async (client) => {
      expect(await migrateStore(client)).toEqual({ from: 0, to: STORE_SCHEMA_VERSION });
      await client.query('UPDATE sluice_schema SET version = $1', [STORE_SCHEMA_VERSION + 1]);
      await expect(migrateStore(client)).rejects.toThrow(/reads up to/);
    });
  });

  it('shows every gateway the statements of both, and each chain verifies in the replicas and the store', async () => {
    const a = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-a' });
    const b = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-b' });
    a.startSession(sampleSession({ id: 'sa' }));
    b.startSession(sampleSession({ id: 'sb' }));
    for (let index = 0; index < 5; index++) {
      const ha = a.recordStatement(sampleStatement({ sessionId: 'sa', text: `SELECT ${index} /* a */` }));
      a.completeStatement(ha, { rows: index, durationMs: 1, error: null });
      b.recordStatement(sampleStatement({ sessionId: 'sb', text: `SELECT ${index} /* b */` }));
    }
    const expected = [0, 1, 2, 3, 4].flatMap((index) => [
      `SELECT ${index} /* a */`,
      `SELECT ${index} /* b */`,
    ]);
    await eventually(() => statementTexts(a).length === 10, 'gw-a sees both gateways', 1000);
    await eventually(() => statementTexts(b).length === 10, 'gw-b sees both gateways', 1000);
    expect(statementTexts(a).sort()).toEqual([...expected].sort());
    expect(statementTexts(b).sort()).toEqual([...expected].sort());
    // An outcome joins its own statement, not the record with the same seq in another chain.
    const outcomes = [...b.statements()].filter((statement) => statement.statement.endsWith('/* a */'));
    expect(outcomes.map((statement) => statement.rows)).toEqual([0, 1, 2, 3, 4]);
    expect(
      b
        .tail(20)
        .filter((entry) => entry.type === 'session_start')
        .map((entry) => `${entry.gateway} ${entry.ref}`)
        .sort(),
    ).toEqual(['gw-a sa', 'gw-b sb']);
    // Every reader says which gateway journalled a record; a SIEM forwarder reads one gateway's.
    for (const statement of b.statements()) {
      expect(statement.gateway).toBe(statement.statement.endsWith('/* a */') ? 'gw-a' : 'gw-b');
    }
    const ofA = a.records.after(0, 100, 'gw-a');
    expect(ofA.map((entry) => entry.gateway)).toEqual(ofA.map(() => 'gw-a'));
    expect(ofA.filter((entry) => entry.type === 'statement')).toHaveLength(5);

    for (const journal of [a, b]) {
      const result = journal.verify();
      expect(result.ok).toBe(true);
      expect(result.chains?.map((chain) => chain.gateway)).toEqual(['gw-a', 'gw-b']);
    }
    const stored = await verifyStore(address);
    expect(stored.ok).toBe(true);
    expect(stored.chains?.find((chain) => chain.gateway === 'gw-a')?.checked).toBe(11);
    const first = await onStore(address, (client) =>
      client.query("SELECT prev_hash FROM records WHERE gateway = 'gw-b' AND seq = 1"),
    );
    expect(first.rows[0].prev_hash).toBe(chainGenesis('gw-b'));
  });

  it('reports a record edited in the store, naming its gateway and seq', async () => {
    const c = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-c' });
    for (let index = 0; index < 3; index++) c.recordStatement(sampleStatement({ text: `SELECT ${index}` }));
    c.flush();
    await onStore(address, async (client) => {
      await client.query('ALTER TABLE records DISABLE TRIGGER records_append_only');
      await client.query(
        "UPDATE records SET payload = replace(payload, 'SELECT 1', 'SELECT 666') WHERE gateway = 'gw-c' AND seq = 2",
      );
      await client.query('ALTER TABLE records ENABLE TRIGGER records_append_only');
    });
    const result = await verifyStore(address);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        gateway: 'gw-c',
        seq: 2,
        message: expect.stringContaining('does not match its hash'),
      }),
    ]);
    await onStore(address, async (client) => {
      await client.query('ALTER TABLE records DISABLE TRIGGER records_append_only');
      await client.query("DELETE FROM records WHERE gateway = 'gw-c'");
      await client.query('ALTER TABLE records ENABLE TRIGGER records_append_only');
    });
  });

  it('refuses a second gateway with the same id', () => {
    openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-d' });
    const second = () => Journal.open(tempJournalPath(), { store: address, gatewayId: 'gw-d' });
    expect(second).toThrow(JournalError);
    expect(second).toThrow('sluice: another gateway runs as gateway_id gw-d on this store');
  });

  it('shows an account created through one gateway to another within a second', async () => {
    const a = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-e' });
    const b = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-f' });
    a.recordStatement(sampleStatement());
    const created = a.createAccount(
      { name: 'etl-bot', groups: ['etl'], expiresAt: null, verifiers: { password: 'v' } },
      'admin',
    );
    expect(created.status).toBe('active');
    expect(a.getAccount('etl-bot')?.groups).toEqual(['etl']);
    await eventually(() => b.getAccount('etl-bot') !== undefined, 'gw-f sees the account', 1000);
    expect(() =>
      b.createAccount({ name: 'etl-bot', groups: [], expiresAt: null, verifiers: {} }, 'admin'),
    ).toThrow(expect.objectContaining({ code: 'account-exists' }));
    b.revokeAccount('etl-bot', 'admin', 'left');
    await eventually(() => a.getAccount('etl-bot')?.status === 'revoked', 'gw-e sees the revocation', 1000);
    expect(a.verify().ok).toBe(true);
    expect((await verifyStore(address)).ok).toBe(true);
  });

  it('refuses to open a replica as a journal of its own, and a journal of its own as a replica', () => {
    const path = tempJournalPath();
    Journal.open(path, { store: address, gatewayId: 'gw-g' }).close();
    expect(() => Journal.open(path)).toThrow(/read replica of the shared store/);
    const own = tempJournalPath();
    const journal = Journal.open(own);
    journal.recordStatement(sampleStatement());
    journal.close();
    expect(() => Journal.open(own, { store: address, gatewayId: 'gw-g' })).toThrow(
      /cannot become the read replica/,
    );
  });

  it('refuses to open when the store has no schema, naming the fix', async () => {
    await server.psql('CREATE DATABASE sluice_empty');
    expect(() =>
      Journal.open(tempJournalPath(), { store: { ...address, database: 'sluice_empty' }, gatewayId: 'gw-h' }),
    ).toThrow(/sluice store migrate/);
    const client = await connectStore(address, 'test');
    await client.end();
  });

  it("finds a gateway's records by time in a replica though they reached the store after newer ones", async () => {
    const a = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-i' });
    for (let index = 0; index < 50; index++)
      a.recordStatement(sampleStatement({ text: `SELECT ${index} /* i */` }));
    a.flush();
    // A gateway whose records of 2020 arrive only now, after an outage.
    await onStore(address, (client) =>
      client.query(
        `INSERT INTO records (gateway, seq, at, type, ref, payload, prev_hash, hash)
         VALUES ('gw-late', 1, '2020-01-01T00:00:00.000Z', 'statement', 'session-1', $1, 'x', 'y')`,
        [statementPayload(sampleStatement({ text: 'SELECT 2020' }))],
      ),
    );
    for (let index = 50; index < 60; index++)
      a.recordStatement(sampleStatement({ text: `SELECT ${index} /* i */` }));
    await eventually(
      () => [...a.statements()].some((statement) => statement.statement === 'SELECT 2020'),
      'pulled',
      1000,
    );
    const in2020 = [...a.statements({ since: new Date('2019-12-31'), until: new Date('2020-01-02') })];
    expect(in2020.map((statement) => statement.statement)).toEqual(['SELECT 2020']);
    const recent = [...a.statements({ since: new Date(Date.now() - 60_000) })];
    expect(recent.filter((statement) => statement.statement.endsWith('/* i */'))).toHaveLength(60);
    expect(recent.some((statement) => statement.statement === 'SELECT 2020')).toBe(false);
    await onStore(address, async (client) => {
      await client.query('ALTER TABLE records DISABLE TRIGGER records_append_only');
      await client.query("DELETE FROM records WHERE gateway = 'gw-late'");
      await client.query('ALTER TABLE records ENABLE TRIGGER records_append_only');
    });
  });

  it("purges one gateway's chain: every replica drops those records, and both chains still verify", async () => {
    const p = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-p' });
    const q = openJournal(tempJournalPath(), { store: address, gatewayId: 'gw-q' });
    for (let index = 0; index < 5; index++)
      p.recordStatement(sampleStatement({ text: `SELECT ${index} /* p */` }));
    q.recordStatement(sampleStatement({ text: 'SELECT 0 /* q */' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cutoff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let index = 5; index < 8; index++)
      p.recordStatement(sampleStatement({ text: `SELECT ${index} /* p */` }));
    const texts = (journal: Journal) =>
      [...journal.statements()]
        .map((statement) => statement.statement)
        .filter((text) => /\/\* [pq] \*\/$/.test(text));
    await eventually(() => texts(q).length === 9, 'gw-q sees every statement', 1000);

    expect(p.purge(cutoff, 'test')).toEqual({
      purged: 5,
      through: 5,
      throughHash: expect.any(String),
      checkpoint: 9,
    });
    expect(texts(p)).toEqual([
      'SELECT 0 /* q */',
      'SELECT 5 /* p */',
      'SELECT 6 /* p */',
      'SELECT 7 /* p */',
    ]);
    await eventually(() => texts(q).length === 4, "gw-q's replica drops the purged records", 1000);
    p.recordStatement(sampleStatement({ text: 'SELECT 8 /* p */' }));
    // In the store before it is verified there.
    p.flush();

    const stored = await verifyStore(address);
    expect(stored.ok).toBe(true);
    expect(stored.chains?.find((chain) => chain.gateway === 'gw-p')).toMatchObject({
      checked: 5,
      headSeq: 10,
      purgedThrough: 5,
    });
    for (const journal of [p, q]) {
      const result = journal.verify();
      expect(result.ok).toBe(true);
      expect(result.chains?.find((chain) => chain.gateway === 'gw-p')?.purgedThrough).toBe(5);
    }
    // The purge names its own chain only.
    expect(q.purge(cutoff, 'test')).toMatchObject({ purged: 1, through: 1 });
    expect((await verifyStore(address)).ok).toBe(true);
  });
});
