import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export interface ProgressReporter {
  /** The gateway said something while the statement runs (PostgreSQL: the approval it waits for). */
  notice(message: string): void;
  stop(): void;
}

const REPEAT_MS = 5_000;

/**
 * Tells the MCP client why a call is slow: each notice from the gateway becomes a progress
 * notification at once, repeated with the time waited so far, so a client does not give up on
 * a statement held for approval.
 */
export function waitingReporter(
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): ProgressReporter {
  const token = extra._meta?.progressToken;
  let step = 0;
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  const send = (message: string): void => {
    if (token === undefined) return;
    step += 1;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: step, message },
      })
      .catch(() => undefined);
  };
  return {
    notice(message) {
      if (!message.startsWith('sluice:')) return;
      send(message);
      if (timer) return;
      timer = setInterval(() => {
        const seconds = Math.round((Date.now() - started) / 1000);
        send(`${message} (waiting ${seconds} s)`);
      }, REPEAT_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
