import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, POLICY, SETUP_SQL, textOf } from './support/fixture.js';
import { type McpHarness, startMcpHarness } from './support/mcp-harness.js';

let h: McpHarness;
let client: Client;
beforeAll(async () => {
  h = await startMcpHarness(POLICY, SETUP_SQL);
  client = await h.stdioClient('tester', h.addAgent('tester'), 'guardrail-agent');
});
afterAll(() => h?.close());

/** One statement per guardrail of docs/policy.md, and words its hint must contain. */
const CASES: readonly (readonly [id: string, sql: string, hint: RegExp])[] = [
  ['unanalysable', 'FROBNICATE everything', /plain SQL/],
  ['role-management', 'CREATE ROLE intruder', /ask a DBA/],
  ['privileges', 'GRANT SELECT ON customers TO PUBLIC', /ask a DBA/],
  ['alter-system', "ALTER SYSTEM SET work_mem = '1MB'", /session-level setting/],
  ['truncate', 'TRUNCATE items', /DELETE … WHERE/],
  ['copy-program', "COPY items TO PROGRAM 'cat'", /SELECT instead/],
  ['file-access', "SELECT pg_read_file('/etc/passwd')", /SELECT instead/],
  ['dynamic-sql', 'DO $$BEGIN NULL; END$$', /one at a time/],
  ['role-switch', 'SET ROLE postgres', /your own identity/],
  ['unfollowable-setting', "SET client_encoding = 'SJIS'", /default client encoding/],
  ['unbounded-write', 'DELETE FROM items', /add a WHERE clause naming the rows/],
  ['other-sessions', 'SELECT pg_terminate_backend(1)', /your own sessions/],
  ['blocking-lock', 'LOCK TABLE items IN ACCESS EXCLUSIVE MODE', /lets readers in/],
  ['table-rewrite', 'VACUUM FULL items', /CONCURRENTLY/],
  ['unbounded-work', 'SELECT pg_sleep(3600)', /at most 60 s/],
  ['loosened-setting', 'SET default_transaction_read_only = off', /read-only/],
  ['search-path', 'SET search_path = elsewhere', /schema-qualify/],
  ['ddl', 'DROP TABLE items', /ddl grant/],
];

describe('refused statements as MCP tool errors', () => {
  for (const [id, sql, hint] of CASES) {
    it(`guardrail ${id}: names it, says why and what would be allowed`, async () => {
      const result = await call(client, 'query', { sql });
      expect(result.isError).toBe(true);
      const content = result.structuredContent as { rule: string; reason: string; allowed: string };
      expect(content.rule).toBe(`guardrail:${id}`);
      expect(content.reason.length).toBeGreaterThan(0);
      expect(content.allowed).toMatch(hint);
      expect(textOf(result)).toContain(
        `Refused by guardrail:${id}: ${content.reason}\nWhat would be allowed: `,
      );
    });
  }

  it('keeps the session usable after a refusal', async () => {
    const result = await call(client, 'query', { sql: 'SELECT count(*) AS n FROM items' });
    expect(result.structuredContent).toMatchObject({ rows: [['250']] });
  });
});
