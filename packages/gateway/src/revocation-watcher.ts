import type { Journal } from '@sluice/journal';
import type { Logger } from 'pino';
import type { SessionRegistry } from './session-registry.js';

const POLL_INTERVAL_MS = 500;

/**
 * Revocations are written to the journal by whichever process ran `sluice agents revoke`; the
 * gateway polls the account events and closes the revoked identity's sessions within a second.
 */
export function watchRevocations(journal: Journal, registry: SessionRegistry, log: Logger): () => void {
  let seen = journal.headSeq();
  const timer = setInterval(() => {
    try {
      for (const event of journal.accountEventsSince(seen)) {
        seen = Math.max(seen, event.seq);
        if (event.action !== 'revoke') continue;
        const closed = registry.terminateIdentity(event.account, `identity "${event.account}" was revoked`);
        log.info({ identity: event.account, sessions: closed }, 'identity revoked; sessions closed');
      }
    } catch (error) {
      log.error({ err: error }, 'cannot read account events from the journal');
    }
  }, POLL_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
