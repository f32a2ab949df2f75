import { GRANT_ALLOWANCES } from '@sluice/control';
import type { Command } from 'commander';
import { grantsTable, subjectLine } from '../admin-format.js';
import { type AdminTargetOptions, adminOptions, overAdmin } from '../admin-target.js';
import { CliError } from '../cli-error.js';
import { repeatable } from '../config-option.js';
import { print } from '../output.js';

interface GrantOptions extends AdminTargetOptions {
  readonly connection: string;
  readonly allow: string[];
  readonly tables?: string;
  readonly for: string;
  readonly reason: string;
}

function grantOptions(command: Command): Command {
  return adminOptions(command)
    .requiredOption('--connection <name>', 'the connection the grant applies to')
    .option('--allow <what>', `${GRANT_ALLOWANCES.join(' | ')} (repeatable)`, repeatable, [])
    .option('--tables <patterns>', 'limit to these tables, comma-separated (e.g. orders,public.items)')
    .requiredOption('--for <duration>', 'how long, e.g. 30m')
    .requiredOption('--reason <text>', 'why, for the journal');
}

function body(options: GrantOptions) {
  if (options.allow.length === 0)
    throw new CliError(`--allow: give at least one of ${GRANT_ALLOWANCES.join(', ')}`);
  for (const allow of options.allow) {
    if (!(GRANT_ALLOWANCES as readonly string[]).includes(allow)) {
      throw new CliError(`--allow: "${allow}" is not one of ${GRANT_ALLOWANCES.join(', ')}`);
    }
  }
  const tables = options.tables
    ?.split(',')
    .map((table) => table.trim())
    .filter(Boolean);
  return {
    connection: options.connection,
    allow: options.allow,
    ...(tables?.length ? { tables } : {}),
    for: options.for,
    reason: options.reason,
  };
}

export function registerGrants(program: Command): void {
  const grants = program
    .command('grants')
    .description('time-bound widenings of policy for an identity or group');

  grantOptions(grants.command('add'))
    .description('grant an identity or a group e.g. writes on one connection for a while')
    .option('--identity <name>', 'who gets the grant')
    .option('--group <name>', 'or: which group gets it')
    .action(async (options: GrantOptions & { identity?: string; group?: string }) => {
      if ((options.identity === undefined) === (options.group === undefined)) {
        throw new CliError('give exactly one of --identity and --group');
      }
      const who = options.identity !== undefined ? { identity: options.identity } : { group: options.group };
      const grant = await overAdmin(options, (client) => client.addGrant({ ...who, ...body(options) }), true);
      print(
        options.json,
        grant,
        () =>
          `granted ${grant.id}: ${grant.allow.join('+')} on ${grant.connection} until ${grant.expires_at}`,
      );
    });

  adminOptions(grants.command('list'))
    .description('list active grants')
    .option('--all', 'also expired and revoked ones')
    .action(async (options: AdminTargetOptions & { all?: boolean }) => {
      const list = await overAdmin(options, (client) => client.listGrants(options.all === true));
      print(options.json, list, () => grantsTable(list));
    });

  adminOptions(grants.command('revoke <id>'))
    .description('revoke an active grant')
    .action(async (id: string, options: AdminTargetOptions) => {
      const grant = await overAdmin(options, (client) => client.revokeGrant(id), true);
      print(options.json, grant, () => `revoked ${grant.id}`);
    });

  grantOptions(grants.command('request'))
    .description('ask for a grant for yourself; it takes effect once approved')
    .option('--agent <name>', 'ask as this service account (its secret in $SLUICE_AGENT_SECRET)')
    .action(async (options: GrantOptions) => {
      const request = await overAdmin(options, (client) => client.requestGrant(body(options)));
      print(
        options.json,
        request,
        () =>
          `requested ${request.id}: ${subjectLine(request)}; it takes effect once approved (sluice approvals show ${request.id})`,
      );
    });
}
