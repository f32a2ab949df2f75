import { lstatSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { AdminClient, AdminClientError, adminSocketPath, socketAnswers, socketFetch } from '@sluice/admin';
import { type AdminConfig, formatListenAddress } from '@sluice/config';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { readConfig } from './config-option.js';
import { openLocalAdmin } from './local-admin.js';

export interface AdminTargetOptions {
  readonly url?: string;
  readonly token?: string;
  readonly config?: string;
  /** The journal file; its gateway answers on `<journal>.sock`. */
  readonly journal?: string;
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
    .option(
      '-c, --config <file>',
      'configuration file: the gateway answers on the socket beside its journal, or on admin.listen',
    )
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

/**
 * Runs a call over the admin API; its refusal or unreachability becomes one CLI error line.
 * The API is `--url` (or $SLUICE_ADMIN_URL) when given; else the owner-only socket of the
 * gateway writing the journal of `--journal`/`--config`, when it answers; else `admin.listen`
 * of `--config`. A change (`offline`) with none of them answering is made on the journal file,
 * through the same routes in this process, so its output is the same either way.
 */
export async function overAdmin<T>(
  options: AdminTargetOptions,
  call: (client: AdminClient) => Promise<T>,
  offline = false,
): Promise<T> {
  const target = await targetOf(options, offline);
  try {
    return await call(target.client);
  } catch (error) {
    if (error instanceof AdminClientError) throw new CliError(error.message);
    throw error;
  } finally {
    await target.close?.();
  }
}

interface Target {
  readonly client: AdminClient;
  close?(): Promise<void>;
}

async function targetOf(options: AdminTargetOptions, offline: boolean): Promise<Target> {
  if (options.url || process.env.SLUICE_ADMIN_URL || options.agent) return { client: adminClient(options) };
  const config = options.config ? readConfig(options.config) : undefined;
  const journal = options.journal ?? config?.journal.path;
  if (journal === undefined) return { client: adminClient(options) };
  const socket = adminSocketPath(journal);
  if (await socketAnswers(socket)) {
    checkOwnership(socket, journal);
    return {
      client: new AdminClient({ url: 'http://localhost', fetch: socketFetch(socket), label: socket }),
    };
  }
  if (config?.admin && (!offline || (await listening(config.admin)))) return { client: adminClient(options) };
  if (!offline) {
    throw new CliError(
      `no gateway answers on ${socket}, and no admin API is given (--url, $SLUICE_ADMIN_URL, or admin in --config)`,
    );
  }
  return openLocalAdmin(journal, socket, config);
}

/**
 * The caller is trusted as the local owner on the socket, so the CLI in turn trusts only a socket
 * that is the journal's gateway's: owner-only and of the journal's owner. Another user able to
 * write the directory could otherwise answer in the gateway's place.
 */
function checkOwnership(socket: string, journal: string): void {
  const { mode, uid } = lstatSync(socket);
  let owner: number | undefined;
  try {
    owner = statSync(journal).uid;
  } catch {
    // No journal file: no gateway of it either.
  }
  if ((mode & 0o077) === 0 && uid === owner) return;
  throw new CliError(
    `refusing the admin socket ${socket}: it is not the owner-only socket of the journal's owner ` +
      `(mode ${(mode & 0o777).toString(8)}, uid ${uid}); remove it`,
  );
}

/** Whether something accepts connections on `admin.listen` (a gateway of an older release). */
function listening(admin: AdminConfig): Promise<boolean> {
  const host = loopback(admin.listen.host);
  return new Promise((resolve) => {
    const socket = connect({ host, port: admin.listen.port });
    const done = (answers: boolean): void => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function urlOf(listen: { readonly host: string; readonly port: number }, tls: boolean): string {
  const host = loopback(listen.host);
  return `${tls ? 'https' : 'http'}://${formatListenAddress({ host, port: listen.port })}`;
}

/** A wildcard listen address is reached on the loopback interface. */
function loopback(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}
