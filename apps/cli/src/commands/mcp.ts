import { serveStdio } from '@sluice/mcp';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { readClientConfig } from '../config-option.js';

interface McpOptions {
  readonly config: string;
  readonly connection?: string;
  readonly agent?: string;
}

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description(
      'serve MCP over stdio for a local agent, as a service account (its secret in $SLUICE_AGENT_SECRET), through the running gateway',
    )
    .requiredOption('-c, --config <file>', 'configuration file (YAML) of the running gateway')
    .option('--connection <name>', 'offer only this connection')
    .option('--agent <name>', 'service account to act as (default $SLUICE_AGENT)')
    .action(async (options: McpOptions) => {
      const agent = options.agent ?? process.env.SLUICE_AGENT;
      if (!agent) throw new CliError('--agent: name the service account (or set SLUICE_AGENT)');
      const secret = process.env.SLUICE_AGENT_SECRET;
      if (!secret) throw new CliError('set SLUICE_AGENT_SECRET to the service account’s secret');
      await serveStdio({
        config: readClientConfig(options.config),
        agent,
        secret,
        connection: options.connection,
      });
    });
}
