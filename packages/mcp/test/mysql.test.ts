import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, POLICY, textOf } from './support/fixture.js';
import { type McpHarness, startMcpHarness } from './support/mcp-harness.js';

const SETUP_SQL = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', 'grace@example.com');
CREATE TABLE items (id int PRIMARY KEY, label text);
INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_250;
CREATE TABLE payroll (id int, salary int);`;

let h: McpHarness;
let client: Client;
beforeAll(async () => {
  h = await startMcpHarness(POLICY, SETUP_SQL, 'mysql');
  client = await h.stdioClient('reporter', h.addAgent('reporter', ['analysts']), 'cursor');
});
afterAll(() => h?.close());

describe('sluice mcp in front of MySQL (MariaDB)', () => {
  it('lists and describes tables, marking masked columns', async () => {
    const tables = await call(client, 'list_tables');
    expect((tables.structuredContent as { tables: { name: string }[] }).tables.map((t) => t.name)).toEqual([
      'customers',
      'items',
      'payroll',
    ]);
    const described = await call(client, 'describe_table', { table: 'customers' });
    expect(described.structuredContent).toMatchObject({
      columns: [
        { name: 'id', masked: null },
        { name: 'name', masked: null },
        { name: 'email', masked: 'email' },
      ],
    });
  });

  it('returns masked rows, caps them and binds ? parameters', async () => {
    const rows = await call(client, 'query', { sql: 'SELECT id, email FROM customers ORDER BY id' });
    const content = rows.structuredContent as { rows: unknown[][] };
    expect(content.rows[0]?.[0]).toBe(1);
    expect(String(content.rows[0]?.[1])).toMatch(/^a\*+@example\.com$/);
    const capped = await call(client, 'query', { sql: 'SELECT id FROM items ORDER BY id', max_rows: 10 });
    expect(capped.structuredContent).toMatchObject({ rowCount: 10, truncated: true });
    const bound = await call(client, 'query', { sql: 'SELECT label FROM items WHERE id = ?', params: [5] });
    expect(bound.structuredContent).toMatchObject({ rows: [['item 5']] });
  });

  it('refuses with the rule, the reason and what would be allowed', async () => {
    const result = await call(client, 'query', { sql: 'DELETE FROM items' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Refused by guardrail:unbounded-write');
    expect(textOf(result)).toContain('add a WHERE clause naming the rows');
  });

  it('journals with protocol mcp and the client name from program_name', async () => {
    h.gateway.journal.flush();
    const records = [...h.gateway.journal.statements({ identity: 'reporter' })];
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((record) => record.protocol === 'mcp')).toBe(true);
    const starts = h.gateway.journal
      .tail(1000)
      .filter((entry) => entry.type === 'session_start')
      .map((entry) => entry.payload);
    expect(starts).toContainEqual(
      expect.objectContaining({ identity: 'reporter', protocol: 'mcp', client_name: 'cursor' }),
    );
  });

  it('signs in with an OIDC token over HTTP (mysql_clear_password)', async () => {
    const token = await h.issuer.sign({ sub: 'dora', groups: ['dba'] });
    const web = new McpClient({ name: 'web-agent', version: '1.0.0' });
    await web.connect(
      new StreamableHTTPClientTransport(new URL(`${h.admin.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      const result = await call(web, 'query', { sql: 'SELECT email FROM customers WHERE id = 2' });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ rows: [['grace@example.com']] });
    } finally {
      await web.close();
    }
  });
});
