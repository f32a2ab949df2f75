import { Journal } from '@sluice/journal';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { loginOutcome } from './support/raw-postgres.js';

/**
 * Guessing secrets: failed sign-ins are counted per source address and per user name; past the
 * limit (20 a minute) attempts are refused before any secret is checked, and journalled.
 * Source addresses other than 127.0.0.1 are other loopback addresses, as a second host.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const LIMIT = 20;

/** 'ok', or the SQLSTATE and message of the refusal. */
function tryLogin(user: string, password: string, from: string): Promise<string> {
  return loginOutcome(h.port, user, password, h.pg.database, from);
}

describe('brute force of sign-in secrets', () => {
  it('refuses a source address after too many failures, even with a right token, and no other address', async () => {
    for (let attempt = 0; attempt < LIMIT; attempt++)
      expect(await tryLogin(`guess-${attempt}`, 'not-a-token', '127.0.0.3')).toMatch(/^28P01: /);
    const good = await h.issuer.sign({ sub: 'patient' });
    expect(await tryLogin('patient', good, '127.0.0.3')).toMatch(
      /^28000: sluice: too many failed sign-ins from 127\.0\.0\.3; try again in \d+ s$/,
    );
    expect(await tryLogin('patient', good, '127.0.0.4')).toBe('ok');
  });

  it('refuses a user name attacked from many addresses, and no other user', async () => {
    for (let attempt = 0; attempt < LIMIT; attempt++)
      expect(await tryLogin('mallory', 'not-a-token', `127.0.1.${attempt + 1}`)).toMatch(/^28P01: /);
    const token = await h.issuer.sign({ sub: 'mallory' });
    expect(await tryLogin('mallory', token, '127.0.2.1')).toMatch(
      /^28000: sluice: too many failed sign-ins for user "mallory"/,
    );
    expect(await tryLogin('someone-else', await h.issuer.sign({ sub: 'someone-else' }), '127.0.2.1')).toBe(
      'ok',
    );
  });

  it('counts wrong service-account secrets too, and journals failures and refusals', async () => {
    const secret = h.addAgent('target-bot');
    const url = (password: string): string => h.url('target-bot', password);
    // Over SCRAM from 127.0.0.1: the same counters as clear-text tokens.
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      const client = new pg.Client({ connectionString: url(`wrong-${attempt}`) });
      await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
      await client.end().catch(() => undefined);
    }
    const client = new pg.Client({ connectionString: url(secret) });
    await expect(client.connect()).rejects.toMatchObject({ code: '28000' });
    await client.end().catch(() => undefined);
    await h.gateway.close(100);
    // The gateway closed its journal; what it left is read from the file, as an auditor would.
    const records = Journal.open(h.journalPath, { readonly: true })
      .records.search({ type: 'sign_in_failed' })
      .records.map((r) => r.payload as Record<string, unknown>);
    const mine = records.filter((r) => r.user === 'target-bot');
    expect([...new Set(mine.map((r) => r.cause))].sort()).toEqual(['throttled', 'wrong-secret']);
    expect(records.some((r) => r.user === 'mallory' && r.cause === 'throttled')).toBe(true);
    expect(JSON.stringify(records)).not.toContain(secret);
  });
});
