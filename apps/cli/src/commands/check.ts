import { formatProblem, loadConfig } from '@sluice/config';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { print } from '../output.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate a configuration file; every problem is listed with file:line')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .option('--json', 'machine-readable output')
    .action((options: { config: string; json?: boolean }) => {
      const result = loadConfig(options.config);
      if (!result.ok) {
        if (options.json) print(true, { ok: false, problems: result.problems }, () => '');
        else process.stderr.write(`${result.problems.map(formatProblem).join('\n')}\n`);
        throw new CliError(`${options.config}: ${result.problems.length} problem(s)`);
      }
      const { connections, policies } = result.config;
      print(
        options.json,
        { ok: true, connections: connections.map((c) => c.name), policies: [...policies.keys()] },
        () =>
          `${options.config}: ok (${connections.length} connection(s), ${policies.size} polic${policies.size === 1 ? 'y' : 'ies'})`,
      );
    });
}
