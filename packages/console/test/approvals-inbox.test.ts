import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type ConsoleHarness, startConsoleHarness } from './support/console-harness.js';

let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
});

afterAll(async () => {
  await h?.close();
});

async function agent(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: h.agentUrl });
  await client.connect();
  return client;
}

/** The card of the pending request whose statement contains `text`, once it is on screen. */
async function cardOf(page: Page, text: string) {
  const card = page.locator('article.approval.pending', { hasText: text });
  await card.waitFor({ timeout: 5000 });
  return card;
}

describe('the approvals inbox', () => {
  it('shows a held statement without a reload; approving it gives the agent its rows', async () => {
    const page = await h.signedInPage(ADMIN_TOKEN);
    await page.getByText('Nothing is waiting for a decision.').waitFor();
    await page.getByText('Live: new requests appear here').waitFor();
    await h.screenshot(page, 'approvals-empty');
    const client = await agent();
    try {
      await client.query('SELECT id, item FROM orders ORDER BY id');
      const heldAt = Date.now();
      const running = client.query("UPDATE orders SET item = 'approved' WHERE id = 2 RETURNING id, item");
      const card = await cardOf(page, "SET item = 'approved'");
      const onScreenMs = Date.now() - heldAt;
      expect(onScreenMs).toBeLessThan(1000);
      console.log(`held statement on screen ${onScreenMs} ms after the agent sent it`);
      await expect(card.locator('.identity').textContent()).resolves.toBe('ci-bot');
      await expect(card.locator('.analysis').textContent()).resolves.toContain('update');
      await expect(card.locator('.sql-keyword').first().textContent()).resolves.toBe('UPDATE');
      await expect(card.locator('.recent').textContent()).resolves.toContain('SELECT id, item FROM orders');
      await h.screenshot(page, 'approvals-pending');
      await card.getByRole('button', { name: 'Approve' }).click();
      const result = await running;
      expect(result.rows).toEqual([{ id: 2, item: 'approved' }]);
      await page.getByText('Nothing is waiting for a decision.').waitFor();
      await page.getByRole('tab', { name: 'Decided' }).click();
      await page.locator('article.approval.approved', { hasText: "SET item = 'approved'" }).waitFor();
      await expect(page.locator('article.approval.approved').first().textContent()).resolves.toMatch(
        /approved by sluice-admin|approved by/,
      );
      await h.screenshot(page, 'approvals-decided');
    } finally {
      await client.end();
      await page.context().close();
    }
  });

  it('denies with a reason, which the agent receives as its error', async () => {
    const page = await h.signedInPage(ADMIN_TOKEN, { width: 390, height: 844 });
    const client = await agent();
    try {
      const running = client.query('UPDATE orders SET item = $1 WHERE id = $2', ['denied', 3]).then(
        () => 'ran',
        (error: Error) => error.message,
      );
      const card = await cardOf(page, 'SET item = $1');
      // What the statement would write is in its parameters: the approver sees them.
      await expect(card.getByRole('list', { name: 'Parameters' }).textContent()).resolves.toBe(
        '$1 = denied$2 = 3',
      );
      await h.screenshot(page, 'approvals-pending');
      await card.getByRole('button', { name: 'Deny…' }).click();
      const reason = card.getByLabel(/Why deny this statement/);
      await expect(reason.evaluate((field) => field === document.activeElement)).resolves.toBe(true);
      await page.keyboard.type('use a narrower WHERE clause');
      await h.screenshot(page, 'approvals-deny-reason');
      await page.keyboard.press('Enter');
      const message = await running;
      expect(message).toMatch(/approval denied by .*: use a narrower WHERE clause/);
      expect(await h.pg.psql('SELECT item FROM orders WHERE id = 3')).toBe('three');
    } finally {
      await client.end();
      await page.context().close();
    }
  });

  it('shows an auditor the request without an approve button, and the API refuses them anyway', async () => {
    const token = await h.jwt('audrey', ['audit']);
    const page = await h.signedInPage(token);
    const client = await agent();
    try {
      const running = client
        .query("UPDATE orders SET item = 'audited' WHERE id = 1")
        .catch((error: Error) => error);
      const card = await cardOf(page, "SET item = 'audited'");
      await expect(card.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
      await expect(card.textContent()).resolves.toContain('You may look at this request but not decide it.');
      await h.screenshot(page, 'approvals-auditor');
      const id = await card.getAttribute('data-request');
      const refused = await fetch(`${h.admin.url}/api/approvals/${id}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status).toBe(403);
      expect(h.gateway.control.approvals.get(id ?? '')?.state).toBe('pending');
      const admin = await h.signedInPage(ADMIN_TOKEN);
      await (await cardOf(admin, "SET item = 'audited'")).getByRole('button', { name: 'Deny…' }).click();
      await admin.getByLabel(/Why deny this statement/).fill('cleaning up after the auditor test');
      await admin.getByRole('button', { name: 'Deny with this reason' }).click();
      expect(String(await running)).toContain('cleaning up after the auditor test');
      await admin.context().close();
    } finally {
      await client.end();
      await page.context().close();
    }
  });

  it('keeps a card still while a newer request arrives: the newer one waits behind "Show new"', async () => {
    const page = await h.signedInPage(ADMIN_TOKEN);
    const first = await agent();
    const second = await agent();
    try {
      const one = first.query("UPDATE orders SET item = 'first' WHERE id = 1 RETURNING item");
      const card = await cardOf(page, "SET item = 'first'");
      const before = await card.boundingBox();
      const two = second.query("UPDATE orders SET item = 'second' WHERE id = 2 RETURNING item");
      const arrivals = page.getByRole('button', { name: 'Show 1 new request (ci-bot)' });
      await arrivals.waitFor({ timeout: 2000 });
      expect(await card.boundingBox()).toEqual(before);
      await h.screenshot(page, 'approvals-new-arrival');
      await arrivals.click();
      const newer = await cardOf(page, "SET item = 'second'");
      const [newerBox, olderBox] = [await newer.boundingBox(), await card.boundingBox()];
      expect(newerBox?.y ?? 0).toBeLessThan(olderBox?.y ?? 0);
      await newer.getByRole('button', { name: 'Approve' }).click();
      await card.getByRole('button', { name: 'Approve' }).click();
      expect((await one).rows).toEqual([{ item: 'first' }]);
      expect((await two).rows).toEqual([{ item: 'second' }]);
    } finally {
      await first.end();
      await second.end();
      await page.context().close();
    }
  });

  it('refuses a wrong token with a sentence', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(h.admin.url);
    await page.getByLabel('Admin token or OIDC token').fill('not-the-token');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Invalid admin token.');
    await page.setViewportSize({ width: 390, height: 844 });
    await h.screenshot(page, 'sign-in-refused');
    await context.close();
  });
});
