import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { type JournalOptions, withJournal } from '../config-option.js';
import { print } from '../output.js';
import { timelineText } from '../timeline-text.js';

/** `sessions replay ID`: reads the journal file, so it works with or without a running gateway. */
export function registerSessionReplay(sessions: Command): void {
  sessions
    .command('replay <session>')
    .description('a session as it happened: statements, decisions, approvers, durations, recorded rows')
    .option('-c, --config <file>', 'configuration file; its journal.path is used')
    .option('--journal <file>', 'journal database file')
    .option('--json', 'machine-readable output')
    .action((session: string, options: JournalOptions & { json?: boolean }) => {
      const timeline = withJournal(options, (journal) => journal.sessionTimeline(session), true);
      if (!timeline.started && timeline.statements.length === 0) {
        throw new CliError(`no session ${session} in the journal`);
      }
      print(options.json, timeline, () => timelineText(timeline));
    });
}
