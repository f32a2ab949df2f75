import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScaleCluster } from './scale-cluster.js';

/**
 * The statements matching `pattern` (global) that the protected servers logged as executed:
 * PostgreSQL's log with `log_statement = 'all'`, MariaDB's general log (see `logStatements`).
 */
export function executedStatements(cluster: ScaleCluster, pattern: RegExp): Set<string> {
  const logs = [readFileSync(join(cluster.postgres.dir, 'postgres.log'), 'utf8')];
  if (cluster.mariadb) logs.push(readFileSync(join(cluster.mariadb.dir, 'general.log'), 'utf8'));
  return new Set(logs.flatMap((log) => log.match(pattern) ?? []));
}
