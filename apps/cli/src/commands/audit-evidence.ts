import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDuration } from '@sluice/config';
import { createAnchor, generateAnchorKey, parseInstant, searchJournal } from '@sluice/evidence';
import { DECISIONS, type RecordSearch } from '@sluice/journal';
import type { Command } from 'commander';
import { overAdmin } from '../admin-target.js';
import { CliError } from '../cli-error.js';
import { withJournal, withJournalAsync } from '../config-option.js';
import { print } from '../output.js';
import { describeEntry } from './audit-describe.js';

interface SearchOptions {
  readonly config?: string;
  readonly journal?: string;
  readonly json?: boolean;
  readonly identity?: string;
  readonly group?: string;
  readonly connection?: string;
  readonly decision?: string;
  readonly kind?: string;
  readonly type?: string;
  readonly table?: string;
  readonly text?: string;
  readonly session?: string;
  readonly since?: string;
  readonly until?: string;
  readonly before?: string;
  readonly limit: string;
}

function journalOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file; its journal.path is used')
    .option('--journal <file>', 'journal database file');
}

/** `audit search`, `audit purge` and `audit anchor`. */
export function registerAuditEvidence(audit: Command): void {
  journalOptions(audit.command('search'))
    .description('find journal records, newest first, a page at a time')
    .option('--identity <name>', 'records of this identity')
    .option('--group <group>', 'records of identities in this group')
    .option('--connection <name>', 'records on this connection')
    .option('--decision <decision>', DECISIONS.join(' | '))
    .option('--kind <kind>', 'statement kind: select, insert, update, delete, ddl, …')
    .option(
      '--type <type>',
      'record type: statement, session_start, sign_in_failed, approval, grant, account, admin, purge, …',
    )
    .option('--table <table>', 'statements touching this table')
    .option('--text <text>', 'text anywhere in the record')
    .option('--session <id>', 'one session')
    .option('--since <when>', 'from this time: a duration back from now (7d) or a date')
    .option('--until <when>', 'before this time: a duration back from now or a date')
    .option('--before <seq>', 'records before this seq (the next page)')
    .option('-n, --limit <count>', 'records per page (1–1000)', '50')
    .option('--json', 'machine-readable output')
    .action((options: SearchOptions) => {
      const search = searchOf(options);
      const page = withJournal(options, (journal) => searchJournal(journal, search), true);
      print(options.json, page, () =>
        [
          ...page.records.map(describeEntry),
          page.next === null
            ? `(${page.records.length} record(s), no more)`
            : `(more: --before ${page.next})`,
        ].join('\n'),
      );
    });

  journalOptions(audit.command('purge'))
    .description('delete records older than a duration, leaving a checkpoint record that verify follows')
    .requiredOption('--older-than <duration>', 'e.g. 400d')
    .option('--json', 'machine-readable output')
    .action(async (options: { config?: string; journal?: string; olderThan: string; json?: boolean }) => {
      if (parseDuration(options.olderThan) === undefined)
        throw new CliError(`--older-than: "${options.olderThan}" is not a duration such as 400d`);
      // A change: through the gateway that writes the journal, or on the file when none runs.
      const result = await overAdmin(options, (client) => client.purgeJournal(options.olderThan), true);
      print(
        options.json,
        {
          purged: result.purged,
          through: result.through,
          throughHash: result.through_hash,
          checkpoint: result.checkpoint,
        },
        () =>
          result.purged === 0
            ? 'nothing to purge'
            : `purged ${result.purged} record(s) through #${result.through}; checkpoint #${result.checkpoint} holds ${result.through_hash}`,
      );
    });

  journalOptions(audit.command('anchor'))
    .description('sign the chain head with an Ed25519 key; keep the file somewhere else')
    .requiredOption('--key <file>', 'Ed25519 private key (PKCS#8 PEM); created with FILE.pub.pem when absent')
    .option('-o, --out <file>', 'anchor file (default: standard output)')
    .action(async (options: { config?: string; journal?: string; key: string; out?: string }) => {
      if (!existsSync(options.key)) {
        const pair = await generateAnchorKey();
        writeFileSync(options.key, pair.privatePem, { mode: 0o600 });
        writeFileSync(`${options.key}.pub.pem`, pair.publicPem);
        process.stderr.write(`created the key ${options.key} and its public key ${options.key}.pub.pem\n`);
      }
      const privatePem = readFileSync(options.key, 'utf8');
      const anchor = await withJournalAsync(options, (journal) => createAnchor(journal, privatePem), true);
      const text = `${JSON.stringify(anchor, null, 2)}\n`;
      if (options.out) {
        writeFileSync(options.out, text);
        process.stderr.write(`anchored record #${anchor.seq} ${anchor.hash} in ${options.out}\n`);
      } else process.stdout.write(text);
    });
}

function searchOf(options: SearchOptions): RecordSearch {
  const decision = options.decision === undefined ? undefined : DECISIONS.find((d) => d === options.decision);
  if (options.decision !== undefined && decision === undefined) {
    throw new CliError(`--decision: "${options.decision}" is not one of ${DECISIONS.join(', ')}`);
  }
  const limit = Number.parseInt(options.limit, 10);
  const before = options.before === undefined ? undefined : Number.parseInt(options.before, 10);
  if (before !== undefined && !Number.isInteger(before))
    throw new CliError(`--before: "${options.before}" is not a record seq`);
  return {
    identity: options.identity,
    group: options.group,
    connection: options.connection,
    decision,
    kind: options.kind,
    type: options.type,
    table: options.table,
    text: options.text,
    session: options.session,
    from: options.since === undefined ? undefined : parseInstant(options.since, '--since'),
    to: options.until === undefined ? undefined : parseInstant(options.until, '--until'),
    before,
    limit,
  };
}
