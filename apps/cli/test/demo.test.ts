import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, scratchDir } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { CLI, sluice } from './support/cli.js';

const run = promisify(execFile);
/** PGlite's first start runs initdb in WASM: seconds on an idle machine, far more on a busy one. */
const DEMO_TIMEOUT_MS = 120_000;

interface DemoRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function demo(args: readonly string[]): Promise<DemoRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'demo', ...args], {
      timeout: DEMO_TIMEOUT_MS,
      env: { ...process.env, NO_COLOR: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** The text between a step's heading and the next one. */
function section(transcript: string, heading: RegExp): string {
  const start = transcript.search(heading);
  expect(start, `no step matching ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = transcript.slice(start);
  const next = rest.slice(1).search(/\n\d+\. /);
  return next === -1 ? rest : rest.slice(0, next + 1);
}

describe('sluice demo --once', () => {
  it(
    'prints every step of the scripted agent, leaves a verifiable journal and stops everything',
    async () => {
      const dir = scratchDir('sluice-demo-test-');
      const result = await demo(['--once', '--dir', dir]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const out = result.stdout;
      // Not a terminal: no colour codes, no spinner.
      expect(out).not.toContain('\u001b[');

      const masked = section(out, /1\. Personal data is masked/);
      expect(masked).toMatch(/a\*\*\*@example\.com/);
      expect(masked).not.toContain('alice@example.com');
      expect(masked).not.toContain('4111 1111 1111 1111');
      expect(masked).not.toContain('987-65-432');
      expect(masked).not.toContain('accounts@keller.example.net');
      expect(masked).toMatch(/\*+1111/);
      expect(masked).toMatch(/h_[0-9a-f]{16}/);

      const drop = section(out, /2\. A destructive statement is blocked/);
      expect(drop).toContain('DROP TABLE customers');
      expect(drop).toMatch(/sluice: blocked by guardrail:\S* DROP TABLE/);
      const deletion = section(out, /3\. A DELETE without WHERE is blocked/);
      expect(deletion).toMatch(/sluice: blocked by guardrail:\S* DELETE on orders has no WHERE clause/);
      expect(deletion).toContain('5 orders, all still there');
      const write = section(out, /4\. An ordinary write goes through/);
      expect(write).toContain('allowed  UPDATE 1');

      const held = section(out, /5\. A risky write waits for a person/);
      const id = /held {2}sluice: waiting for approval (apr-\w+)/.exec(held)?.[1];
      expect(id).toBeDefined();
      expect(held).toMatch(
        new RegExp(`${id} +demo-agent +customer-changes-need-approval +UPDATE customers SET phone = NULL`),
      );
      expect(held).toMatch(/allowed {2}UPDATE 1, [\d.]+s after it was sent: approved by rita@example\.com/);

      const identities = section(out, /6\. Two identities/);
      expect(identities).toMatch(/demo-agent\s+service-account secret \(SCRAM\)\s+postgres\s+demo-agent/);
      expect(identities).toMatch(
        /ana@example\.com\s+JWT from login\.example\.com\s+postgres\s+ana@example\.com/,
      );

      const mcp = section(out, /7\. An agent that speaks MCP/);
      expect(mcp).toContain('tools: list_connections, list_tables, describe_table, query, explain');
      expect(mcp).toContain('Alice Martin | a***@example.com');
      expect(mcp).toContain(
        'blocked  Refused by guardrail:unbounded-write: DELETE on orders has no WHERE clause',
      );
      expect(mcp).toContain('What would be allowed: add a WHERE clause naming the rows');

      const journal = section(out, /8\. The journal of what happened/);
      expect(journal).toContain(`approval ${id} approved by rita@example.com`);
      expect(journal).toMatch(
        /demo-agent approved by rita@example\.com \(rule customer-changes-need-approval\): UPDATE customers/,
      );
      expect(journal).toContain('account create demo-agent');
      expect(journal).toMatch(/demo-agent blocked by guardrail:\S*: DROP TABLE customers/);
      expect(journal).toMatch(/ana@example\.com allowed: SELECT current_user/);
      expect(section(out, /9\. The journal is tamper-evident/)).toMatch(/journal intact: \d+ record\(s\)/);

      // The journal it left behind verifies on its own, and names both identities.
      const verify = await sluice(['audit', 'verify', '--journal', join(dir, 'sluice.db'), '--json']);
      expect(verify.code).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, problems: [] });
      const exported = await sluice(['audit', 'export', '--journal', join(dir, 'sluice.db')]);
      const records = exported.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { identity: string; decision: string; protocol: string });
      expect(new Set(records.map((record) => record.identity))).toEqual(
        new Set(['demo-agent', 'ana@example.com']),
      );
      expect(records.filter((record) => record.decision === 'blocked')).toHaveLength(3);
      expect(records.filter((record) => record.protocol === 'mcp').length).toBeGreaterThanOrEqual(2);

      // The config it ran with is a valid config for `sluice start`.
      expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toContain('guardrails: strict');
      const check = await sluice(['check', '--config', join(dir, 'sluice.yaml')]);
      expect(check.code).toBe(0);

      // Nothing is left listening: neither the gateway nor the embedded database.
      const gatewayPort = Number(/Sluice listens on 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const databasePort = Number(/ready on 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      expect(await refusesConnections(gatewayPort)).toBe(true);
      expect(await refusesConnections(databasePort)).toBe(true);
    },
    DEMO_TIMEOUT_MS + 30_000,
  );

  it('refuses a port that is taken with a one-line reason, before starting anything', async () => {
    const port = await freePort();
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await demo(['--once', '--port', String(port), '--dir', scratchDir('sluice-demo-test-')]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toBe(`sluice: port ${port} on 127.0.0.1 is in use; choose another with --port\n`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
