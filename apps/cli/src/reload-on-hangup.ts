import type { Gateway } from '@sluice/gateway';
import type { Logger } from 'pino';
import { readConfig } from './config-option.js';

/**
 * `kill -HUP` re-reads the configuration file and hands its policies to the running gateway.
 * A file with problems, or one that changes what only a restart can change, is refused with
 * the reason logged, and the gateway keeps the configuration it runs. The handler stays while the
 * gateway drains: a SIGHUP then must not kill the process, as the default action would.
 */
export function reloadOnHangup(file: string, gateway: Gateway, log: Logger): void {
  const reload = (): void => {
    try {
      const result = gateway.reload(readConfig(file));
      log.info({ file, changed: result.connections }, 'configuration reloaded');
      const kept = result.sessionsOnPreviousSettings;
      if (kept.length > 0)
        log.warn(
          { sessions: kept },
          'open sessions keep the masking and statement time limit they started with; end them to apply the new ones',
        );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.error({ file, reason }, 'configuration reload refused; the running configuration stays');
    }
  };
  process.on('SIGHUP', reload);
}
