import { ControlError } from '@sluice/control';
import { type ScratchPostgres, startPostgres } from '@sluice/testkit';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { alice, createStore, heldStatement, member, storeAddress } from './support/cluster.js';

let server: ScratchPostgres;

beforeAll(async () => {
  server = await startPostgres();
  await createStore(server);
});

afterAll(async () => {
  await server?.stop();
});

it('keeps local approvals working while the store is down, and publishes them once it is back', async () => {
  const store = storeAddress(server);
  const a = await member(store, 'gw-a');
  const b = await member(store, 'gw-b');
  try {
    const earlier = a.control.approvals.request(heldStatement());
    await vi.waitFor(() => expect(b.control.approvals.get(earlier.id)).toBeDefined(), { timeout: 1000 });
    expect(a.link.check()).toMatchObject({ name: 'control store', ok: true });

    await server.pause();
    await vi.waitFor(
      () =>
        expect(a.link.check()).toMatchObject({
          name: 'control store',
          ok: false,
          degraded: true,
          detail: expect.stringMatching(/^control store unreachable: /),
        }),
      { timeout: 3000, interval: 50 },
    );
    expect(a.control.storeStatus?.()).toMatchObject({ up: false });

    // A request made and decided here goes on as without a store.
    const during = a.control.approvals.request(heldStatement({ sessionId: 's-a2' }));
    const outcome = a.control.approvals.outcome(during.id);
    await expect(a.control.approve(during.id, alice)).resolves.toMatchObject({ state: 'approved' });
    await expect(outcome).resolves.toMatchObject({ kind: 'approved' });
    a.control.approvals.withdraw(earlier.id, 'the client disconnected');
    expect(a.link.status().waitingChanges).toBe(2);

    // Deciding another gateway's request needs the store: refused at once, saying why.
    await vi.waitFor(() => expect(b.link.check().ok).toBe(false), { timeout: 3000, interval: 50 });
    const refused = await b.control.approve(earlier.id, alice).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ControlError);
    expect(refused).toMatchObject({ code: 'unavailable' });
    expect((refused as Error).message).toMatch(/^sluice: the control store is unreachable/);

    await server.resume();
    await vi.waitFor(
      () => {
        expect(b.control.approvals.get(during.id)).toMatchObject({
          state: 'approved',
          approvals: [{ by: 'alice' }],
        });
        expect(b.control.approvals.get(earlier.id)).toMatchObject({
          state: 'withdrawn',
          endReason: 'the client disconnected',
        });
      },
      { timeout: 6000, interval: 50 },
    );
    expect(a.link.check().ok).toBe(true);
    expect(a.link.status().waitingChanges).toBe(0);
  } finally {
    for (const each of [a, b]) {
      each.control.close('the test ended');
      await each.link.close();
    }
  }
});

it('does not take a store restart for the other gateways stopping', async () => {
  const store = storeAddress(server);
  const a = await member(store, 'gw-a');
  const b = await member(store, 'gw-b');
  try {
    const request = a.control.approvals.request(heldStatement());
    await vi.waitFor(() => expect(b.control.approvals.get(request.id)?.state).toBe('pending'), {
      timeout: 1000,
    });
    const seenOnB: string[] = [];
    b.control.events.onEvery((event) => seenOnB.push(`${event.type} ${event.action}`));
    await server.pause();
    // Longer than a gateway may be silent: nobody could beat while the store was down.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    await server.resume();
    await vi.waitFor(() => expect(b.link.check().ok).toBe(true), { timeout: 5000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(b.control.approvals.get(request.id)?.state).toBe('pending');
    // Not even for a moment shown as ended (a console would have said "gateway gw-a stopped").
    expect(seenOnB).toEqual([]);
    await expect(b.control.approve(request.id, alice)).resolves.toMatchObject({ state: 'approved' });
  } finally {
    for (const each of [a, b]) {
      each.control.close('the test ended');
      await each.link.close();
    }
  }
}, 40_000);
