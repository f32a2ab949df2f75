import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

// No detectors: whether a value is masked shows only what the plan made of its lineage.
const POLICY = `    guardrails: standard
    default: allow
    masking:
      columns:
        - { match: "people.email", strategy: redact }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ policyYaml: POLICY });
  await h.pg.psql(`CREATE TABLE people (id int, email text, note text);
    INSERT INTO people VALUES (1, 'not-an-address-1', 'plain note');
    CREATE VIEW shown AS SELECT id, note AS x FROM people;
    GRANT ALL ON people, shown TO PUBLIC;
    ALTER VIEW shown OWNER TO ${h.pg.roles.scram};`);
});
afterAll(() => h?.close());

async function connected(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: h.url() });
  await client.connect();
  return client;
}

describe('masks of repeated results', () => {
  it('follow a view redefined through another session, though the result looks the same', async () => {
    const reader = await connected();
    const admin = await connected();
    try {
      for (let run = 0; run < 3; run++) {
        expect((await reader.query('SELECT x FROM shown')).rows).toEqual([{ x: 'plain note' }]);
      }
      // Same name, type, position and view: the RowDescription does not change, the lineage does.
      await admin.query('CREATE OR REPLACE VIEW shown AS SELECT id, email AS x FROM people');
      // Another session's result reloads the catalog the reader's masks were planned with.
      expect((await admin.query('SELECT id FROM people')).rows).toEqual([{ id: 1 }]);
      expect((await reader.query('SELECT x FROM shown')).rows).toEqual([{ x: '****' }]);
    } finally {
      await reader.end();
      await admin.end();
    }
  });

  it('are planned per statement: the same columns under another statement get their own mask', async () => {
    const client = await connected();
    try {
      expect((await client.query('SELECT note AS v FROM people')).rows).toEqual([{ v: 'plain note' }]);
      expect((await client.query('SELECT email AS v FROM people')).rows).toEqual([{ v: '****' }]);
      expect((await client.query('SELECT note AS v FROM people')).rows).toEqual([{ v: 'plain note' }]);
    } finally {
      await client.end();
    }
  });
});
