import { createHash } from 'node:crypto';
import { type OidcProvider, startOidcProvider } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CLIENT_ID, type ConsoleHarness, startConsoleHarness } from './support/console-harness.js';

let provider: OidcProvider;
let h: ConsoleHarness;

beforeAll(async () => {
  provider = await startOidcProvider({ sub: 'bob', groups: ['dba'] });
  h = await startConsoleHarness({ provider });
});

afterAll(async () => {
  await h?.close();
  await provider?.close();
});

describe('signing in to the console with the identity provider (authorization code + PKCE)', () => {
  it('signs an approver in through the provider, who then approves a held statement', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(h.admin.url);
    const button = page.getByRole('button', { name: `Sign in with ${new URL(provider.issuer).host}` });
    await button.waitFor();
    await h.screenshot(page, 'sign-in');
    await page.setViewportSize({ width: 390, height: 844 });
    await h.screenshot(page, 'sign-in');
    await page.setViewportSize({ width: 1280, height: 800 });
    await button.click();
    await page.getByText('bob (approver)').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(provider.refusals).toEqual([]);
    const client = new pg.Client({ connectionString: h.agentUrl });
    await client.connect();
    try {
      const running = client.query("UPDATE orders SET item = 'by bob' WHERE id = 1 RETURNING item");
      const card = page.locator('article.approval.pending', { hasText: "SET item = 'by bob'" });
      await card.getByRole('button', { name: 'Approve' }).click();
      expect((await running).rows).toEqual([{ item: 'by bob' }]);
      expect(h.gateway.journal.entriesOfType('approval').at(-1)?.payload).toMatchObject({
        action: 'approved',
      });
    } finally {
      await client.end();
      await context.close();
    }
  });

  it('refuses a code with the wrong verifier, and a callback this tab did not start', async () => {
    const verifier = 'a'.repeat(64);
    const authorize = new URL(`${provider.issuer}authorize`);
    for (const [key, value] of Object.entries({
      response_type: 'code',
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: `${h.admin.url}/oidc/callback`,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 'x',
    })) {
      authorize.searchParams.set(key, value);
    }
    const redirect = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
    const reply = await fetch(`${h.admin.url}/api/console/oidc-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code,
        code_verifier: 'b'.repeat(64),
        redirect_uri: `${h.admin.url}/oidc/callback`,
      }),
    });
    expect(reply.status).toBe(401);
    expect((await reply.json()).error).toContain('code_verifier does not match the challenge');

    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.admin.url}/oidc/callback?code=${code}&state=forged`);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'This sign-in was not started from this tab, or it was already used; sign in again.',
    );
    await context.close();
  });
});
