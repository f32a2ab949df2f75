import type { Command } from 'commander';
import { sessionsTable } from '../admin-format.js';
import { type AdminTargetOptions, adminOptions, overAdmin } from '../admin-target.js';
import { print } from '../output.js';

/** Returns the `sessions` command, which `sessions replay` joins. */
export function registerSessions(program: Command): Command {
  const sessions = program
    .command('sessions')
    .description('live client sessions of a running gateway, and replays of past ones');

  adminOptions(sessions.command('list'))
    .description('list live sessions: who, which connection, what runs now')
    .action(async (options: AdminTargetOptions) => {
      const list = await overAdmin(options, (client) => client.listSessions());
      print(options.json, list, () => sessionsTable(list));
    });

  adminOptions(sessions.command('kill <id>'))
    .description('end a live session within a second, its database connection too')
    .option('--reason <text>', 'why, for the journal and the client')
    .action(async (id: string, options: AdminTargetOptions & { reason?: string }) => {
      const result = await overAdmin(options, (client) => client.killSession(id, options.reason));
      print(options.json, result, () => `killed session ${result.id}`);
    });
  return sessions;
}
