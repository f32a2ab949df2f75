import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const POLICY = `    guardrails: strict
    rules:
      - name: no-payroll
        match: { tables: [payroll] }
        action: block
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
      - name: inserts-by-ticket
        match: { kind: [insert] }
        action: approve
        approval: { mode: ticket }
    default: allow
    masking:
      columns:
        - { match: "*.email", strategy: email }
      exempt: { groups: [dba] }`;

export const SETUP_SQL = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', 'grace@example.com');
CREATE TABLE items (id int PRIMARY KEY, label text);
INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 250) g;
CREATE TABLE payroll (id int, salary int);
GRANT ALL ON customers, items, payroll TO PUBLIC;`;

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
