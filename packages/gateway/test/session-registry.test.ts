import type { LiveSessionInfo } from '@sluice/control';
import { describe, expect, it } from 'vitest';
import { type LiveSession, SessionRegistry } from '../src/session-registry.js';

function session(id: string, identityName: string): LiveSession & { terminated: string[] } {
  const terminated: string[] = [];
  return {
    id,
    identityName,
    terminated,
    describe: () => ({ id, identity: identityName }) as LiveSessionInfo,
    terminate: (reason) => terminated.push(reason),
    drain: () => undefined,
    closed: new Promise(() => undefined),
  };
}

describe('SessionRegistry revocations', () => {
  it('ends the sessions of a revoked identity, and later ones once they are open', async () => {
    const registry = new SessionRegistry();
    const open = session('s1', 'doomed-bot');
    registry.add(open);
    const reason = 'service account "doomed-bot" was revoked';
    expect(registry.terminateIdentity('doomed-bot', reason)).toBe(1);
    expect(open.terminated).toEqual([reason]);

    // Signed in before the revocation was heard of, opened after it.
    const late = session('s2', 'doomed-bot');
    const other = session('s3', 'ci-bot');
    registry.add(late);
    registry.add(other);
    expect(late.terminated).toEqual([]);
    await Promise.resolve();
    expect(late.terminated).toEqual([reason]);
    expect(other.terminated).toEqual([]);
    expect(registry.revocationOf('doomed-bot')).toBe(reason);
    expect(registry.revocationOf('ci-bot')).toBeUndefined();
  });
});
