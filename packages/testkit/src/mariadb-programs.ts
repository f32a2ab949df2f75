import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

// mariadbd lives in /usr/sbin, which is not on every user's PATH; scripts/start-mariadb.sh looks
// in the same places.
const FALLBACK_DIRS = ['/usr/sbin', '/usr/bin'];

/** The path of an installed MariaDB program (`mariadbd`, `mariadb`, ...), or undefined. */
export function findMariadbProgram(name: string): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  return [...pathDirs, ...FALLBACK_DIRS].map((dir) => join(dir, name)).find(isExecutable);
}

/** Resolved once when the testkit is loaded; undefined when the MariaDB server is not installed. */
export const MARIADBD_PATH: string | undefined = findMariadbProgram('mariadbd');

/** The `mariadb` command-line client; undefined when it is not installed. */
export const MARIADB_CLIENT_PATH: string | undefined = findMariadbProgram('mariadb');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
