import { fileURLToPath } from 'node:url';

/**
 * The web console's built files, copied next to the CLI's modules by its build (and next to the
 * bundle by the release pack), served by the admin API at `/`.
 */
export const CONSOLE_DIR = fileURLToPath(new URL('./console/', import.meta.url));
