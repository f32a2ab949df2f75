import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScratchMariadb, ScratchPostgres } from '@sluice/testkit';

/**
 * Has the protected servers log every statement they execute, as received: PostgreSQL with
 * `log_statement = 'all'`, MariaDB in its general log. The journal is held against these.
 */
export async function logStatements(
  postgres: ScratchPostgres,
  mariadb: ScratchMariadb | undefined,
): Promise<void> {
  await postgres.psql("ALTER SYSTEM SET log_statement = 'all'");
  await postgres.psql('SELECT pg_reload_conf()');
  if (!mariadb) return;
  await mariadb.sql(`SET GLOBAL general_log_file = '${join(mariadb.dir, 'general.log')}'`);
  await mariadb.sql('SET GLOBAL general_log = 1');
}

/** The statements matching `pattern` (global) that the servers logged since `logStatements`. */
export function executedStatements(
  postgres: ScratchPostgres,
  mariadb: ScratchMariadb | undefined,
  pattern: RegExp,
): Set<string> {
  const logs = [readFileSync(join(postgres.dir, 'postgres.log'), 'utf8')];
  if (mariadb) logs.push(readFileSync(join(mariadb.dir, 'general.log'), 'utf8'));
  return new Set(logs.flatMap((log) => log.match(pattern) ?? []));
}
