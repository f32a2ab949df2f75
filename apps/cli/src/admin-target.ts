import { AdminClient, AdminClientError } from '@sluice/admin';
import { formatListenAddress } from '@sluice/config';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { readConfig } from './config-option.js';

export interface AdminTargetOptions {
  readonly url?: string;
  readonly token?: string;
  readonly config?: string;
  readonly json?: boolean;
  /** A service account signing in with the secret in $SLUICE_AGENT_SECRET (grants request). */
  readonly agent?: string;
}

/** The options every command over the admin API takes. */
export function adminOptions(command: Command): Command {
  return command
    .option('--url <url>', 'admin API address (default: $SLUICE_ADMIN_URL, or admin.listen of --config)')
    .option(
      '--token <token>',
      'admin token or OIDC JWT (default: $SLUICE_ADMIN_TOKEN, or admin.token of --config)',
    )
    .option('-c, --config <file>', 'configuration file whose admin section names the gateway')
    .option('--json', 'machine-readable output');
}

/** Whether the options name an admin API at all (agents fall back to the journal file otherwise). */
export function hasAdminTarget(options: AdminTargetOptions): boolean {
  if (options.url || process.env.SLUICE_ADMIN_URL) return true;
  return options.config !== undefined && readConfig(options.config).admin !== undefined;
}

/** A client for `--url`/`--token`, else the environment, else the admin section of `--config`. */
export function adminClient(options: AdminTargetOptions): AdminClient {
  const admin = options.config ? readConfig(options.config).admin : undefined;
  const url =
    options.url ?? process.env.SLUICE_ADMIN_URL ?? (admin && urlOf(admin.listen, admin.tls !== undefined));
  if (!url) {
    throw new CliError(
      'no admin API given: use --url, set SLUICE_ADMIN_URL, or --config with an admin section',
    );
  }
  if (options.agent) {
    const secret = process.env.SLUICE_AGENT_SECRET;
    if (!secret) throw new CliError('--agent: set SLUICE_AGENT_SECRET to the service account’s secret');
    return new AdminClient({ url, account: { name: options.agent, secret } });
  }
  const token = options.token ?? process.env.SLUICE_ADMIN_TOKEN ?? admin?.token?.reveal();
  return new AdminClient({ url, token });
}

/** Runs a call over the admin API; its refusal or unreachability becomes one CLI error line. */
export async function overAdmin<T>(
  options: AdminTargetOptions,
  call: (client: AdminClient) => Promise<T>,
): Promise<T> {
  const client = adminClient(options);
  try {
    return await call(client);
  } catch (error) {
    if (error instanceof AdminClientError) throw new CliError(error.message);
    throw error;
  }
}

function urlOf(listen: { readonly host: string; readonly port: number }, tls: boolean): string {
  // A wildcard listen address is reached on the loopback interface.
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host === '::' ? '::1' : listen.host;
  return `${tls ? 'https' : 'http'}://${formatListenAddress({ host, port: listen.port })}`;
}
