import { formatProblem, loadConfig, type SluiceConfig } from '@sluice/config';
import { Journal, type JournalOptions as OpenOptions, storeAddress } from '@sluice/journal';
import { CliError } from './cli-error.js';

export interface JournalOptions {
  readonly config?: string;
  readonly journal?: string;
}

export function readConfig(file: string): SluiceConfig {
  const result = loadConfig(file);
  if (result.ok) return result.config;
  const lines = result.problems.map((problem) => `  ${formatProblem(problem)}`);
  throw new CliError(`${file} has ${result.problems.length} problem(s):\n${lines.join('\n')}`);
}

/**
 * The configuration as a client of a running gateway reads it (`sluice mcp`): it needs the
 * listeners, policies and issuers, not the secrets only the gateway uses, so an unset `${VAR}`
 * (an upstream password the agent must never hold) reads as a placeholder instead of failing.
 */
export function readClientConfig(file: string): SluiceConfig {
  const env = new Proxy(process.env, {
    get: (target, name) =>
      typeof name === 'string' && target[name] === undefined
        ? 'unset-outside-the-gateway'
        : Reflect.get(target, name),
  });
  const result = loadConfig(file, env);
  if (result.ok) return result.config;
  const lines = result.problems.map((problem) => `  ${formatProblem(problem)}`);
  throw new CliError(`${file} has ${result.problems.length} problem(s):\n${lines.join('\n')}`);
}

/** Journal commands work on `--journal FILE` directly or on the `journal.path` of `--config FILE`. */
export function journalPath(options: JournalOptions): string {
  if (options.journal) return options.journal;
  if (options.config) return readConfig(options.config).journal.path;
  throw new CliError('give --config FILE or --journal FILE');
}

export function withJournal<T>(options: JournalOptions, use: (journal: Journal) => T, readonly = false): T {
  const journal = Journal.open(journalPath(options), { readonly });
  try {
    return use(journal);
  } finally {
    journal.close();
  }
}

/** `withJournal` for work that awaits (signing, verifying signatures). */
export async function withJournalAsync<T>(
  options: JournalOptions,
  use: (journal: Journal) => Promise<T>,
  readonly = false,
): Promise<T> {
  const journal = Journal.open(journalPath(options), { readonly });
  try {
    return await use(journal);
  } finally {
    journal.close();
  }
}

/**
 * Collects a repeatable option (`--group ci --group dba`). A variadic option would also take the
 * arguments after it (`--group ci "DELETE …"` would read the SQL as a group).
 */
export function repeatable(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** How a process that writes the journal of `config` opens it: on the shared store when `journal.store` is set. */
export function writerOptions(config: SluiceConfig | undefined): OpenOptions {
  const journal = config?.journal;
  if (!journal?.store) return {};
  return { store: storeAddress(journal.store), gatewayId: journal.gatewayId };
}
