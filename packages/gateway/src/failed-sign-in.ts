import type { Logger } from 'pino';
import type { ListenerContext } from './listener-context.js';

/** Journals a refused sign-in (IA-2); a journal that cannot take it is logged, the refusal stands. */
export function journalFailedSignIn(
  context: ListenerContext,
  log: Logger,
  attempt: { readonly user: string; readonly clientAddress: string; readonly reason: string },
): void {
  try {
    context.journal.signInFailed({
      ...attempt,
      connection: context.connection.name,
      protocol: context.connection.protocol,
    });
  } catch (error) {
    log.error({ err: error, user: attempt.user }, 'could not journal a failed sign-in');
  }
}
