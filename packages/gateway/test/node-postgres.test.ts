import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.pg.psql(
    'CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL, qty int NOT NULL); GRANT ALL ON orders, orders_id_seq TO PUBLIC;',
  );
});
afterAll(() => h?.close());

async function withClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: h.url() });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('node-postgres through Sluice', () => {
  it('runs simple queries and sees the upstream server', async () => {
    await withClient(async (client) => {
      const { rows } = await client.query('SELECT current_user AS who, 1 + 1 AS two');
      expect(rows).toEqual([{ who: h.pg.roles.scram, two: 2 }]);
    });
  });

  it('runs parameterized statements (extended protocol) with every parameter type round-tripping', async () => {
    await withClient(async (client) => {
      const inserted = await client.query(
        'INSERT INTO orders (item, qty) VALUES ($1, $2) RETURNING id, item, qty',
        ['widget', 3],
      );
      expect(inserted.rows[0]).toMatchObject({ item: 'widget', qty: 3 });
      const named = { name: 'by-item', text: 'SELECT qty FROM orders WHERE item = $1', values: ['widget'] };
      expect((await client.query(named)).rows).toEqual([{ qty: 3 }]);
      expect((await client.query({ ...named, values: ['nothing'] })).rows).toEqual([]);
      const binary = await client.query({
        text: 'SELECT $1::bytea AS b',
        values: [Buffer.from([0, 1, 255])],
      });
      expect(binary.rows[0].b).toEqual(Buffer.from([0, 1, 255]));
    });
  });

  it('keeps the connection usable after an error, inside and outside transactions', async () => {
    await withClient(async (client) => {
      await expect(client.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      expect((await client.query('SELECT 42 AS n')).rows).toEqual([{ n: 42 }]);
      await client.query('BEGIN');
      await expect(client.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 7 AS n')).rows).toEqual([{ n: 7 }]);
    });
  });

  it('commits and rolls back transactions', async () => {
    await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query("INSERT INTO orders (item, qty) VALUES ('rolled-back', 1)");
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query("INSERT INTO orders (item, qty) VALUES ('committed', 1)");
      await client.query('COMMIT');
      const { rows } = await client.query(
        "SELECT item FROM orders WHERE item IN ('rolled-back', 'committed')",
      );
      expect(rows).toEqual([{ item: 'committed' }]);
    });
  });

  it('serves a pool of concurrent clients', async () => {
    const pool = new pg.Pool({ connectionString: h.url(), max: 8 });
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          pool.query('SELECT $1::int * 2 AS doubled, pg_sleep(0.01)', [i]),
        ),
      );
      expect(results.map((r) => r.rows[0].doubled)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    } finally {
      await pool.end();
    }
  });

  it('delivers notices and LISTEN/NOTIFY between sessions', async () => {
    const listener = new pg.Client({ connectionString: h.url() });
    await listener.connect();
    try {
      const notices: string[] = [];
      listener.on('notice', (notice) => notices.push(notice.message ?? ''));
      await listener.query("DO $$BEGIN RAISE NOTICE 'hello from plpgsql'; END$$");
      expect(notices).toEqual(['hello from plpgsql']);

      const received = new Promise<{ channel: string; payload?: string }>((resolve) =>
        listener.on('notification', resolve),
      );
      await listener.query('LISTEN order_events');
      await withClient((client) => client.query("NOTIFY order_events, 'order 42 shipped'"));
      expect(await received).toMatchObject({ channel: 'order_events', payload: 'order 42 shipped' });
    } finally {
      await listener.end();
    }
  });

  it('passes startup parameters through to the server', async () => {
    const client = new pg.Client({ connectionString: h.url(), application_name: 'nightly-report' });
    await client.connect();
    try {
      const { rows } = await client.query('SHOW application_name');
      expect(rows[0].application_name).toBe('nightly-report');
    } finally {
      await client.end();
    }
  });
});
