import { AdminClient, inProcessAdmin } from '@sluice/admin';
import type { SluiceConfig } from '@sluice/config';
import { Control } from '@sluice/control';
import { journalControlEvents, restoreGrants } from '@sluice/gateway';
import { Journal } from '@sluice/journal';
import { pino } from 'pino';
import { CliError } from './cli-error.js';
import { writerOptions } from './config-option.js';

/** The admin API in this process, on the journal file, for when no gateway runs. */
export interface LocalAdmin {
  readonly client: AdminClient;
  close(): Promise<void>;
}

/**
 * The routes a gateway serves, on the journal file and a control state of their own (the grants
 * the journal says are active; nothing pending, no sessions): a command answers and journals
 * exactly as it does through a running gateway, as the local owner. Refused when a gateway
 * holds the journal, for then its socket did not answer.
 */
export async function openLocalAdmin(
  journalPath: string,
  socketPath: string,
  config: SluiceConfig | undefined,
): Promise<LocalAdmin> {
  const journal = openWritable(journalPath, socketPath, config);
  const log = pino({ level: 'silent' });
  const control = new Control();
  const stopJournalling = journalControlEvents(control, journal, log);
  const release = (): void => {
    // Grant expiry timers run only in a gateway; the gateway journals an expiry when it starts again.
    control.grants.close();
    stopJournalling();
    journal.close();
  };
  try {
    restoreGrants(control, journal);
    const admin = await inProcessAdmin({ config, control, journal, log });
    return {
      client: new AdminClient({ url: 'http://local', fetch: admin.fetch, label: journalPath }),
      async close() {
        await admin.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** JournalError code `locked`: another process (a gateway) writes this journal. */
function openWritable(journalPath: string, socketPath: string, config: SluiceConfig | undefined): Journal {
  try {
    return Journal.open(journalPath, writerOptions(config));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'locked') {
      throw new CliError(
        `the journal ${journalPath} is in use by a running gateway, but nothing answers on its admin ` +
          `socket ${socketPath}; wait until the gateway is ready, or restart it`,
      );
    }
    throw error;
  }
}
