import { get } from 'node:https';
import { join } from 'node:path';
import { parseConfig } from '@sluice/config';
import { Control } from '@sluice/control';
import { Journal } from '@sluice/journal';
import { makeTestCa, scratchDir } from '@sluice/testkit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type AdminServer, startAdmin } from '../src/index.js';

const opened: { admin: AdminServer; journal: Journal }[] = [];

afterEach(async () => {
  for (const { admin, journal } of opened.splice(0)) {
    await admin.close();
    journal.close();
  }
});

async function adminWith(adminYaml: string, control = new Control()): Promise<AdminServer> {
  const dir = scratchDir('sluice-admin-tls-');
  const yaml = `
journal:
  path: ${join(dir, 'journal.db')}
admin:
  listen: 127.0.0.1:0
  token: secret-token
${adminYaml}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://svc@127.0.0.1:1/app
`;
  const result = parseConfig(yaml, { file: join(dir, 'sluice.yaml'), env: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const journal = Journal.open(result.config.journal.path);
  const admin = await startAdmin({ config: result.config, control, journal, log: pino({ level: 'silent' }) });
  opened.push({ admin, journal });
  return admin;
}

function httpsGet(url: string, ca: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca, headers: { authorization: `Bearer ${token}` } }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('the admin listener', () => {
  it('serves HTTPS with admin.tls', async () => {
    const ca = await makeTestCa();
    const admin = await adminWith(`  tls: { cert: ${ca.serverCert}, key: ${ca.serverKey} }`);
    expect(admin.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const reply = await httpsGet(`${admin.url}/api/grants`, ca.caPem, 'secret-token');
    expect(reply).toEqual({ status: 200, body: '[]' });
    await expect(fetch(`${admin.url.replace('https', 'http')}/healthz`)).rejects.toThrow();
  });

  it('answers /readyz with 503 and the failing check', async () => {
    const control = new Control();
    control.readiness = async () => [
      { name: 'journal', ok: true, detail: 'writable' },
      { name: 'upstream orders', ok: false, detail: '127.0.0.1:1: connect ECONNREFUSED' },
    ];
    const admin = await adminWith('', control);
    const response = await fetch(`${admin.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ready: false, checks: [{ ok: true }, { ok: false }] });
  });

  it('answers about one connection with ?connection=, keeping the gateway-wide checks', async () => {
    const control = new Control();
    control.readiness = async () => [
      { name: 'listener orders', ok: true, detail: '127.0.0.1:6432', connection: 'orders' },
      { name: 'listener billing', ok: true, detail: '127.0.0.1:6033', connection: 'billing' },
      { name: 'journal', ok: true, detail: 'writable' },
      { name: 'upstream orders', ok: true, detail: '10.0.0.5:5432', connection: 'orders' },
      {
        name: 'upstream billing',
        ok: false,
        detail: '10.0.0.6:3306: connect ECONNREFUSED',
        connection: 'billing',
      },
    ];
    const admin = await adminWith('', control);
    const orders = await fetch(`${admin.url}/readyz?connection=orders`);
    expect(orders.status).toBe(200);
    expect(
      ((await orders.json()) as { checks: { name: string }[] }).checks.map((check) => check.name),
    ).toEqual(['listener orders', 'journal', 'upstream orders']);
    const billing = await fetch(`${admin.url}/readyz?connection=billing`);
    expect(billing.status).toBe(503);
    expect((await fetch(`${admin.url}/readyz`)).status).toBe(503);
    const unknown = await fetch(`${admin.url}/readyz?connection=payroll`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'sluice: no connection "payroll"; connections: orders, billing',
    });

    control.readiness = async () => [
      { name: 'listener orders', ok: true, detail: '127.0.0.1:6432', connection: 'orders' },
      { name: 'journal', ok: false, detail: 'the disk is full' },
    ];
    expect((await fetch(`${admin.url}/readyz?connection=orders`)).status).toBe(503);
  });

  it('stays ready but says degraded while only a shared store is unreachable', async () => {
    const control = new Control();
    const storeDown = {
      name: 'journal store',
      ok: false,
      degraded: true,
      detail: 'connect ECONNREFUSED; 42 records wait in the segment log',
    };
    control.readiness = async () => [{ name: 'journal', ok: true, detail: 'writable' }, storeDown];
    const admin = await adminWith('', control);
    const response = await fetch(`${admin.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ready: true,
      degraded: true,
      checks: [{ ok: true }, storeDown],
    });

    control.readiness = async () => [{ name: 'journal', ok: false, detail: 'the disk is full' }, storeDown];
    const failing = await fetch(`${admin.url}/readyz`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({ ready: false, degraded: true });
  });
});
