import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, POLICY, SETUP_SQL, textOf } from './support/fixture.js';
import { type McpHarness, startMcpHarness } from './support/mcp-harness.js';

let h: McpHarness;
let client: Client;
beforeAll(async () => {
  h = await startMcpHarness(POLICY, SETUP_SQL);
  client = await h.stdioClient('reporter', h.addAgent('reporter', ['analysts']), 'claude-code');
});
afterAll(() => h?.close());

describe('sluice mcp over stdio', () => {
  it('offers the five tools and the table schemas as resources', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'describe_table',
      'explain',
      'list_connections',
      'list_tables',
      'query',
    ]);
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain('sluice-table://orders/public/customers');
    const read = await client.readResource({ uri: 'sluice-table://orders/public/customers' });
    const schema = JSON.parse(String((read.contents[0] as { text: string }).text));
    expect(schema.columns.find((column: { name: string }) => column.name === 'email').masked).toBe('email');
  });

  it('lists the connection and its tables', async () => {
    const connections = await call(client, 'list_connections');
    expect(connections.structuredContent).toMatchObject({
      connections: [{ name: 'orders', protocol: 'postgres' }],
    });
    const tables = await call(client, 'list_tables');
    expect(textOf(tables)).toContain('public.customers (base table)');
    expect((tables.structuredContent as { tables: { name: string }[] }).tables.map((t) => t.name)).toEqual([
      'customers',
      'items',
      'payroll',
    ]);
  });

  it('describes a table and marks the columns masked for this identity', async () => {
    const result = await call(client, 'describe_table', { table: 'customers' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      columns: [
        { name: 'id', type: 'integer', nullable: false, masked: null },
        { name: 'name', type: 'text', nullable: false, masked: null },
        { name: 'email', type: 'text', nullable: true, masked: 'email' },
      ],
    });
    expect(textOf(result)).toContain('email text — masked (email)');
  });

  it('returns masked rows as structured content and a text table', async () => {
    const result = await call(client, 'query', { sql: 'SELECT id, name, email FROM customers ORDER BY id' });
    expect(result.isError).toBeFalsy();
    const content = result.structuredContent as { rows: unknown[][]; truncated: boolean };
    expect(content.truncated).toBe(false);
    expect(content.rows).toHaveLength(2);
    expect(content.rows[0]?.[1]).toBe('Ada');
    expect(content.rows[0]?.[2]).not.toBe('ada@example.com');
    expect(String(content.rows[0]?.[2])).toMatch(/@example\.com$/);
    expect(textOf(result)).toMatch(/^id \| name \| email\n1 \| Ada \| \S+@example\.com\n/);
    expect(textOf(result)).not.toContain('ada@example.com');
  });

  it('answers a string of several statements with the last result', async () => {
    const result = await call(client, 'query', { sql: 'SELECT 1 AS a; SELECT 2 AS b' });
    expect(result.structuredContent).toMatchObject({ columns: [{ name: 'b' }], rows: [[2]] });
  });

  it('binds parameters', async () => {
    const result = await call(client, 'query', { sql: 'SELECT label FROM items WHERE id = $1', params: [7] });
    expect(result.structuredContent).toMatchObject({ rows: [['item 7']] });
  });

  it('caps rows, says so, and pages with offset', async () => {
    const first = await call(client, 'query', { sql: 'SELECT id FROM items ORDER BY id' });
    const content = first.structuredContent as { rows: number[][]; truncated: boolean; note: string };
    expect(content.rows).toHaveLength(100);
    expect(content.truncated).toBe(true);
    expect(content.note).toContain('"offset": 100');
    expect(textOf(first)).toContain('Note: truncated after 100 rows (row cap 100)');
    const next = await call(client, 'query', {
      sql: 'SELECT id FROM items ORDER BY id',
      offset: 240,
      max_rows: 5,
    });
    expect((next.structuredContent as { rows: number[][] }).rows).toEqual([
      [241],
      [242],
      [243],
      [244],
      [245],
    ]);
  });

  it('caps bytes', async () => {
    const result = await call(client, 'query', {
      sql: "SELECT repeat('x', 20000) FROM items WHERE id <= 10",
    });
    const content = result.structuredContent as { rows: unknown[][]; note: string };
    expect(content.rows.length).toBe(3);
    expect(content.note).toContain('byte cap 65536');
  });

  it('explains a statement', async () => {
    const result = await call(client, 'explain', { sql: 'SELECT * FROM items WHERE id = 1' });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/Index Scan|Seq Scan/);
  });

  it('refuses a statement a rule blocks, naming the rule, the reason and what would be allowed', async () => {
    const result = await call(client, 'query', { sql: 'SELECT * FROM payroll' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ refused: true, rule: 'no-payroll' });
    expect(textOf(result)).toMatch(/^Refused by no-payroll: .+\nWhat would be allowed: rule "no-payroll"/);
  });

  it('returns the ticket in ticket mode', async () => {
    const result = await call(client, 'query', { sql: "INSERT INTO items VALUES (999, 'new')" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /ask an approver to approve request \S+ .*call query again with the same SQL/,
    );
    expect(result.structuredContent).toMatchObject({ rule: 'approval' });
  });

  it('journals its statements with protocol mcp and the MCP client name', async () => {
    await call(client, 'query', { sql: "SELECT 'journalled' AS marker" });
    h.gateway.journal.flush();
    const statements = [...h.gateway.journal.statements({ identity: 'reporter' })];
    const marker = statements.find((record) => record.statement.includes("'journalled'"));
    expect(marker?.protocol).toBe('mcp');
    const blocked = statements.find((record) => record.statement === 'SELECT * FROM payroll');
    expect(blocked).toMatchObject({ protocol: 'mcp', decision: 'blocked', rule: 'no-payroll' });
    const starts = h.gateway.journal
      .tail(1000)
      .filter((entry) => entry.type === 'session_start')
      .map((entry) => entry.payload);
    expect(starts).toContainEqual(
      expect.objectContaining({ identity: 'reporter', protocol: 'mcp', client_name: 'claude-code' }),
    );
  });
});
