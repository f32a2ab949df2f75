#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerAgents } from './commands/agents.js';
import { registerApprovals } from './commands/approvals.js';
import { registerAudit } from './commands/audit.js';
import { registerCheck } from './commands/check.js';
import { registerDemo } from './commands/demo.js';
import { registerGrants } from './commands/grants.js';
import { registerMcp } from './commands/mcp.js';
import { registerPolicy } from './commands/policy.js';
import { registerReport } from './commands/report.js';
import { registerSessionReplay } from './commands/session-replay.js';
import { registerSessions } from './commands/sessions.js';
import { registerStart } from './commands/start.js';
import { registerStore } from './commands/store.js';

const program = new Command('sluice')
  .description(
    'A gateway between automated callers and PostgreSQL: identities, policy, masking, an audit journal.',
  )
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

registerStart(program);
registerDemo(program);
registerCheck(program);
registerAgents(program);
registerApprovals(program);
registerGrants(program);
registerSessionReplay(registerSessions(program));
registerAudit(program);
registerPolicy(program);
registerReport(program);
registerMcp(program);
registerStore(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const message = error instanceof Error ? error.message : String(error);
  // Some packages' errors already speak to the user (the journal's refusals): one prefix only.
  process.stderr.write(message.startsWith('sluice: ') ? `${message}\n` : `sluice: ${message}\n`);
  process.exit(1);
}
