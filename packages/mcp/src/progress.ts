import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export interface ProgressReporter {
  /** The gateway said something while the statement runs (PostgreSQL: the approval it waits for). */
  notice(message: string): void;
  stop(): void;
}

const REPEAT_MS = 5_000;

/**
 * Tells the MCP client why a call is slow, when it asked for progress: a notice from the gateway
 * (the approval a statement waits for) at once, and every 5 s the time waited so far, so a
 * client does not give up on a statement held for approval. MySQL sends no notice while a
 * statement is held, so there the repeats are all the client hears.
 */
export function waitingReporter(
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): ProgressReporter {
  const token = extra._meta?.progressToken;
  const started = Date.now();
  let step = 0;
  let latest = 'the statement is still running';
  const send = (message: string): void => {
    step += 1;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token ?? '', progress: step, message },
      })
      .catch(() => undefined);
  };
  if (token === undefined) return { notice: () => undefined, stop: () => undefined };
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    send(`${latest} (${seconds} s so far)`);
  }, REPEAT_MS);
  timer.unref();
  return {
    notice(message) {
      if (!message.startsWith('sluice:')) return;
      latest = message;
      send(message);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
