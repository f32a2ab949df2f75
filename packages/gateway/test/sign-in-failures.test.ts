import { Journal } from '@sluice/journal';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { causeOf, SignInFailureJournal } from '../src/sign-in-failures.js';
import { startHarness } from './support/harness.js';

async function failToConnect(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await expect(client.connect()).rejects.toThrow();
  await client.end().catch(() => undefined);
}

describe('failed sign-ins', () => {
  it('are journalled with user, method, cause and host, never the secret; bursts coalesce', async () => {
    const h = await startHarness();
    try {
      for (let attempt = 0; attempt < 5; attempt += 1)
        await failToConnect(h.url(h.agent.name, 'not-the-secret'));
      await failToConnect(h.url('nobody', 'guess'));
      h.journal.revokeAccount(h.agent.name, 'test', 'left');
      await failToConnect(h.url());
      await h.gateway.close(100);
      // The gateway closed its journal; what it left is read from the file, as an auditor would.
      const records = Journal.open(h.journalPath, { readonly: true })
        .records.search({ type: 'sign_in_failed' })
        .records.map((r) => r.payload)
        .reverse();
      expect(records).toEqual([
        expect.objectContaining({
          user: 'ci-bot',
          method: 'scram-sha-256',
          cause: 'wrong-secret',
          count: 1,
          client_address: '127.0.0.1',
          connection: 'orders',
          protocol: 'postgres',
        }),
        expect.objectContaining({ user: 'nobody', method: 'oidc', cause: 'wrong-secret', count: 1 }),
        expect.objectContaining({ user: 'ci-bot', cause: 'revoked', count: 1 }),
        expect.objectContaining({ user: 'ci-bot', cause: 'wrong-secret', count: 4 }),
      ]);
      const text = JSON.stringify(records);
      expect(text).not.toContain('not-the-secret');
      expect(text).not.toContain(h.agent.secret);
    } finally {
      await h.close();
    }
  });

  it('writes a bounded number of records under a flood', () => {
    const written: unknown[] = [];
    const journal = {
      recordSignInFailure: (failure: unknown) => written.push(failure),
    } as unknown as Journal;
    const failures = new SignInFailureJournal(journal, pino({ level: 'silent' }), 60_000);
    for (let attempt = 0; attempt < 5000; attempt += 1) {
      failures.record({
        user: `u${attempt}`,
        method: 'scram-sha-256',
        reason: 'unknown user',
        clientHost: '10.0.0.1',
        connection: 'c',
        protocol: 'postgres',
      });
    }
    failures.flush();
    expect(written.length).toBe(1002);
    expect(written.at(-1)).toMatchObject({ user: '*', count: 3999 });
  });

  it('names causes from the reasons the protocols give', () => {
    expect(causeOf('service account "a" is revoked')).toBe('revoked');
    expect(causeOf('service account "a" expired')).toBe('expired');
    expect(causeOf('token rejected: "exp" claim timestamp check failed')).toBe('token-rejected');
  });
});
