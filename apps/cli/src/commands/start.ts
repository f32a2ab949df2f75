import { startAdmin } from '@sluice/admin';
import { parseDuration } from '@sluice/config';
import { startGateway } from '@sluice/gateway';
import { createMcpHttpEndpoint } from '@sluice/mcp';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { readConfig } from '../config-option.js';
import { createLogger, type LogFormat } from '../logger.js';

interface StartOptions {
  readonly config: string;
  readonly grace: string;
  readonly logFormat?: LogFormat;
  readonly logLevel: string;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the gateway: every configured connection, and the admin API when `admin` is configured')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .option('--grace <duration>', 'on SIGTERM, time running statements get to finish', '10s')
    .option('--log-format <format>', 'json | pretty (default: pretty on a terminal, json otherwise)')
    .option('--log-level <level>', 'trace | debug | info | warn | error', 'info')
    .action(async (options: StartOptions) => {
      const graceMs = parseDuration(options.grace);
      if (graceMs === undefined)
        throw new CliError(`--grace: "${options.grace}" is not a duration such as 10s`);
      const config = readConfig(options.config);
      const log = createLogger(
        options.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json'),
        options.logLevel,
      );
      const gateway = await startGateway(config, log);
      for (const listener of gateway.listeners) {
        log.info({ connection: listener.connection, port: listener.port }, 'ready');
      }
      const admin = config.admin
        ? await startAdmin({
            config,
            control: gateway.control,
            journal: gateway.journal,
            log,
            mcp: createMcpHttpEndpoint(config),
          }).catch(async (error: unknown) => {
            await gateway.close(0);
            throw error;
          })
        : undefined;
      if (admin) log.info({ url: admin.url, port: admin.port }, 'admin API ready');
      const stop = (signal: string): void => {
        log.info({ signal, graceMs }, 'draining sessions');
        (admin?.close() ?? Promise.resolve()).then(() => gateway.close(graceMs)).then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
