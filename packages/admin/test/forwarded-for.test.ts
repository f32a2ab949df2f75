import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type AdminHarness, adminRecords, startAdminHarness } from './support/admin-harness.js';

/**
 * Behind an HTTP proxy (HAProxy's admin frontend, `option forwardfor`) every admin call comes
 * from the proxy: `admin.forwarded_from` lists the proxies whose X-Forwarded-For names the caller.
 */
let pg: ScratchPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(() => pg?.stop());

/** Adds a service account (a call that is journalled) claiming to come from `forwardedFor`. */
async function addAgent(h: AdminHarness, name: string, forwardedFor: string): Promise<string> {
  const response = await fetch(`${h.admin.url}/api/agents`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      'content-type': 'application/json',
      'x-forwarded-for': forwardedFor,
    },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  const call = adminRecords(h)
    .filter((payload) => payload.path === '/api/agents')
    .at(-1);
  return String(call?.client_address);
}

describe('admin calls through an HTTP proxy', () => {
  it('journal the caller a listed proxy names', async () => {
    const h = await startAdminHarness({ pg, adminYaml: '  forwarded_from: [127.0.0.1]' });
    try {
      expect(await addAgent(h, 'named-bot', '203.0.113.7')).toBe('203.0.113.7');
      // A chain of proxies: the nearest address not listed is the caller.
      expect(await addAgent(h, 'chained-bot', '198.51.100.9, 203.0.113.8')).toBe('203.0.113.8');
    } finally {
      await h.close();
    }
  });

  it('journal the peer when it is not a listed proxy, whatever header it sends', async () => {
    const h = await startAdminHarness({ pg, adminYaml: '  forwarded_from: [10.0.4.2]' });
    try {
      expect(await addAgent(h, 'spoofing-bot', '203.0.113.7')).toBe('127.0.0.1');
    } finally {
      await h.close();
    }
  });
});
