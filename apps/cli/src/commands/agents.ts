import type { AccountJson, AdminClient } from '@sluice/admin';
import type { Account } from '@sluice/journal';
import type { Command } from 'commander';
import { type AdminTargetOptions, hasAdminTarget, overAdmin } from '../admin-target.js';
import { CliError } from '../cli-error.js';
import { type JournalOptions, repeatable, withJournal } from '../config-option.js';
import { print, table } from '../output.js';

interface CommonOptions extends JournalOptions, AdminTargetOptions {
  readonly json?: boolean;
}

/** Through the admin API of a running gateway when one is named; on the journal file otherwise. */
function viaAdmin(options: CommonOptions): boolean {
  return options.journal === undefined && hasAdminTarget(options);
}

function journalOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file; its journal.path is used')
    .option(
      '--journal <file>',
      'journal database file (changes go to the gateway answering on <file>.sock, else to the file)',
    )
    .option(
      '--url <url>',
      'admin API of a running gateway (default: $SLUICE_ADMIN_URL, or admin.listen of --config)',
    )
    .option('--token <token>', 'admin token (default: $SLUICE_ADMIN_TOKEN, or admin.token of --config)')
    .option('--json', 'machine-readable output');
}

function accountView(account: Account): Record<string, unknown> {
  return {
    name: account.name,
    groups: account.groups,
    status: account.status,
    created_at: account.createdAt.toISOString(),
    expires_at: account.expiresAt?.toISOString() ?? null,
  };
}

export function registerAgents(program: Command): void {
  const agents = program.command('agents').description('service accounts for agents, CI jobs and scripts');

  journalOptions(agents.command('add <name>'))
    .description('create a service account; its secret is printed once')
    .option('-g, --group <group>', 'a group the account belongs to (repeatable)', repeatable, [])
    .option('--expires <duration>', 'lifetime, e.g. 90d')
    .action(async (name: string, options: CommonOptions & { group: string[]; expires?: string }) => {
      const added = await change(options, (client) =>
        client.addAgent({
          name,
          groups: options.group,
          ...(options.expires ? { expires: options.expires } : {}),
        }),
      );
      printSecret(options.json, added, `created service account ${added.name}${groupsOf(added)}`);
    });

  journalOptions(agents.command('list'))
    .description('list service accounts')
    .action(async (options: CommonOptions) => {
      const listed = viaAdmin(options)
        ? await overAdmin(options, (client) => client.listAgents())
        : undefined;
      const accounts = listed
        ? listed.map(fromJson)
        : withJournal(options, (journal) => journal.listAccounts(), true);
      // Revoked by this gateway while the shared store was unreachable, not yet in the store.
      const pending = new Set(listed?.filter((a) => a.revocation === 'pending').map((a) => a.name));
      print(options.json, listed ?? accounts.map(accountView), () =>
        table(
          ['NAME', 'GROUPS', 'STATUS', 'CREATED', 'EXPIRES'],
          accounts.map((a) => [
            a.name,
            a.groups.join(','),
            pending.has(a.name) ? 'revoked-here' : a.status,
            a.createdAt.toISOString(),
            a.expiresAt?.toISOString() ?? '-',
          ]),
        ),
      );
    });

  journalOptions(agents.command('revoke <name>'))
    .description('revoke a service account; its open sessions are closed')
    .option('--reason <text>', 'why, for the journal', 'revoked by operator')
    .action(async (name: string, options: CommonOptions & { reason: string }) => {
      const revoked = await change(options, (client) => client.revokeAgent(name, options.reason));
      print(options.json, revoked, () =>
        revoked.revocation === 'pending'
          ? (revoked.message ?? '')
          : `revoked service account ${revoked.name}; its open sessions were closed`,
      );
    });

  journalOptions(agents.command('rotate <name>'))
    .description('replace a service account secret; the new one is printed once')
    .action(async (name: string, options: CommonOptions) => {
      const rotated = await change(options, (client) => client.rotateAgent(name));
      printSecret(options.json, rotated, `rotated the secret of ${rotated.name}`);
    });

  journalOptions(agents.command('modify <name>'))
    .description('change the groups or the expiry of a service account; what is not given stays')
    .option('-g, --group <group>', 'the groups it belongs to from now on (repeatable)', repeatable)
    .option('--expires <duration>', 'lifetime from now, e.g. 90d, or "never"')
    .action(async (name: string, options: CommonOptions & { group?: string[]; expires?: string }) => {
      if (options.group === undefined && options.expires === undefined) {
        throw new CliError('give --group or --expires (or both)');
      }
      const modified = await change(options, (client) =>
        client.modifyAgent(name, {
          ...(options.group ? { groups: options.group } : {}),
          ...(options.expires ? { expires: options.expires } : {}),
        }),
      );
      print(
        options.json,
        modified,
        () =>
          `modified service account ${modified.name}${groupsOf(modified)}, expires ${modified.expires_at ?? 'never'}`,
      );
    });
}

/**
 * A change goes to the gateway writing the journal (its socket, or the admin API named), so it
 * takes effect there at once; with no gateway running, it is made on the journal file.
 */
function change<T>(options: CommonOptions, call: (client: AdminClient) => Promise<T>): Promise<T> {
  return overAdmin(options, call, true);
}

function groupsOf(account: AccountJson): string {
  return account.groups.length ? ` (groups: ${account.groups.join(', ')})` : '';
}

function printSecret(json: boolean | undefined, account: AccountJson, headline: string): void {
  print(json, account, () =>
    [
      headline,
      `secret: ${account.secret ?? ''}`,
      'This secret is shown once; Sluice keeps only a verifier. Use it as the password.',
    ].join('\n'),
  );
}

/** An account as the admin API sends it, for the same list output as the journal gives. */
function fromJson(json: AccountJson): Account {
  const createdAt = new Date(json.created_at);
  return {
    name: json.name,
    groups: json.groups,
    status: json.status,
    createdAt,
    updatedAt: createdAt,
    expiresAt: json.expires_at ? new Date(json.expires_at) : null,
    verifiers: {},
  };
}
