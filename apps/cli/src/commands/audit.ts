import { createWriteStream, type WriteStream } from 'node:fs';
import { parseDuration } from '@sluice/config';
import {
  type Decision,
  type JournalEntry,
  type StatementQuery,
  type VerifyResult,
  writeCsv,
  writeJsonl,
} from '@sluice/journal';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { type JournalOptions, withJournal } from '../config-option.js';
import { print } from '../output.js';

interface AuditOptions extends JournalOptions {
  readonly json?: boolean;
}

function journalOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file; its journal.path is used')
    .option('--journal <file>', 'journal database file');
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('read, export and verify the journal');

  journalOptions(audit.command('tail'))
    .description('the newest journal records')
    .option('-n, --lines <count>', 'how many records', '20')
    .option('--json', 'machine-readable output')
    .action((options: AuditOptions & { lines: string }) => {
      const limit = Number.parseInt(options.lines, 10);
      if (!Number.isInteger(limit) || limit <= 0)
        throw new CliError(`--lines: "${options.lines}" is not a positive number`);
      const entries = withJournal(options, (journal) => journal.tail(limit), true);
      print(options.json, entries, () => entries.map(describeEntry).join('\n'));
    });

  journalOptions(audit.command('export'))
    .description('statements as JSON lines or CSV, one record per statement')
    .option('--format <format>', 'jsonl | csv', 'jsonl')
    .option('--since <when>', 'a duration back from now (7d) or an ISO date')
    .option('--identity <name>', 'only this identity')
    .option('--connection <name>', 'only this connection')
    .option('--decision <decision>', 'allowed | blocked | approved | denied | expired')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(
      async (
        options: AuditOptions & {
          format: string;
          since?: string;
          identity?: string;
          connection?: string;
          decision?: string;
          out?: string;
        },
      ) => {
        if (options.format !== 'jsonl' && options.format !== 'csv') {
          throw new CliError(`--format: "${options.format}" is not jsonl or csv`);
        }
        const query: StatementQuery = {
          since: options.since === undefined ? undefined : sinceDate(options.since),
          identity: options.identity,
          connection: options.connection,
          decision: options.decision as Decision | undefined,
        };
        const out: WriteStream | NodeJS.WriteStream = options.out
          ? createWriteStream(options.out)
          : process.stdout;
        const writer = options.format === 'csv' ? writeCsv : writeJsonl;
        const count = withJournal(
          options,
          (journal) => writer(journal.statements(query), (chunk) => out.write(chunk)),
          true,
        );
        if (options.out) {
          await new Promise<void>((resolve) => out.end(resolve));
          process.stderr.write(`exported ${count} statement(s) to ${options.out}\n`);
        }
      },
    );

  journalOptions(audit.command('verify'))
    .description('check the hash chain: detects edited, deleted and reordered records')
    .option('--json', 'machine-readable output')
    .action((options: AuditOptions) => {
      const result = withJournal(options, (journal) => journal.verify(), true);
      print(options.json, result, () => describeVerify(result));
      if (!result.ok) process.exitCode = 1;
    });
}

function sinceDate(text: string): Date {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(Date.now() - ms);
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new CliError(`--since: "${text}" is neither a duration (7d) nor a date`);
  return date;
}

/** The human form of `audit verify`; `sluice demo` prints it too. */
export function describeVerify(result: VerifyResult): string {
  return result.ok
    ? `journal intact: ${result.checked} record(s), head ${result.headHash ?? '(empty)'}`
    : [`journal TAMPERED: ${result.problems.length} problem(s) in ${result.checked} record(s)`]
        .concat(result.problems.map((p) => `  record ${p.seq}: ${p.message}`))
        .join('\n');
}

/** One line of `audit tail`; `sluice demo` prints its journal with it too. */
export function describeEntry(entry: JournalEntry): string {
  const p = entry.payload;
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : value === undefined ? '-' : JSON.stringify(value);
  switch (entry.type) {
    case 'statement':
      return `${entry.at}  #${entry.seq} ${text(p.identity)} ${text(p.decision)}${decidedBy(p)}: ${oneLine(text(p.statement))}`;
    case 'statement_end':
      return `${entry.at}  #${entry.ref} done: rows=${text(p.rows)} ${text(p.duration_ms)}ms${p.error ? ` error: ${text(p.error)}` : ''}`;
    case 'session_start':
      return `${entry.at}  session ${entry.ref} started: ${text(p.identity)} (${text(p.auth_method)}) from ${text(p.client_address)} on ${text(p.connection)}`;
    case 'session_end':
      return `${entry.at}  session ${entry.ref} ended: ${text(p.reason)}`;
    case 'account':
      return `${entry.at}  account ${text(p.action)} ${text(p.account)} by ${text(p.actor)}`;
    case 'approval':
      return `${entry.at}  approval ${entry.ref} ${text(p.action)}${p.actor ? ` by ${text(p.actor)}` : ''}: ${text(p.identity)} ${oneLine(text(p.statement ?? p.reason))}`;
    case 'grant':
      return `${entry.at}  grant ${entry.ref} ${text(p.action)}${p.actor ? ` by ${text(p.actor)}` : ''}: ${text(p.identity ?? p.group)} may ${text(p.allow)} on ${text(p.connection)} until ${text(p.expires_at)}`;
    case 'admin':
      return `${entry.at}  admin ${text(p.method)} ${text(p.path)} ${text(p.status)} by ${text(p.actor ?? 'nobody')}${p.reason ? `: ${text(p.reason)}` : ''}`;
    default:
      return `${entry.at}  ${entry.type} ${JSON.stringify(p)}`;
  }
}

/** ` by <rule>`, or for a statement people decided ` by <approver> (rule <rule>)`. */
function decidedBy(payload: Readonly<Record<string, unknown>>): string {
  const rule = typeof payload.rule === 'string' ? payload.rule : null;
  if (typeof payload.approver === 'string') return ` by ${payload.approver}${rule ? ` (rule ${rule})` : ''}`;
  return rule ? ` by ${rule}` : '';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
