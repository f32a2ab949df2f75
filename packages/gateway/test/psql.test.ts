import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/psql-session.sql', import.meta.url));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function psql(port: number, user: string, password: string): Promise<string> {
  const { stdout, stderr } = await run(
    'psql',
    ['-X', '-a', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', h.pg.database, '-f', script],
    { env: { ...process.env, PGPASSWORD: password, PGSSLMODE: 'prefer', PGAPPNAME: 'psql' } },
  );
  return `${stdout}\n--- stderr ---\n${stderr}`;
}

describe('psql through Sluice', () => {
  it('prints exactly what it prints against the server directly', async () => {
    const direct = await psql(h.pg.port, h.pg.roles.scram, h.pg.rolePassword);
    const through = await psql(h.port, h.agent.name, h.agent.secret);
    expect(direct).toContain('Table "shop.customers"');
    expect(direct).toContain('ERROR:  division by zero');
    expect(through.split('\n')).toEqual(direct.split('\n'));
  });

  it('journals every statement psql sent, with the caller identity', () => {
    const texts = [...h.journal.statements({ identity: h.agent.name })].map((s) => s.statement);
    expect(texts).toContain('SELECT 1/0');
    // `\;` sends two statements in one Query message: each is its own record.
    expect(texts).toContain("SELECT 'multi' AS a");
    expect(texts).toContain("SELECT 'statement' AS b");
    expect(texts.some((t) => t.startsWith('COPY customers (id, name) FROM STDIN'))).toBe(true);
    // \d runs catalog queries of its own: they are statements too.
    expect(texts.some((t) => t.includes('pg_catalog.pg_class'))).toBe(true);
  });
});
