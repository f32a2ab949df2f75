import { adminSocketPath, socketPathProblem, startAdmin } from '@sluice/admin';
import { parseDuration } from '@sluice/config';
import { scheduleRetention, startForwarding } from '@sluice/evidence';
import { startGateway } from '@sluice/gateway';
import { createMcpHttpEndpoint } from '@sluice/mcp';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { readConfig } from '../config-option.js';
import { CONSOLE_DIR } from '../console-files.js';
import { createLogger, type LogFormat } from '../logger.js';
import { reloadOnHangup } from '../reload-on-hangup.js';

interface StartOptions {
  readonly config: string;
  readonly grace: string;
  readonly logFormat?: LogFormat;
  readonly logLevel: string;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'run the gateway: every configured connection, the admin API on the owner-only socket beside ' +
        'the journal and on admin.listen when `admin` is configured; SIGHUP reloads policies, SIGTERM drains',
    )
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
      const socketPath = adminSocketPath(config.journal.path);
      const unusable = socketPathProblem(socketPath);
      if (unusable) throw new CliError(unusable);
      const gateway = await startGateway(config, log);
      // The CLI's changes reach this process on the socket: it is the journal's only writer.
      const admin = await startAdmin({
        config,
        control: gateway.control,
        journal: gateway.journal,
        log,
        consoleDir: CONSOLE_DIR,
        mcp: createMcpHttpEndpoint(config),
        socketPath,
      }).catch(async (error: unknown) => {
        await gateway.close(0);
        throw error;
      });
      if (config.admin) log.info({ url: admin.url, port: admin.port }, 'admin API ready');
      log.info({ socket: admin.socketPath }, 'admin socket ready');
      // `ready` once the CLI can reach this gateway too, so that a change made then is not refused.
      for (const listener of gateway.listeners) {
        log.info({ connection: listener.connection, port: listener.port }, 'ready');
      }
      // journal.retention (AU-11): a purge soon after start, then daily.
      const stopRetention = scheduleRetention(
        gateway.journal,
        config.journal.retentionMs,
        ({ result, error }) => {
          if (error) log.error({ err: error }, 'journal retention purge failed');
          else if (result && result.purged > 0) log.info({ ...result }, 'journal retention purge');
        },
      );
      // journal.forward: every record to the SIEMs, read from the file, off the data path. On a
      // shared store each gateway forwards the records it journalled, so each arrives once.
      const stopForwarding = startForwarding(
        config.journal.path,
        config.journal.forward,
        (url, state) => {
          if (state.ok) log.info({ url, cursor: state.cursor }, 'journal forwarding resumed');
          else
            log.warn({ url, cursor: state.cursor, err: state.error }, 'journal forwarding failed; retrying');
        },
        config.journal.store ? config.journal.gatewayId : undefined,
      );
      reloadOnHangup(options.config, gateway, log);
      const stop = (signal: string): void => {
        stopRetention();
        stopForwarding();
        log.info({ signal, graceMs }, 'draining sessions');
        admin
          .close()
          .then(() => gateway.close(graceMs))
          .then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
