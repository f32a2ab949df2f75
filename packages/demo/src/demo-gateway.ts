import { type AdminServer, startAdmin } from '@sluice/admin';
import type { SluiceConfig } from '@sluice/config';
import { type Gateway, startGateway } from '@sluice/gateway';
import { CONNECTION_NAME, writeDemoConfig } from './demo-config.js';
import type { EmbeddedPostgres } from './embedded-postgres.js';
import { DemoError } from './errors.js';
import { choosePort, isAddressInUse, probePort } from './ports.js';

/** The logger `startGateway` takes (pino's), named without importing pino here. */
export type GatewayLogger = Parameters<typeof startGateway>[1];

export interface DemoGateway {
  readonly gateway: Gateway;
  /** The admin API beside it, where the demo's reviewer approves. */
  readonly admin: AdminServer;
  readonly config: SluiceConfig;
  readonly configPath: string;
  readonly port: number;
}

/** A port chosen by the demo can be taken between the probe and the bind; try a few. */
const BIND_ATTEMPTS = 3;

/** Fails fast, before the slow database start, when the port the user chose is taken. */
export async function ensurePortAvailable(requestedPort: number | undefined): Promise<void> {
  if (requestedPort === undefined || requestedPort === 0) return;
  if ((await probePort(requestedPort)) === undefined) {
    throw new DemoError(
      'port-taken',
      `port ${requestedPort} on 127.0.0.1 is in use; choose another with --port`,
    );
  }
}

/**
 * Writes the demo config for a port and starts Sluice with it in this process. `requestedPort`
 * is the user's `--port`; without it the preferred port is used when free, another otherwise.
 */
export async function startDemoGateway(
  dir: string,
  database: EmbeddedPostgres,
  requestedPort: number | undefined,
  log: GatewayLogger,
): Promise<DemoGateway> {
  const pinned = requestedPort !== undefined && requestedPort !== 0;
  for (let attempt = 1; ; attempt += 1) {
    const port = await choosePort(requestedPort);
    const adminPort = await choosePort(0);
    const { path, config } = writeDemoConfig({ dir, port, adminPort, database });
    try {
      const gateway = await startGateway(config, log);
      const admin = await startAdmin({
        config,
        control: gateway.control,
        journal: gateway.journal,
        log,
      }).catch(async (error: unknown) => {
        await gateway.close(0);
        throw error;
      });
      return { gateway, admin, config, configPath: path, port: gateway.portOf(CONNECTION_NAME) };
    } catch (error) {
      if (!isAddressInUse(error) || pinned || attempt >= BIND_ATTEMPTS) throw error;
    }
  }
}
