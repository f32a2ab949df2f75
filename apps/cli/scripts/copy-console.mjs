// Copies the web console's production build (packages/console/dist) to dist/console, where the
// CLI serves it from: the console is built by the normal build and committed to nothing.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../../packages/console/dist/', import.meta.url));
const target = fileURLToPath(new URL('../dist/console/', import.meta.url));

if (!existsSync(`${source}index.html`)) {
  process.stderr.write(`sluice: ${source}index.html is missing; build @sluice/console first\n`);
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
