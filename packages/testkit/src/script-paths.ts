import { fileURLToPath } from 'node:url';

// This file runs from packages/testkit/src (vitest) or packages/testkit/dist (built); both are
// two levels below the repository root, where scripts/ lives.
const SCRIPTS_DIR = fileURLToPath(new URL('../../../scripts/', import.meta.url));

export const START_POSTGRES_SCRIPT = `${SCRIPTS_DIR}start-postgres.sh`;
export const STOP_POSTGRES_SCRIPT = `${SCRIPTS_DIR}stop-postgres.sh`;
export const START_MARIADB_SCRIPT = `${SCRIPTS_DIR}start-mariadb.sh`;
export const STOP_MARIADB_SCRIPT = `${SCRIPTS_DIR}stop-mariadb.sh`;
