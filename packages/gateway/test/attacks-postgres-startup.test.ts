import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

/**
 * Startup packets that try to reach more than the connection gives: another role through
 * `options` in every spelling the server reads, another database or user, replication.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ policyYaml: '    guardrails: strict' });
  // A role the upstream login may switch to: if a switch got through, current_user would show it.
  await h.pg.psql(`CREATE ROLE elevated NOLOGIN; GRANT elevated TO ${h.pg.roles.scram};`);
  await h.pg.psql('CREATE DATABASE otherdb');
});
afterAll(() => h?.close());

interface Outcome {
  readonly refused?: { code?: string; message: string };
  readonly who?: { current_user: string; session_user: string; db: string };
}

async function attempt(config: Partial<pg.ClientConfig>, url = h.url()): Promise<Outcome> {
  const client = new pg.Client({ connectionString: url, ...config });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    return { refused: error as { code?: string; message: string } };
  }
  try {
    const { rows } = await client.query<{ current_user: string; session_user: string; db: string }>(
      'SELECT current_user, session_user, current_database() AS db',
    );
    return { who: rows[0] as Outcome['who'] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('role switching smuggled in the startup packet', () => {
  const variants = [
    '-c role=elevated',
    '-crole=elevated',
    '-c ROLE=elevated',
    '--role=elevated',
    '--Role=elevated',
    '-c   role=elevated',
    '-c ro\\le=elevated',
    '\\-c role=elevated',
    '-c role\\=elevated',
    '--ro\\le=elevated',
    '-ecrole=elevated',
    '-e -c role=elevated',
    '-c search_path=public -c role=elevated',
    '-c session_authorization=elevated',
    '-c session-authorization=elevated',
    '--session-authorization=elevated',
    '-O -c role=elevated',
  ];

  it('never serves a session whose role is not the connection’s, whatever the spelling', async () => {
    const escalated: string[] = [];
    for (const options of variants) {
      const outcome = await attempt({ options });
      if (outcome.who && outcome.who.current_user !== h.pg.roles.scram) escalated.push(options);
      expect(outcome.refused, `not refused: ${options} (${JSON.stringify(outcome.who)})`).toBeDefined();
      expect(outcome.refused?.message, options).toMatch(/^sluice: /);
      expect(['42501', '0A000'], options).toContain(outcome.refused?.code);
    }
    expect(escalated).toEqual([]);
  });

  it('judges escaped spellings of loosened settings as the SET they stand for', async () => {
    for (const options of [
      '\\-c default_transaction_read_only=off',
      '-c default-transaction-read-only=off',
    ]) {
      const outcome = await attempt({ options });
      expect(outcome.refused?.code, options).toBe('42501');
      expect(outcome.refused?.message, options).toContain('guardrail:loosened-setting');
    }
  });

  it('still serves harmless settings in options', async () => {
    const outcome = await attempt({ options: '-c statement_timeout=30s --application_name=probe' });
    expect(outcome.who?.current_user).toBe(h.pg.roles.scram);
  });
});

describe('another database, user or replication in the startup packet', () => {
  it('reaches only the connection’s database and role, whatever database the client names', async () => {
    for (const database of ['otherdb', 'postgres', 'template1']) {
      const outcome = await attempt({ database });
      expect(outcome.who, database).toEqual({
        current_user: h.pg.roles.scram,
        session_user: h.pg.roles.scram,
        db: h.pg.database,
      });
    }
  });

  it('logs the caller in upstream as the connection’s role, not as the name it signed in with', async () => {
    const token = await h.issuer.sign({ sub: h.pg.superuser.user });
    const outcome = await attempt({}, h.url(h.pg.superuser.user, token));
    expect(outcome.who?.session_user).toBe(h.pg.roles.scram);
    expect(outcome.who?.current_user).toBe(h.pg.roles.scram);
  });

  it('refuses every spelling of a replication connection', async () => {
    for (const replication of ['database', 'true', 'on', 'yes', '1', 'TRUE']) {
      const outcome = await attempt({ replication } as Partial<pg.ClientConfig>);
      expect(outcome.refused?.code, replication).toBe('0A000');
    }
  });
});
