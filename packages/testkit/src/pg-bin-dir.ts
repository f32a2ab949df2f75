import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const PREFERRED_VERSION = '15';

/**
 * Where initdb, pg_ctl and postgres live: `$PG_BIN_DIR` if set, then PostgreSQL 15 (what the
 * project is tested with), then the newest Debian-style install, then `pg_config --bindir`.
 * scripts/start-postgres.sh searches in the same order.
 */
export function findPgBinDir(): string | undefined {
  const candidates = [process.env.PG_BIN_DIR, join(DEBIAN_ROOT, PREFERRED_VERSION, 'bin')];
  candidates.push(...installedVersions().map((version) => join(DEBIAN_ROOT, version, 'bin')));
  const found = candidates.find((dir) => dir !== undefined && dir !== '' && hasInitdb(dir));
  return found ?? pgConfigBinDir();
}

/** Resolved once when the testkit is loaded; undefined when no PostgreSQL is installed. */
export const PG_BIN_DIR: string | undefined = findPgBinDir();

function hasInitdb(dir: string): boolean {
  return existsSync(join(dir, 'initdb'));
}

function installedVersions(): string[] {
  if (!existsSync(DEBIAN_ROOT)) return [];
  return readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
}

function pgConfigBinDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return hasInitdb(dir.trim()) ? dir.trim() : undefined;
  } catch {
    return undefined;
  }
}
