import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { parseDuration } from '@sluice/config';
import { type AnchorCheck, type ExportFormat, exportStatements, verifyAnchor } from '@sluice/evidence';
import {
  type Decision,
  type StatementQuery,
  storeAddress,
  type VerifyResult,
  verifyStore,
} from '@sluice/journal';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { type JournalOptions, readConfig, withJournal, withJournalAsync } from '../config-option.js';
import { print } from '../output.js';
import { describeEntry, describeVerify } from './audit-describe.js';
import { registerAuditEvidence } from './audit-evidence.js';

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
        const count = await withJournalAsync(
          options,
          (journal) => exportStatements(journal, query, options.format as ExportFormat, out),
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
    .option('--anchor <file>', 'also prove nothing up to this signed head was rewritten (`audit anchor`)')
    .option('--public-key <file>', "the anchor signer's public key (PEM); the anchor's own key otherwise")
    .option('--json', 'machine-readable output')
    .action(async (options: AuditOptions & { anchor?: string; publicKey?: string }) => {
      const { anchor, publicKey } = options;
      // On a shared store the chains are verified in the store itself, not in this gateway's replica.
      const store = options.journal || !options.config ? undefined : readConfig(options.config).journal.store;
      const result: VerifyResult & { readonly anchor?: AnchorCheck } =
        store && !anchor
          ? await verifyStore(storeAddress(store))
          : await withJournalAsync(
              options,
              async (journal) => ({
                ...journal.verify(),
                ...(anchor
                  ? {
                      anchor: await verifyAnchor(
                        journal,
                        readFileSync(anchor, 'utf8'),
                        publicKey ? readFileSync(publicKey, 'utf8') : undefined,
                      ),
                    }
                  : {}),
              }),
              true,
            );
      print(options.json, result, () => describeVerify(result));
      if (!result.ok || result.anchor?.ok === false) process.exitCode = 1;
    });

  registerAuditEvidence(audit);
}

function sinceDate(text: string): Date {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(Date.now() - ms);
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new CliError(`--since: "${text}" is neither a duration (7d) nor a date`);
  return date;
}
