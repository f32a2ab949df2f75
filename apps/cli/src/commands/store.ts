import { connectStore, JournalError, migrateStore, storeAddress } from '@sluice/journal';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { readConfig } from '../config-option.js';
import { print } from '../output.js';

/** `sluice store migrate`: the shared store's schema (`journal.store`), created or upgraded. */
export function registerStore(program: Command): void {
  const store = program
    .command('store')
    .description("the shared PostgreSQL store of several gateways' journals");

  store
    .command('migrate')
    .description('create or upgrade the schema of the store in journal.store')
    .requiredOption('-c, --config <file>', 'configuration file; its journal.store is migrated')
    .option('--json', 'machine-readable output')
    .action(async (options: { config: string; json?: boolean }) => {
      const target = readConfig(options.config).journal.store;
      if (!target)
        throw new CliError(`${options.config} sets no journal.store: there is no shared store to migrate`);
      const address = storeAddress(target);
      const where = `${address.host}:${address.port}/${address.database}`;
      const client = await connectStore(address, 'sluice store migrate').catch((error: unknown) => {
        throw new CliError(`the shared store at ${where} cannot be reached: ${describe(error)}`);
      });
      try {
        const result = await migrateStore(client).catch((error: unknown) => {
          if (error instanceof JournalError) throw error;
          throw new CliError(`the shared store at ${where} cannot be migrated: ${describe(error)}`);
        });
        print(options.json, { store: where, ...result }, () =>
          result.from === result.to
            ? `store schema: version ${result.to}, up to date`
            : `store schema: version ${result.from} → ${result.to}`,
        );
      } finally {
        await client.end().catch(() => undefined);
      }
    });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
