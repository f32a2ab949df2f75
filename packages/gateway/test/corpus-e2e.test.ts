import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_ALLOW } from '../../policy/test/corpus/postgres-allow.js';
import { POSTGRES_BLOCK } from '../../policy/test/corpus/postgres-block.js';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ policyYaml: '    guardrails: strict' });
  await h.pg.psql(
    `CREATE TABLE users (id int PRIMARY KEY, email text, name text);
     CREATE TABLE orders (id int PRIMARY KEY, user_id int, total numeric);
     INSERT INTO users VALUES (1, 'a@example.com', 'Ada'), (2, 'g@example.com', 'Grace');
     INSERT INTO orders VALUES (1, 1, 10), (2, 2, 20);
     GRANT ALL ON users, orders TO PUBLIC;`,
  );
});
afterAll(() => h?.close());

/** Everything a blocked statement could have changed: catalog objects, roles, settings, rows. */
function databaseState(): Promise<string> {
  return h.pg.psql(`SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
      SELECT concat_ws(':', c.relname, c.relkind::text, c.relacl::text) AS x FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      UNION ALL SELECT concat_ws(':', rolname, rolsuper::text, rolpassword) FROM pg_authid
      UNION ALL SELECT nspname::text FROM pg_namespace
      UNION ALL SELECT 'users:' || string_agg(concat_ws(':', id, email, name), ';' ORDER BY id) FROM users
      UNION ALL SELECT 'orders:' || string_agg(concat_ws(':', id, total), ';' ORDER BY id) FROM orders
      UNION ALL SELECT 'conf:' || string_agg(concat_ws('=', name, setting), ';' ORDER BY name) FROM pg_file_settings
    ) s`);
}

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: h.url() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('the Postgres corpus end to end through the gateway (strict guardrails)', () => {
  it(`refuses all ${POSTGRES_BLOCK.length} dangerous statements with 42501 and the database does not change`, async () => {
    const before = await databaseState();
    const client = await connect();
    const leaked: string[] = [];
    for (const { sql } of POSTGRES_BLOCK) {
      const error = (await client.query(sql).then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: string; message?: string } | undefined;
      if (error?.code !== '42501' || !error.message?.startsWith('sluice: blocked by guardrail:'))
        leaked.push(sql);
    }
    await client.end();
    expect(leaked).toEqual([]);
    expect(await databaseState()).toBe(before);
  }, 120_000);

  it(`lets all ${POSTGRES_ALLOW.length} ordinary and introspection statements reach the server`, async () => {
    let client = await connect();
    const refused: string[] = [];
    for (const sql of POSTGRES_ALLOW) {
      const error = (await client.query(sql).then(
        () => undefined,
        (e: unknown) => e,
      )) as { message?: string } | undefined;
      if (error?.message?.startsWith('sluice:')) refused.push(`${sql} → ${error.message}`);
      // Leave no transaction or COPY state behind for the next statement.
      await client.query('ROLLBACK').catch(async () => {
        await client.end().catch(() => undefined);
        client = await connect();
      });
    }
    await client.end();
    expect(refused).toEqual([]);
  }, 120_000);
});
