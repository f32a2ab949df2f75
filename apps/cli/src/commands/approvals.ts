import type { Command } from 'commander';
import { approvalDetails, approvalsTable, decisionLine, eventLine } from '../admin-format.js';
import { type AdminTargetOptions, adminOptions, overAdmin } from '../admin-target.js';
import { CliError } from '../cli-error.js';
import { print } from '../output.js';

const STATES = ['pending', 'approved', 'denied', 'expired', 'withdrawn'];

export function registerApprovals(program: Command): void {
  const approvals = program
    .command('approvals')
    .description('approval requests of a running gateway (statements held for a decision, grant requests)');

  adminOptions(approvals.command('list'))
    .description('list approval requests, newest first')
    .option('--state <state>', `only requests in this state: ${STATES.join(' | ')}`)
    .action(async (options: AdminTargetOptions & { state?: string }) => {
      if (options.state && !STATES.includes(options.state)) {
        throw new CliError(`--state: "${options.state}" is not one of ${STATES.join(', ')}`);
      }
      const list = await overAdmin(options, (client) => client.listApprovals(options.state));
      print(options.json, list, () => approvalsTable(list));
    });

  adminOptions(approvals.command('show <id>'))
    .description('show one request: the statement, who asked, the session’s previous statements')
    .action(async (id: string, options: AdminTargetOptions) => {
      const request = await overAdmin(options, (client) => client.showApproval(id));
      print(options.json, request, () => approvalDetails(request));
    });

  adminOptions(approvals.command('approve <id>'))
    .description('approve a pending request')
    .action(async (id: string, options: AdminTargetOptions) => {
      const request = await overAdmin(options, (client) => client.approve(id), true);
      print(options.json, request, () => decisionLine(request));
    });

  adminOptions(approvals.command('deny <id>'))
    .description('deny a pending request; the caller sees the reason')
    .requiredOption('--reason <text>', 'why (shown to the caller and journalled)')
    .action(async (id: string, options: AdminTargetOptions & { reason: string }) => {
      const request = await overAdmin(options, (client) => client.deny(id, options.reason), true);
      print(options.json, request, () => decisionLine(request));
    });

  adminOptions(approvals.command('watch'))
    .description('print approval requests and decisions as they happen (pending ones first) until Ctrl-C')
    .action(async (options: AdminTargetOptions) => {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await overAdmin(options, (client) =>
        client.watchApprovals((event) => {
          process.stdout.write(options.json ? `${JSON.stringify(event)}\n` : `${eventLine(event)}\n`);
        }, stop.signal),
      );
    });
}
