import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, POLICY, SETUP_SQL, textOf } from './support/fixture.js';
import { type McpHarness, startMcpHarness } from './support/mcp-harness.js';

let h: McpHarness;
const clients: Client[] = [];
beforeAll(async () => {
  h = await startMcpHarness(POLICY, SETUP_SQL);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await h?.close();
});

async function httpClient(token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${h.admin.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'web-agent', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

describe('MCP over Streamable HTTP on the admin listener', () => {
  it('advertises its protected-resource metadata', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const reply = await fetch(`${h.admin.url}${path}`);
      expect(reply.status).toBe(200);
      expect(await reply.json()).toEqual({
        resource: `${h.admin.url}/mcp`,
        authorization_servers: [h.issuer.issuer],
        bearer_methods_supported: ['header'],
        resource_name: 'Sluice',
      });
    }
  });

  it('refuses a bad token with a challenge naming the metadata', async () => {
    const forged = `${(await h.issuer.sign({ sub: 'mallory' })).slice(0, -4)}AAAA`;
    const reply = await fetch(`${h.admin.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${forged}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toContain(
      `resource_metadata="${h.admin.url}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect((await reply.json()).error).toMatch(/^sluice: token rejected/);
    await expect(httpClient(forged)).rejects.toThrow();
    const missing = await fetch(`${h.admin.url}/mcp`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
  });

  it('serves the tools as the token’s identity: masked for one, exempt for a dba', async () => {
    const analyst = await httpClient(await h.issuer.sign({ sub: 'ana', groups: ['analysts'] }));
    const described = await call(analyst, 'describe_table', { table: 'customers' });
    expect(textOf(described)).toContain('email text — masked (email)');
    const rows = await call(analyst, 'query', { sql: 'SELECT email FROM customers WHERE id = 1' });
    expect(rows.isError).toBeFalsy();
    expect((rows.structuredContent as { rows: string[][] }).rows[0]?.[0]).not.toBe('ada@example.com');

    const dba = await httpClient(await h.issuer.sign({ sub: 'dora', groups: ['dba'] }));
    expect(textOf(await call(dba, 'describe_table', { table: 'customers' }))).not.toContain('masked');
    const clear = await call(dba, 'query', { sql: 'SELECT email FROM customers WHERE id = 1' });
    expect(clear.structuredContent).toMatchObject({ rows: [['ada@example.com']] });

    const blocked = await call(analyst, 'query', { sql: 'UPDATE items SET label = NULL' });
    expect(blocked.isError).toBe(true);
    expect(textOf(blocked)).toContain('Refused by guardrail:unbounded-write');

    h.gateway.journal.flush();
    const records = [...h.gateway.journal.statements({ identity: 'ana' })];
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((record) => record.protocol === 'mcp')).toBe(true);
    const adminCalls = h.gateway.journal.entriesOfType('admin').map((entry) => entry.payload);
    expect(adminCalls.length).toBeGreaterThan(0);
    expect(adminCalls.every((call) => call.status === 401 && call.path === '/mcp')).toBe(true);
    expect(adminCalls.map((call) => call.reason)).toContainEqual(expect.stringMatching(/^token rejected/));
  });

  it('keeps an MCP session to the identity that opened it', async () => {
    const client = await httpClient(await h.issuer.sign({ sub: 'ana', groups: ['analysts'] }));
    const transport = client.transport as StreamableHTTPClientTransport;
    const other = await h.issuer.sign({ sub: 'eve' });
    const reply = await fetch(`${h.admin.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${other}`,
        'mcp-session-id': transport.sessionId ?? '',
        'mcp-protocol-version': '2025-06-18',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }),
    });
    expect(reply.status).toBe(403);
  });

  it('lists, caps, and holds a query for approval while the call waits', async () => {
    const client = await httpClient(await h.issuer.sign({ sub: 'ana', groups: ['analysts'] }));
    const tables = await call(client, 'list_tables');
    expect(textOf(tables)).toContain('public.items (base table)');
    const capped = await call(client, 'query', { sql: 'SELECT id FROM items ORDER BY id', max_rows: 20 });
    expect(capped.structuredContent).toMatchObject({ rowCount: 20, truncated: true });
    expect(textOf(capped)).toContain('"offset": 20');

    const progress: Progress[] = [];
    const running = client.callTool(
      {
        name: 'query',
        arguments: { sql: "UPDATE items SET label = 'over http' WHERE id = 3 RETURNING label" },
      },
      undefined,
      { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true, timeout: 20_000 },
    ) as Promise<CallToolResult>;
    const deadline = Date.now() + 10_000;
    let request = h.gateway.control.approvals.list({ state: 'pending' })[0];
    while (!request && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      request = h.gateway.control.approvals.list({ state: 'pending' })[0];
    }
    expect(request?.identity).toBe('ana');
    while (progress.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(progress[0]?.message).toContain(`waiting for approval ${request?.id}`);
    const approver = await h.issuer.sign({ sub: 'dana', groups: ['dba'] });
    const reply = await fetch(`${h.admin.url}/api/approvals/${request?.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${approver}` },
    });
    expect(reply.status).toBe(200);
    const result = await running;
    expect(result.structuredContent).toMatchObject({ rows: [['over http']] });
  });
});
