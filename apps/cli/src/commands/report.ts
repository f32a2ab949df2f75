import { writeFileSync } from 'node:fs';
import {
  buildReport,
  parsePeriod,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
  settingsFromConfig,
} from '@sluice/evidence';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { journalPath, readConfig, withJournal } from '../config-option.js';

interface ReportOptions {
  readonly config?: string;
  readonly journal?: string;
  readonly since?: string;
  readonly from?: string;
  readonly to?: string;
  readonly format: string;
  readonly out?: string;
  readonly unusedDays: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'audit evidence per control (AC-2, AU-2/3, AU-6, AU-9, AU-11, IA-2, SC-7) from the journal file',
    )
    .option('-c, --config <file>', 'configuration file: its journal, retention and policies are reported')
    .option(
      '--journal <file>',
      'journal database file (without --config, no policy or retention is reported)',
    )
    .option('--since <when>', 'start of the period: a duration back from now (30d) or a date', undefined)
    .option('--from <date>', 'start of the period (a date)')
    .option('--to <date>', 'end of the period, exclusive (a date; default now)')
    .option('--format <format>', 'md | json | html', 'md')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--unused-days <days>', 'report active accounts without a sign-in for this many days', '90')
    .action((options: ReportOptions) => {
      const format = REPORT_FORMATS.find((candidate) => candidate === options.format);
      if (!format) throw new CliError(`--format: "${options.format}" is not md, json or html`);
      const unusedDays = Number.parseInt(options.unusedDays, 10);
      if (!Number.isInteger(unusedDays) || unusedDays <= 0) {
        throw new CliError(`--unused-days: "${options.unusedDays}" is not a positive number`);
      }
      const period = parsePeriod(options);
      const config = options.config ? readConfig(options.config) : undefined;
      const path = journalPath(options);
      const report = withJournal(
        { journal: path },
        (journal) =>
          buildReport(journal, {
            period,
            journalPath: path,
            unusedDays,
            ...(config ? { settings: settingsFromConfig(config) } : {}),
          }),
        true,
      );
      const text = renderReport(report, format satisfies ReportFormat);
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(options.out, text);
      process.stderr.write(
        `report for ${report.period.from} to ${report.period.to}: ${report.findings.length} finding(s), written to ${options.out}\n`,
      );
    });
}
