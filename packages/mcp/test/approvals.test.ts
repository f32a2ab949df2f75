import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalRequest } from '@sluice/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY, SETUP_SQL, textOf } from './support/fixture.js';
import { type McpHarness, startMcpHarness } from './support/mcp-harness.js';

let h: McpHarness;
let client: Client;
beforeAll(async () => {
  h = await startMcpHarness(POLICY, SETUP_SQL);
  client = await h.stdioClient('writer', h.addAgent('writer', ['ci']), 'approval-agent');
});
afterAll(() => h?.close());

async function pending(text: RegExp): Promise<ApprovalRequest> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = h.gateway.control.approvals
      .list({ state: 'pending' })
      .find((request) => request.subject.kind === 'statement' && text.test(request.subject.statement));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no pending request for ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a query that needs approval, in hold mode', () => {
  it('waits, reports progress, and returns the result once approved through the admin API', async () => {
    const progress: Progress[] = [];
    const running = client.callTool(
      {
        name: 'query',
        arguments: { sql: "UPDATE items SET label = 'held' WHERE id = 1 RETURNING id, label" },
      },
      undefined,
      { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true, timeout: 20_000 },
    ) as Promise<CallToolResult>;
    const request = await pending(/SET label = 'held'/);
    let settled = false;
    running.finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    expect(await h.db.sql('SELECT label FROM items WHERE id = 1')).toBe('item 1');
    const deadline = Date.now() + 5000;
    while (progress.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(progress[0]?.message).toContain(`waiting for approval ${request.id}`);

    const token = await h.issuer.sign({ sub: 'dana', groups: ['dba'] });
    const reply = await fetch(`${h.admin.url}/api/approvals/${request.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(200);
    const result = await running;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ rows: [[1, 'held']] });
    expect(textOf(result)).toContain('1 | held');
  });

  it('reports a denial as a tool error with the approver and the reason', async () => {
    const running = client.callTool({
      name: 'query',
      arguments: { sql: "UPDATE items SET label = 'denied' WHERE id = 2" },
    }) as Promise<CallToolResult>;
    const request = await pending(/SET label = 'denied'/);
    h.gateway.control.approvals.deny(
      request.id,
      { name: 'dana', groups: ['dba'], via: 'oidc', roles: ['approver'] },
      'not today',
    );
    const result = await running;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/approval denied by dana: not today/);
  });

  it('returns the ticket in ticket mode, and runs the statement once approved', async () => {
    const sql = "INSERT INTO items VALUES (900, 'ticketed')";
    const first = (await client.callTool({ name: 'query', arguments: { sql } })) as CallToolResult;
    expect(first.isError).toBe(true);
    const id = /approve request (\S+) /.exec(textOf(first))?.[1];
    expect(id).toBeDefined();
    const token = await h.issuer.sign({ sub: 'dana', groups: ['dba'] });
    const reply = await fetch(`${h.admin.url}/api/approvals/${id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(200);
    const again = (await client.callTool({ name: 'query', arguments: { sql } })) as CallToolResult;
    expect(again.isError).toBeFalsy();
    expect(again.structuredContent).toMatchObject({ affected: 1 });
    expect(await h.db.sql('SELECT label FROM items WHERE id = 900')).toBe('ticketed');
  });
});
